"""Reading tenant files: YAML or JSON, includes, and errors that point at a line.

The YAML is composed into nodes first (not loaded straight to dicts) so every value keeps the
line it came from; a pydantic error's location is then turned back into ``file:line``. Each file
is validated on its own, which is why an included file is simply a partial tenant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulator.cb_export import load_export
from simulator.errors import FixtureError, did_you_mean
from simulator.tenant import export_intents, schema
from simulator.tenant.files import read_text, sibling_names
from simulator.tenant.schema import Bot, BotRef, Tenant

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of a loaded document came from."""

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

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

#: Deepest nesting a tenant or export may have. Real files stay under 30 levels; the limit is
#: ours (not the YAML or JSON library's, whose limits and wording change between releases) so
#: the message is the same whatever is installed.
MAX_DEPTH = 200

_NESTED_TOO_DEEPLY = f"the document is nested too deeply (more than {MAX_DEPTH} levels)"


class _Builder:
    """Turns composed YAML nodes into Python data, recording each value's line."""

    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.values = 0
        self.active: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise FixtureError(_NESTED_TOO_DEEPLY, file=self.file, line=node.start_mark.line + 1)
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
            # Let the safe constructor decide int / float / bool / null / str.
            return self.constructor.construct_object(node, deep=True)
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


def _yaml_error(exc: yaml.YAMLError, file: str) -> FixtureError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "nesting" in problem or "depth" in problem:
        # Newer PyYAML releases stop deep documents themselves; give our own wording.
        return FixtureError(_NESTED_TOO_DEEPLY, file=file, line=mark.line + 1 if mark else None)
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
    if file.endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as jexc:
            raise FixtureError(f"invalid JSON: {jexc.msg}", file=file, line=jexc.lineno) from None
        except RecursionError:
            raise FixtureError(_NESTED_TOO_DEEPLY, file=file) from None
        # Valid JSON is valid YAML once tabs (legal JSON whitespace) are spaces.
        text = text.replace("\t", " ")
    try:
        node = yaml.compose(text, Loader=_LOADER)
        if node is None:
            raise FixtureError("the file holds no data", file=file)
        data = _Builder(file, source.lines).build(node, ())
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except RecursionError:
        raise FixtureError(_NESTED_TOO_DEEPLY, file=file) from None
    return data, source


def _field_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(info.alias if isinstance(info.alias, str) else name)
        alias = info.validation_alias
        if alias is not None and hasattr(alias, "choices"):
            names.extend(str(c) for c in alias.choices)
    return names


def _model_at(loc: Path_) -> type[BaseModel] | None:
    """Find which model a location points into, to suggest valid keys for a typo."""
    model: Any = Tenant
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if part in ("bot", "export"):  # discriminator tags
            model = Bot if part == "bot" else BotRef
            continue
        if part in ("liveperson_agent_escalation", "api"):
            model = (
                schema.EscalationIntegration
                if part == "liveperson_agent_escalation"
                else schema.ApiIntegration
            )
            continue
        info = model.model_fields.get(part) if hasattr(model, "model_fields") else None
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


_TAGS = {"bot", "export", "liveperson_agent_escalation", "api"}


