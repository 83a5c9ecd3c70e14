"""Variable references inside bot texts: ``{$botContext.x}``, ``{$userMessage}``, ...

Conversation Builder fills these in when a message is sent (and when an escalation reads its
skill id, T2), so rendering happens at that moment, against the bot's own context (T8).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_PATH = r"((?:\.[\w\-]+|\[(?:\d+|i)\])*)"
_REFERENCE = re.compile(r"\{\$([A-Za-z_][\w]*)" + _PATH + r"\}")
_API_REFERENCE = re.compile(r"\{\$\.([\w\-]+)" + _PATH + r"\}")
#: ``{Integration.field}``: a custom data field of an API integration.
_FIELD_REFERENCE = re.compile(r"\{([A-Za-z_][\w\-]*)\.([\w\-]+)\}")


@dataclass(frozen=True)
class RenderResult:
    text: str
    missing: tuple[str, ...]


def _walk(value: Any, path: str) -> Any:
    """Follow ``.a.b[0]``; ``[i]`` maps the rest of the path over every element (a list);
    ``.length`` of a list or text is its length, as in JavaScript."""
    parts = re.findall(r"\.([\w\-]+)|\[(\d+|i)\]", path)
    for n, (key, index) in enumerate(parts):
        if index == "i":
            if not isinstance(value, list):
                return None
            rest = "".join(f".{k}" if k else f"[{x}]" for k, x in parts[n + 1 :])
            return [_walk(item, rest) for item in value]
        if index:
            if not isinstance(value, list) or int(index) >= len(value):
                return None
            value = value[int(index)]
        elif key == "length" and isinstance(value, (list, str)):
            value = len(value)
        else:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        # A custom data field over ``[i]``: its values, one after the other.
        return ", ".join("" if v is None else _as_text(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def render(
    template: str,
    *,
    variables: Mapping[str, str],
    user_message: str,
    conversation_id: str,
    lookup: Callable[[str, str], Any] | None = None,
    fields: Mapping[str, Mapping[str, Any]] | None = None,
) -> RenderResult:
    """Fill in references; unknown ones become empty and are reported as missing.

    ``lookup(root, path)`` resolves other roots such as ``$.api_getOrders`` (integration
    results) so this module needs no knowledge of integrations; ``fields`` holds the custom
    data fields of the integrations called so far (``{getOrders.city}``). A ``{Name.field}``
    whose name is not an integration stays as it is (it may be plain text).
    """
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        root, path = match.group(1), match.group(2)
        if root == "botContext":
            name = path.lstrip(".")
            if name in variables:
                return variables[name]
            missing.append(f"botContext.{name}")
            return ""
        if root == "userMessage":
            return user_message
        if root == "conversationId":
            return conversation_id
        if lookup is not None:
            found = lookup(root, path)
            if found is not None:
                return _as_text(found)
        missing.append(f"{root}{path}")
        return ""

    text = _REFERENCE.sub(replace, template)
    if lookup is not None and "{$." in text:
        text = _API_REFERENCE.sub(lambda m: _api_ref(m, lookup, missing), text)
    if fields:

        def field(match: re.Match[str]) -> str:
            owner, key = match.group(1), match.group(2)
            if owner not in fields:
                return match.group(0)
            if key not in fields[owner] or fields[owner][key] is None:
                missing.append(f"{owner}.{key}")
                return ""
            return _as_text(fields[owner][key])

        text = _FIELD_REFERENCE.sub(field, text)
    return RenderResult(text, tuple(missing))


def _api_ref(match: re.Match[str], lookup: Callable[[str, str], Any], missing: list[str]) -> str:
    root, path = match.group(1), match.group(2)
    found = lookup(root, path)
    if found is None:
        missing.append(f".{root}{path}")
        return ""
    return _as_text(found)


def walk(value: Any, path: str) -> Any:
    """Follow ``.a.b[0]`` into nested JSON-like data (None when absent)."""
    return _walk(value, path)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def condition_holds(op: str, left: str, right: str) -> bool:
    """A variable condition: text comparisons ignore case and surrounding spaces; greater and
    less than compare numbers (false when either side is not a number)."""
    a, b = left.strip().lower(), right.strip().lower()
    if op == "contains":
        return b in a
    if op == "not_contains":
        return b not in a
    if op == "equals":
        return a == b
    if op == "not_equals":
        return a != b
    x, y = _number(left), _number(right)
    if x is None or y is None:
        return False
    if op == "greater_than":
        return x > y
    if op == "less_than":
        return x < y
    raise ValueError(f"unknown condition operator {op!r}")
