"""Reading tenant files: YAML or JSON, includes, and errors that point at a line.

The YAML is composed into nodes first (not loaded straight to dicts) so every value keeps the
line it came from; a pydantic error's location is then turned back into ``file:line``. Each file
is validated on its own, which is why an included file is simply a partial tenant.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulator.cb_export import load_export
from simulator.errors import FixtureError, did_you_mean
from simulator.files import (
    JSON_LONE_ESCAPE,
    MAX_DEPTH,
    NESTED_TOO_DEEPLY,
    check_text,
    checked_json_loads,
    join_pairs,
)
from simulator.tenant import export_intents, schema
from simulator.tenant.files import MAX_FILE_BYTES, read_text, sibling_names
from simulator.tenant.schema import Bot, BotRef, SourceFloat, SourceInt, Tenant

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


def _field_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(info.alias if isinstance(info.alias, str) else name)
        alias = info.validation_alias
        if alias is not None and hasattr(alias, "choices"):
            names.extend(str(c) for c in alias.choices)
    return names


#: Union tags pydantic puts into an error location (the value after them is one member).
_TAG_MODELS: dict[str, str] = {
    "bot": "Bot",
    "export": "BotRef",
    "liveperson_agent_escalation": "EscalationIntegration",
    "api": "ApiIntegration",
}

#: One element of a resolved location: the key or index, and whether pydantic's tag it was.
_Step = tuple[str | int, bool]


def _model_at(steps: list[_Step]) -> type[BaseModel] | None:
    """Find which model a location points into, to suggest valid keys for a typo."""
    model: Any = Tenant
    for part, is_tag in steps[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if is_tag:
            model = getattr(schema, _TAG_MODELS.get(str(part), ""), None)
            continue
        fields = model.model_fields if hasattr(model, "model_fields") else {}
        info = fields.get(part)
        if info is None:
            info = next(
                (
                    f
                    for f in fields.values()
                    if f.alias == part
                    or (
                        f.validation_alias is not None
                        and part in getattr(f.validation_alias, "choices", ())
                    )
                ),
                None,
            )
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    import typing

    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args:
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _resolve_loc(raw: tuple[Any, ...], data: Any, error_type: str) -> list[_Step] | None:
    """Match pydantic's location against the document: which parts are keys the user wrote
    and which are names pydantic added (union tags such as ``bot``, members such as ``str``
    or ``function-after[...]``). A user key may be named like a tag (an unknown key ``bot``,
    ``api``), so the document decides, not the name. None when nothing fits."""

    def walk(value: Any, i: int) -> list[_Step] | None:
        if i == len(raw):
            return []
        part = raw[i]
        last = i == len(raw) - 1
        options: list[bool] = []  # True: the part is a key/index of the document
        if (isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)) or (
            isinstance(value, dict) and isinstance(part, str) and part in value
        ):
            options.append(True)
        elif last and error_type == "missing" and isinstance(part, str):
            return [(part, False)]
        if isinstance(part, str) and not last:
            # A tag or union member name: skipping it is tried first for known tags.
            if part in _TAG_MODELS:
                options.insert(0, False)
            else:
                options.append(False)
        elif isinstance(part, str) and last and not options:
            # Location ends at a member name (a model-level error of a union member).
            return [(part, True)] if part in _TAG_MODELS else []
        for is_key in options:
            if is_key:
                child = value[part]
                rest = walk(child, i + 1)
                if rest is not None:
                    return [(part, False), *rest]
            else:
                rest = walk(value, i + 1)
                if rest is not None:
                    return [(part, True), *rest]
        return None

    try:
        return walk(data, 0)
    except RecursionError:  # pragma: no cover - locations are at most MAX_DEPTH deep
        return None


def _fallback_loc(raw: tuple[Any, ...]) -> list[_Step]:
    """Without the document: drop what only pydantic names (tags, members), keep the rest."""
    steps: list[_Step] = []
    for part in raw:
        if isinstance(part, str) and (
            part in _TAG_MODELS or part.startswith("function-") or "[" in part
        ):
            steps.append((part, True))
        else:
            steps.append((part, False))
    return steps


_PLAIN_KEY = re.compile(r"^[^\W\d][\w$-]*$|^\$[\w-]+$")


def _render_loc(loc: Path_) -> str:
    """``bots[0].dialogs[1]``; a key that is not a plain name is quoted (``["a.b"]``)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _quote_advice(source: SourceMap, loc: Path_, value: Any) -> str:
    """For a "valid string" error on an unquoted YAML scalar: say how YAML read it.

    YAML 1.1 reads yes/no/on/off/true/false as booleans, null and ~ as nothing, and 010,
    0x1F, 1_000 as numbers; a name or id that looks like one must be quoted.
    """
    text = source.plain.get(loc)
    if text is None:
        return ""
    if value is None:
        shown = "nothing (null)"
    elif isinstance(value, bool):
        shown = f"the boolean {value}"
    elif isinstance(value, int):
        shown = f"the number {int(value)}"
    elif isinstance(value, float):
        shown = f"the number {float(value)!r}"
    else:  # a date or timestamp (2024-01-31), or anything else YAML 1.1 resolves
        shown = f"a {type(value).__name__}"
    return f' (YAML reads {text} as {shown}; write it in quotes, "{text}", for the text)'


