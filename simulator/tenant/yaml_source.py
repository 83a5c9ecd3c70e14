"""Composing a YAML or JSON document into data that remembers the line of every value.

The YAML is composed into nodes first (not loaded straight to dicts) so every value keeps the
line it came from (``SourceMap``); aliases are counted before building so a "billion laughs"
document is refused instead of expanded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.errors import FixtureError
from simulator.files import (
    JSON_LONE_ESCAPE,
    MAX_DEPTH,
    NESTED_TOO_DEEPLY,
    check_text,
    checked_json_loads,
    join_pairs,
)
from simulator.tenant.schema import SourceFloat, SourceInt

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of a loaded document came from."""

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    #: Source text of plain (unquoted) scalars that YAML 1.1 read as something other than
    #: text (``yes`` -> True, ``010`` -> 8, ``null`` -> None), for "write it in quotes" advice.
    plain: dict[Path_, str] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        # Walk up the path until a located ancestor is found (pydantic may point one level
        # deeper than the YAML has, e.g. at a missing key of a mapping).
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


#: libyaml's composer is ten times faster than the pure-Python one; both keep line marks.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Values one document may expand to through YAML aliases ("billion laughs" protection).
MAX_VALUES = 1_000_000


class _Builder:
    """Turns composed YAML nodes into Python data, recording each value's line."""

    def __init__(self, file: str, lines: dict[Path_, int], plain: dict[Path_, str]) -> None:
        self.file = file
        self.lines = lines
        self.plain = plain
        self.values = 0
        self.active: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise FixtureError(NESTED_TOO_DEEPLY, file=self.file, line=node.start_mark.line + 1)
        self.values += 1
        if self.values > MAX_VALUES:
            raise FixtureError(
                f"YAML aliases expand to more than {MAX_VALUES} values; write the data out"
                " instead of nesting aliases",
                file=self.file,
                line=node.start_mark.line + 1,
            )
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise FixtureError(
                "a YAML alias refers to itself", file=self.file, line=node.start_mark.line + 1
            )
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(v, (*path, i)) for i, v in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """Let the safe constructor decide int / float / bool / null / str, keeping the text.

        YAML 1.1 reads ``010`` as 8, ``0x1F`` as 31 and ``1_000`` as 1000: such numbers carry
        their source text (``SourceInt``) so id fields keep what the user wrote; ``yes``,
        ``off``, ``null``... are recorded so a "valid string" error can say to quote them.
        """
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, str):
            return check_text(value, self.file, node.start_mark.line + 1)
        if not node.style:  # plain, unquoted (libyaml says "", PyYAML None)
            self.plain[path] = node.value
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and str(value) != node.value:
                return SourceInt(value, node.value)
            if isinstance(value, float) and repr(value) != node.value:
                return SourceFloat(value, node.value)
        return value

    def _mapping(self, node: yaml.Node, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = (
                key_node.value
                if isinstance(key_node, yaml.ScalarNode)
                else yaml.safe_load(yaml.serialize(key_node))
            )
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise FixtureError(
                    f'key "{key}" appears twice in the same mapping; the second would silently'
                    " replace the first",
                    file=self.file,
                    line=key_node.start_mark.line + 1,
                )
            result[key] = self.build(value_node, (*path, key))
            self.lines[(*path, key)] = key_node.start_mark.line + 1
        return result


def _expanded_size(root: yaml.Node, file: str) -> None:
    """Refuse documents whose aliases expand past ``MAX_VALUES`` before building anything.

    Sizes are counted once per node (aliases share nodes), so a bomb of a few hundred bytes
    is refused in microseconds instead of after a million values were built.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    active: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not done:
            if key in active:
                raise FixtureError(
                    "a YAML alias refers to itself", file=file, line=node.start_mark.line + 1
                )
            active.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        active.discard(key)
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        if total > MAX_VALUES:
            raise FixtureError(
                f"YAML aliases expand to more than {MAX_VALUES} values; write the data out"
                " instead of nesting aliases",
                file=file,
                line=node.start_mark.line + 1,
            )
        sizes[key] = total


def _yaml_error(exc: yaml.YAMLError, file: str) -> FixtureError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "nesting" in problem or "depth" in problem:
        # Newer PyYAML releases stop deep documents themselves; give our own wording.
        return FixtureError(NESTED_TOO_DEEPLY, file=file, line=mark.line + 1 if mark else None)
    return FixtureError(f"invalid YAML: {problem}", file=file, line=mark.line + 1 if mark else None)


def parse_document(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML, or strict JSON for ``.json`` files, keeping line numbers."""
    source = SourceMap(file)
    if not text.strip():
        raise FixtureError(
            "the file is empty: expected a mapping with keys such as skills, agents, bots,"
            " connectors, groups",
            file=file,
        )
    json_data: Any = None
    if file.endswith(".json"):
        try:
            json_data = checked_json_loads(text, file)
        except json.JSONDecodeError as jexc:
            raise FixtureError(f"invalid JSON: {jexc.msg}", file=file, line=jexc.lineno) from None
        except FixtureError as fexc:
            lone = JSON_LONE_ESCAPE.search(join_pairs(text))
            line = text.count("\n", 0, lone.start()) + 1 if lone else None
            raise FixtureError(fexc.reason, file=file, line=line) from None
        # Valid JSON is valid YAML once tabs (legal JSON whitespace) are spaces and surrogate
        # pairs (which YAML's \\u does not join) are single escapes.
        text = join_pairs(text.replace("\t", " "))
    try:
        node = yaml.compose(text, Loader=_LOADER)
        if node is None:
            raise FixtureError("the file holds no data", file=file)
        _expanded_size(node, file)
        data = _Builder(file, source.lines, source.plain).build(node, ())
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except RecursionError:
        raise FixtureError(NESTED_TOO_DEEPLY, file=file) from None
    if json_data is not None:
        # The YAML pass gave the lines (and refused duplicate keys); the values are JSON's own,
        # where 1e3 is the number 1000 (YAML 1.1 would read the text "1e3").
        return json_data, source
    return data, source
