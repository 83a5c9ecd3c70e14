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

_REFERENCE = re.compile(r"\{\$([A-Za-z_][\w]*)((?:\.[\w\-]+|\[\d+\])*)\}")


@dataclass(frozen=True)
class RenderResult:
    text: str
    missing: tuple[str, ...]


def _walk(value: Any, path: str) -> Any:
    for part in re.findall(r"\.([\w\-]+)|\[(\d+)\]", path):
        key, index = part
        if index:
            if not isinstance(value, list) or int(index) >= len(value):
                return None
            value = value[int(index)]
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
) -> RenderResult:
    """Fill in references; unknown ones become empty and are reported as missing.

    ``lookup(root, path)`` resolves other roots such as ``$.api_getOrders`` (integration
    results) so this module needs no knowledge of integrations.
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
        text = re.sub(
            r"\{\$\.([\w\-]+)((?:\.[\w\-]+|\[\d+\])*)\}",
            lambda m: _api_ref(m, lookup, missing),
            text,
        )
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