def format_validation_error(
    exc: ValidationError, source: SourceMap, data: Any = None
) -> FixtureError:
    """Turn pydantic's error list into one message that points at file and line.

    Total on purpose: any location pydantic reports (unions, tagged unions, keys with quotes,
    brackets or any character) maps to a readable path, never to an IndexError.
    """
    grouped: dict[str, tuple[int | None, list[str]]] = {}
    for err in exc.errors():
        raw_loc = tuple(err["loc"])
        steps = _resolve_loc(raw_loc, data, err["type"]) if data is not None else None
        if steps is None:
            steps = _fallback_loc(raw_loc)
        loc: Path_ = tuple(part for part, is_tag in steps if not is_tag)
        line = source.line_of(loc)
        selector = ""
        if (
            err["type"] != "extra_forbidden"
            and len(steps) >= 2
            and steps[-2] == ("export", True)
            and steps[-1] == ("export", False)
        ):
            # The key that chose the union member is itself wrong ({export: 5}): report it at
            # the entry, as the entry is what could not be read.
            selector = f" (for {steps[-1][0]})"
            loc = loc[:-1]
        where = _render_loc(loc) or "(top level)"
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            model = _model_at(steps)
            valid = _field_names(model) if model else []
            key = str(loc[-1]) if loc else str(raw_loc[-1]) if raw_loc else "?"
            message = f'unknown key "{key}": {did_you_mean(key, valid)}'
        elif err["type"] == "missing":
            message = "required key is missing"
        elif err["type"] == "union_tag_invalid":
            message = "expected a bot definition or {export: FILE}"
        elif err["type"] == "literal_error" or err["type"] in ("enum",):
            message = f"{message} (got {err.get('input')!r})"
        elif err["type"] in ("string_type", "int_type", "bool_type", "float_type"):
            message += _quote_advice(
                source, (*loc, *([steps[-1][0]] if selector else [])), err.get("input")
            )
        message += selector
        entry = grouped.setdefault(where, (line, []))
        if message not in entry[1]:
            entry[1].append(message)
    # Several failed alternatives of one value (a union) are one problem: say them together.
    problems = [(where, line, " or ".join(msgs)) for where, (line, msgs) in grouped.items()]
    if not problems:  # pragma: no cover - pydantic never raises without an error
        return FixtureError("the document does not match the tenant format", file=source.file)
    if len(problems) == 1:
        where, line, message = problems[0]
        return FixtureError(message, file=source.file, line=line, field=where)
    body = "\n  ".join(
        f"{f'line {line}, ' if line is not None else ''}{where}: {message}"
        for where, line, message in problems[:20]
    )
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    return FixtureError(
        f"{len(problems)} problems:\n  {body}{more}", file=source.file, line=problems[0][1]
    )


@dataclass
class Origin:
    """Where a definition came from, for errors found after files are merged."""

    file: str
    line: int | None


@dataclass
class LoadedTenant:
    tenant: Tenant
    origins: dict[tuple[str, str], Origin]
    base_dir: Path


def _validate_document(data: Any, source: SourceMap) -> Tenant:
    if not isinstance(data, dict):
        raise FixtureError(
            f"expected a mapping (key: value) at the top, found {type(data).__name__}",
            file=source.file,
            line=1,
        )
    try:
        return Tenant.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, source, data) from None


