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

from simulator.errors import FixtureError, did_you_mean
from simulator.tenant.schema import Bot, BotRef, Tenant

MAX_FILE_BYTES = 5 * 1024 * 1024

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


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = (
                yaml.safe_load(yaml.serialize(key_node))
                if not isinstance(key_node, yaml.ScalarNode)
                else key_node.value
            )
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise FixtureError(
                    f'key "{key}" appears twice in the same mapping; the second would silently'
                    " replace the first",
                    file=file,
                    line=key_node.start_mark.line + 1,
                )
            result[key] = _to_python(value_node, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(v, (*path, i), lines, file) for i, v in enumerate(node.value)]
    # Scalars: let the safe constructor decide int / float / bool / null / str.
    constructor = yaml.SafeLoader("")
    return constructor.construct_object(node, deep=True)


def parse_document(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML (or JSON, which YAML reads too) keeping line numbers."""
    source = SourceMap(file)
    if not text.strip():
        raise FixtureError(
            "the file is empty: expected a mapping with keys such as skills, agents, bots,"
            " connectors, groups",
            file=file,
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if file.endswith(".json"):
            try:
                json.loads(text)
            except json.JSONDecodeError as jexc:
                raise FixtureError(
                    f"invalid JSON: {jexc.msg}", file=file, line=jexc.lineno
                ) from None
        raise FixtureError(
            f"invalid YAML: {problem}", file=file, line=mark.line + 1 if mark else None
        ) from None
    if node is None:
        raise FixtureError("the file holds no data", file=file)
    data = _to_python(node, (), source.lines, file)
    return data, source


def read_text(path: Path) -> str:
    """Read a user file as UTF-8, with errors that say what is wrong with the bytes."""
    shown = str(path)
    if not path.exists():
        siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
        hint = did_you_mean(path.name, siblings) if siblings else "its folder does not exist"
        raise FixtureError(f"file not found ({hint})", file=shown)
    if path.is_dir():
        raise FixtureError("expected a file but this is a folder", file=shown)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FixtureError(
            f"the file is {size} bytes; tenant files are limited to {MAX_FILE_BYTES} bytes."
            " Split it with include:",
            file=shown,
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FixtureError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start});"
            " save it as UTF-8",
            file=shown,
            line=line,
        ) from None


def _field_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(name)
        alias = info.validation_alias
        if alias is not None and hasattr(alias, "choices"):
            names.extend(str(c) for c in alias.choices)
    return names


def _model_at(loc: Path_) -> type[BaseModel] | None:
    """Find which model a location points into, to suggest valid keys for a typo."""
    from simulator.tenant import schema

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
    problems: list[str] = []
    first_line: int | None = None
    for err in exc.errors():
        raw_loc = tuple(err["loc"])
        loc = tuple(p for p in raw_loc if not (isinstance(p, str) and p in _TAGS))
        # Pydantic reports model-validator errors at the model; strip the function-name noise.
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        line = source.line_of(loc)
        if first_line is None:
            first_line = line
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
        at = f"line {line}, " if line is not None and len(exc.errors()) > 1 else ""
        problems.append(f"{at}{where}: {message}")
    if len(problems) == 1:
        loc_text, _, message = problems[0].partition(": ")
        return FixtureError(message, file=source.file, line=first_line, field=loc_text)
    body = "\n  ".join(problems)
    return FixtureError(f"{len(problems)} problems:\n  {body}", file=source.file, line=first_line)


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


def load_tenant(path: str | Path) -> LoadedTenant:
    """Load a tenant file and everything it includes, then check cross references."""
    root = Path(path)
    origins: dict[tuple[str, str], Origin] = {}
    merged = _load_recursive(root, origins, stack=[])
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


def _load_recursive(path: Path, origins: dict[tuple[str, str], Origin], stack: list[str]) -> Tenant:
    key = str(path.resolve())
    if key in stack:
        chain = " -> ".join([*stack[stack.index(key) :], key])
        raise FixtureError(f"include cycle: {chain}", file=str(path))
    text = read_text(path)
    data, source = parse_document(text, str(path))
    tenant = _validate_document(data, source)
    _record_origins(tenant, source, origins)
    for index, inc in enumerate(tenant.include):
        child_path = path.parent / inc
        if not child_path.exists():
            siblings = (
                [p.name for p in child_path.parent.glob("*")] if child_path.parent.is_dir() else []
            )
            raise FixtureError(
                f'included file "{inc}" not found ({did_you_mean(Path(inc).name, siblings)})',
                file=str(path),
                line=source.line_of(("include", index)),
                field=f"include[{index}]",
            )
        child = _load_recursive(child_path, origins, [*stack, key])
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
            from simulator.cb_export import load_export

            origin = loaded.origins.get(("bot", entry.export))
            base = (
                Path(origin.file).parent
                if origin and origin.file != "<inline>"
                else loaded.base_dir
            )
            bot = load_export(base / entry.export)
            if entry.name:
                bot.name = entry.name
            if origin:
                loaded.origins.setdefault(("bot", bot.name), origin)
            bots.append(bot)
        else:
            bots.append(entry)
    loaded.tenant.bots = bots