def format_validation_error(exc: ValidationError, source: SourceMap) -> FixtureError:
    """Turn pydantic's error list into one message that points at file and line."""
    grouped: dict[str, tuple[int | None, list[str]]] = {}
    for err in exc.errors():
        raw_loc = tuple(err["loc"])
        loc = tuple(p for p in raw_loc if not (isinstance(p, str) and p in _TAGS))
        # Pydantic names union members and validators in the location; users never wrote them.
        loc = tuple(
            p
            for p in loc
            if not (isinstance(p, str) and (p.startswith("function-") or "[" in p or "'" in p))
        )
        line = source.line_of(loc)
        where = _render_loc(loc) or "(top level)"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            model = _model_at(raw_loc)
            valid = _field_names(model) if model else []
            message = f'unknown key "{loc[-1]}": {did_you_mean(str(loc[-1]), valid)}'
        elif err["type"] == "missing":
            message = "required key is missing"
        elif err["type"] == "union_tag_invalid":
            message = "expected a bot definition or {export: FILE}"
        elif err["type"] == "literal_error" or err["type"] in ("enum",):
            message = f"{message} (got {err.get('input')!r})"
        entry = grouped.setdefault(where, (line, []))
        if message not in entry[1]:
            entry[1].append(message)
    # Several failed alternatives of one value (a union) are one problem: say them together.
    problems = [(where, line, " or ".join(msgs)) for where, (line, msgs) in grouped.items()]
    if len(problems) == 1:
        where, line, message = problems[0]
        return FixtureError(message, file=source.file, line=line, field=where)
    body = "\n  ".join(
        f"{f'line {line}, ' if line is not None else ''}{where}: {message}"
        for where, line, message in problems
    )
    return FixtureError(
        f"{len(problems)} problems:\n  {body}", file=source.file, line=problems[0][1]
    )


def _render_loc(loc: Path_) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
        raise format_validation_error(exc, source) from None


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
            ident = getattr(item, "name", None) or getattr(item, "export", None)
            if kind == "skill":
                ident = item.id  # type: ignore[union-attr]
            if kind == "connector":
                ident = item.bot  # type: ignore[union-attr]
            origins.setdefault(
                (kind, str(ident)), Origin(source.file, source.line_of((key_name, index)))
            )
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
    """Load a tenant file and everything it includes, then check cross references."""
    root = Path(path)
    origins: dict[tuple[str, str], Origin] = {}
    merged = _load_recursive(root, origins, stack=[], cache=cache)
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
    if tenant.include:
        base = base_dir or Path.cwd()
        for inc in tenant.include:
            child = _load_recursive(base / inc, origins, stack=[name])
            _merge(tenant, child)
    loaded = LoadedTenant(tenant, origins, base_dir or Path.cwd())
    _resolve_exports(loaded)
    return loaded


def _load_recursive(
    path: Path,
    origins: dict[tuple[str, str], Origin],
    stack: list[str],
    cache: DocumentCache | None = None,
) -> Tenant:
    key = str(path.resolve())
    if key in stack:
        chain = " -> ".join([*stack[stack.index(key) :], key])
        raise FixtureError(f"include cycle: {chain}", file=str(path))
    if cache is not None:
        data, source = cache.parse(path)
    else:
        data, source = parse_document(read_text(path), str(path))
    tenant = _validate_document(data, source)
    _record_origins(tenant, source, origins)
    for index, inc in enumerate(tenant.include):
        child_path = path.parent / inc
        if not child_path.is_file():
            siblings = sibling_names(child_path)
            problem = (
                "is a folder, not a file"
                if child_path.is_dir()
                else f"not found ({did_you_mean(Path(inc).name, siblings)})"
            )
            raise FixtureError(
                f'included file "{inc}" {problem}',
                file=str(path),
                line=source.line_of(("include", index)),
                field=f"include[{index}]",
            )
        child = _load_recursive(child_path, origins, [*stack, key], cache)
        _merge(tenant, child)
    return tenant


def _merge(into: Tenant, child: Tenant) -> None:
    into.skills.extend(child.skills)
    into.agents.extend(child.agents)
    into.bots.extend(child.bots)
    into.connectors.extend(child.connectors)
    into.groups.extend(child.groups)


def _resolve_exports(loaded: LoadedTenant) -> None:
    """Replace ``{export: file}`` entries by the bots the export files describe."""
    bots: list[Bot | BotRef] = []
    for entry in loaded.tenant.bots:
        if isinstance(entry, BotRef):
            origin = loaded.origins.get(("bot", entry.export))
            base = (
                Path(origin.file).parent
                if origin and origin.file != "<inline>"
                else loaded.base_dir
            )
            target = base / entry.export
            if not target.is_file():
                problem = (
                    "is a folder, not a file"
                    if target.is_dir()
                    else f"not found ({did_you_mean(target.name, sibling_names(target))})"
                )
                raise FixtureError(
                    f'bot export "{entry.export}" {problem}',
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