def _record_origins(
    tenant: Tenant, source: SourceMap, origins: dict[tuple[str, str], Origin]
) -> None:
    for kind, items in (
        ("skill", tenant.skills),
        ("agent", tenant.agents),
        ("bot", tenant.bots),
        ("connector", tenant.connectors),
        ("group", tenant.groups),
    ):
        key_name = {
            "skill": "skills",
            "agent": "agents",
            "bot": "bots",
            "connector": "connectors",
            "group": "groups",
        }[kind]
        for index, item in enumerate(items):
            # An export entry is found again by its file (a renamed one too); an empty name
            # is still a name, so "" must find its origin as well.
            ident = item.export if isinstance(item, BotRef) else getattr(item, "name", None)
            if kind == "skill":
                ident = item.id  # type: ignore[union-attr]
            if kind == "connector":
                ident = item.bot  # type: ignore[union-attr]
            origins.setdefault(
                (kind, str(ident)), Origin(source.file, source.line_of((key_name, index)))
            )
    # The first file recorded is the root: the fallback location of anything unrecorded.
    origins.setdefault(("tenant", "file"), Origin(source.file, None))
    if ("platform",) in source.lines:
        origins.setdefault(
            ("tenant", "platform"), Origin(source.file, source.line_of(("platform",)))
        )


class DocumentCache:
    """Parsed documents of files that have not changed, shared by the scenarios of a run.

    A suite loads the same tenant file in every scenario; parsing it is most of that cost. The
    parsed data is never mutated (validation builds new model objects from it), so sharing it
    cannot leak one scenario's state into another. Keyed by path, size and modification time.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int, int], tuple[Any, SourceMap]] = {}

    def parse(self, path: Path) -> tuple[Any, SourceMap]:
        try:
            stat = path.stat()
        except OSError:
            return parse_document(read_text(path), str(path))
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        found = self._entries.get(key)
        if found is None:
            found = parse_document(read_text(path), str(path))
            self._entries[key] = found
        return found


def load_tenant(path: str | Path, cache: DocumentCache | None = None) -> LoadedTenant:
    """Load a tenant file and everything it includes, then check cross references.

    A Conversation Builder export given where a tenant is expected loads as a tenant of that
    one bot (README, "Real Conversation Builder bots").
    """
    root = Path(path)
    origins: dict[tuple[str, str], Origin] = {}
    merged, _ = _load_recursive(root, origins, stack=[], cache=cache)
    loaded = LoadedTenant(merged, origins, root.parent)
    _resolve_exports(loaded)
    return loaded


def load_tenant_text(
    text: str, *, name: str = "<inline>", base_dir: Path | None = None
) -> LoadedTenant:
    """Load a tenant given as text (inline YAML in a feature file, tests)."""
    data, source = parse_document(text, name)
    tenant = _validate_document(data, source)
    origins: dict[tuple[str, str], Origin] = {}
    _record_origins(tenant, source, origins)
    platform = _platform_origin(tenant, source)
    if tenant.include:
        base = base_dir or Path.cwd()
        for index, inc in enumerate(tenant.include):
            child_path = _include_path(base / inc, inc, index, source)
            child, child_platform = _load_recursive(child_path, origins, stack=[name])
            platform = _merge(tenant, child, platform, child_platform)
    loaded = LoadedTenant(tenant, origins, base_dir or Path.cwd())
    _resolve_exports(loaded)
    return loaded


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symbolic link loop: reading it reports the loop
        return os.path.abspath(path)


#: Keys only a tenant has; a document with "bot" (an object) and none of these is an export.
#: ("groups" is in both: an export's dialogs are its groups.)
_TENANT_KEYS = frozenset({"bots", "skills", "agents", "connectors", "include", "platform"})
_EXPORT_HEAD = re.compile(rb'"bot"\s*:\s*\{')


#: Keys of an export besides "bot"; one must be present, so a tenant whose only mistake is
#: ``bot:`` for ``bots:`` stays a tenant (and gets "did you mean bots").
_EXPORT_KEYS = frozenset(
    {"conversationMessage", "groups", "responder", "associatedIntents", "hash", "menus"}
)


def is_export_document(data: Any) -> bool:
    """A Conversation Builder export (see ``simulator.cb_export.format``), not a tenant."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("bot"), dict)
        and bool(data.keys() & _EXPORT_KEYS)
        and not (data.keys() & _TENANT_KEYS)
    )


