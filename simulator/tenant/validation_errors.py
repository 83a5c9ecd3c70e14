"""Turning a pydantic ``ValidationError`` into one ``FixtureError`` that points at a line.

A pydantic error's location is resolved against the document (union tags, aliases), shown
as a YAML path, and given "did you mean" and "write it in quotes" advice.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.errors import FixtureError, did_you_mean
from simulator.tenant import schema
from simulator.tenant.schema import Tenant
from simulator.tenant.yaml_source import Path_, SourceMap


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
