"""Stub responses for a walked export's API integrations, shaped by what the bot reads.

A walk (``simulator.walk``) must get past every API integration without a real backend, and the
bot's success rules and custom data fields only resolve when the response has the fields they
read. The shape is inferred from the export itself: custom data templates and the accesses the
bot's code makes on the response, followed through variables and bot variables. Heuristic by
nature: an access the code builds dynamically (a computed key) is not seen. Pure core.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.tenant.schema import ApiIntegration, Bot

_FIELD = re.compile(r"\{\$\.api_(\w+)\.([^}]+)\}")


def code_of(bot: Bot) -> str:
    parts = [bot.global_functions or ""]
    for dialog in bot.dialogs:
        for inter in dialog.interactions:
            parts += [inter.pre_process or "", inter.post_process or ""]
            parts.append(inter.process_user_response or "")
    for integration in bot.integrations:
        parts.append(getattr(integration, "transform", None) or "")
    return "\n".join(parts)


def routes_on_ctype(code: str) -> bool:
    """Code that reads the Customer Info ctype and jumps with setTriggerNextMessage."""
    return ".ctype" in code and "setTriggerNextMessage" in code


def code_of_interaction(inter: Any) -> str:
    return "\n".join(
        c or "" for c in (inter.pre_process, inter.post_process, inter.process_user_response)
    )


_ACCESS = r"((?:\.\w+|\[\w+\])+)"
_PIECE = re.compile(r"\.(\w+)|\[(\w+)\]")


def stub_data(integration: ApiIntegration, code: str = "") -> Any:
    """A response that gives the integration's fields a value: each custom data field
    ``{$.api_X.a.b[i].c}`` and each access the bot's code makes on ``X.api_NAME`` (directly, or
    through a variable assigned from it, as ``var r = json.api_NAME; r.choices[0].text``)
    becomes nested objects; an indexed step becomes an array of two elements."""
    paths: list[list[tuple[str, bool]]] = []
    for template in integration.custom_data.values():
        for name, path in _FIELD.findall(template):
            if name == integration.name:
                paths.append(_steps("." + path))
    for steps in _code_paths(integration.name, code):
        paths.append(steps)
    root: Any = None
    for steps in paths:
        if steps:
            root = _fill(root, steps)
    return root if root is not None else {}


_VAR = re.compile(r"(?:var|let|const)\s+(\w+)\s*=\s*([^;\n]+)")
_GET = re.compile(r"""botContext\.getBotVariable\(\s*["'](\w+)["']\s*\)((?:\.\w+|\[\w+\])*)""")
_SET = re.compile(
    r"""botContext\.setBotVariable\(\s*["'](\w+)["']\s*,\s*(\w+)((?:\.\w+|\[\w+\])*)"""
)


def _code_paths(name: str, code: str) -> list[list[tuple[str, bool]]]:
    """Accesses the code makes inside the response of integration ``name``, following
    variables assigned from it and bot variables set from them (a few rounds, to a fixpoint)."""
    api = re.compile(rf"\.api_{re.escape(name)}((?:\.\w+|\[\w+\])*)\s*$")
    aliases: dict[str, list[tuple[str, bool]]] = {}
    bot_vars: dict[str, list[tuple[str, bool]]] = {}
    for _ in range(4):
        for var, expr in _VAR.findall(code):
            expr = expr.strip()
            found = api.search(expr)
            if found is not None:
                aliases.setdefault(var, _steps(found.group(1)))
                continue
            got = _GET.fullmatch(expr)
            if got is not None and got.group(1) in bot_vars:
                aliases.setdefault(var, bot_vars[got.group(1)] + _steps(got.group(2)))
                continue
            ref = re.fullmatch(r"(\w+)((?:\.\w+|\[\w+\])*)", expr)
            if ref is not None and ref.group(1) in aliases and ref.group(1) != var:
                aliases.setdefault(var, aliases[ref.group(1)] + _steps(ref.group(2)))
        for bot_var, var, access in _SET.findall(code):
            if var in aliases:
                bot_vars.setdefault(bot_var, aliases[var] + _steps(access))
    paths = [_steps(a) for a in re.findall(rf"\.api_{re.escape(name)}{_ACCESS}", code)]
    for var, prefix in aliases.items():
        for access in re.findall(rf"(?<![.\w]){re.escape(var)}{_ACCESS}", code):
            paths.append(prefix + _steps(access))
    return [p for p in paths if p]


#: Names that end an access: properties and methods of texts and arrays, not response fields.
_METHODS = frozenset(
    [
        "length",
        "map",
        "forEach",
        "filter",
        "push",
        "toString",
        "toUpperCase",
        "toLowerCase",
        "substring",
        "substr",
        "split",
        "trim",
        "indexOf",
        "slice",
        "replace",
        "charAt",
        "includes",
        "join",
        "concat",
        "find",
        "some",
        "every",
    ]
)


def _steps(access: str) -> list[tuple[str, bool]]:
    """``.a[i].b`` as [("a", False), ("i", True), ("b", False)]; method calls end it."""
    out: list[tuple[str, bool]] = []
    for field_name, index in _PIECE.findall(access):
        if field_name in _METHODS:
            break
        out.append((index, True) if index else (field_name, False))
    return out


def _fill(node: Any, steps: list[tuple[str, bool]]) -> Any:
    """``node`` with a value at the end of ``steps`` (a leaf is its own field name)."""
    step, indexed = steps[0]
    rest = steps[1:]
    if indexed:
        if not rest and isinstance(node, str):
            return node  # a character of a text field, as text[0]
        items = node if isinstance(node, list) else [None, None]
        return [
            _fill(item, rest) if rest else item or f"value {n + 1}" for n, item in enumerate(items)
        ]
    obj = node if isinstance(node, dict) else {}
    obj[step] = _fill(obj.get(step), rest) if rest else obj.get(step) or step
    return obj