def _big_export(path: Path) -> bool:
    """A JSON file over the tenant limit that starts like an export (exports may be 20 MB)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size <= MAX_FILE_BYTES:
            return False
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return _EXPORT_HEAD.search(head) is not None


def _export_as_tenant(path: Path, origins: dict[tuple[str, str], Origin]) -> Tenant:
    """An export given as a tenant: a tenant of that one bot (no skills, no connector;
    conversations start with the bot by name)."""
    bot = load_export(path)
    origins.setdefault(("bot", bot.name), Origin(str(path), None))
    return Tenant(name=bot.name, bots=[bot])


def _include_path(child_path: Path, inc: str, index: int, source: SourceMap) -> Path:
    """The included file, or an error at the include line (a missing file, a folder)."""
    if os.path.isdir(child_path):
        problem = "is a folder, not a file"
    elif not os.path.lexists(child_path):
        problem = f"not found ({did_you_mean(Path(inc).name, sibling_names(child_path))})"
    else:
        return child_path  # anything else (FIFO, device, loop) is reported when read
    raise FixtureError(
        f'included file "{inc}" {problem}',
        file=source.file,
        line=source.line_of(("include", index)),
        field=f"include[{index}]",
    )


def _platform_origin(tenant: Tenant, source: SourceMap) -> Origin | None:
    if "platform" not in tenant.model_fields_set:
        return None
    return Origin(source.file, source.line_of(("platform",)))


def _load_recursive(
    path: Path,
    origins: dict[tuple[str, str], Origin],
    stack: list[str],
    cache: DocumentCache | None = None,
) -> tuple[Tenant, Origin | None]:
    """The tenant of ``path`` with its includes merged, and where its platform: came from."""
    if "\0" in str(path):
        raise FixtureError("the path holds a NUL character (\\0)", file=repr(str(path)))
    key = _resolved(path)
    if key in stack:
        chain = " -> ".join([*stack[stack.index(key) :], key])
        raise FixtureError(f"include cycle: {chain}", file=str(path))
    if _big_export(path):
        return _export_as_tenant(path, origins), None
    if cache is not None:
        data, source = cache.parse(path)
    else:
        data, source = parse_document(read_text(path), str(path))
    if is_export_document(data):
        return _export_as_tenant(path, origins), None
    tenant = _validate_document(data, source)
    _record_origins(tenant, source, origins)
    platform = _platform_origin(tenant, source)
    for index, inc in enumerate(tenant.include):
        child_path = _include_path(path.parent / inc, inc, index, source)
        child, child_platform = _load_recursive(child_path, origins, [*stack, key], cache)
        platform = _merge(tenant, child, platform, child_platform)
    return tenant, platform


def _merge(
    into: Tenant, child: Tenant, platform: Origin | None, child_platform: Origin | None
) -> Origin | None:
    """Append the child's definitions; ``platform:`` may be set in one file of the include
    tree only (the root or any included file), so no setting is silently dropped or mixed."""
    into.skills.extend(child.skills)
    into.agents.extend(child.agents)
    into.bots.extend(child.bots)
    into.connectors.extend(child.connectors)
    into.groups.extend(child.groups)
    if child_platform is None:
        return platform
    if platform is not None:
        first = f"{platform.file}:{platform.line}" if platform.line else platform.file
        raise FixtureError(
            f"platform: is set here and in {first}; set it in one file only (the tenant or"
            " one included file)",
            file=child_platform.file,
            line=child_platform.line,
            field="platform",
        )
    into.platform = child.platform
    into.model_fields_set.add("platform")
    return child_platform


def _resolve_exports(loaded: LoadedTenant) -> None:
    """Replace ``{export: file}`` entries by the bots the export files describe."""
    bots: list[Bot | BotRef] = []
    for entry in loaded.tenant.bots:
        if isinstance(entry, BotRef):
            origin = loaded.origins.get(("bot", entry.export))
            origin = origin or loaded.origins.get(("tenant", "file"))  # the root file at least
            base = (
                Path(origin.file).parent
                if origin and origin.file != "<inline>"
                else loaded.base_dir
            )
            target = base / entry.export
            if os.path.isdir(target) or not os.path.lexists(target):
                problem = (
                    "is a folder, not a file"
                    if os.path.isdir(target)
                    else f"not found ({did_you_mean(target.name, sibling_names(target))})"
                )
                raise FixtureError(
                    f'bot export "{entry.export}" {problem}',
                    file=origin.file if origin else None,
                    line=origin.line if origin else None,
                    field="bots.export",
                )
            if target.suffix.lower() in (".yaml", ".yml"):
                raise FixtureError(
                    f'bot export "{entry.export}" is a YAML file, but exports are JSON (File >'
                    " Export in Conversation Builder); to merge another tenant file use include:",
                    file=origin.file if origin else None,
                    line=origin.line if origin else None,
                    field="bots.export",
                )
            bot = load_export(target)
            if entry.name:
                bot.name = entry.name
            if entry.intents:
                where = origin.file if origin else None
                line = origin.line if origin else None
                export_intents.attach_intents(
                    bot, export_intents.resolve(entry.intents, base, tenant=where, line=line)
                )
            # Errors found when the bot compiles point at the export, not the tenant.
            loaded.origins[("bot", bot.name)] = Origin(str(target), None)
            bots.append(bot)
        else:
            bots.append(entry)
    loaded.tenant.bots = bots
