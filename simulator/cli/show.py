"""``simulator show FILE``: a bot's table of contents, from an export or a tenant file.

QA engineers read a bot before they write scenarios for it: which dialogs it has, what starts
them, what each interaction sends, where it goes next, which choices it offers, which APIs it
calls and where it transfers. Conversation Builder shows that one interaction at a time; this
prints it all, in file order (no sorting that would hide the dialogs' order, which decides
which starter wins), the same way every time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from simulator.cb_export import import_export
from simulator.tenant.loader import load_tenant
from simulator.tenant.schema import (
    AgentTransfer,
    ApiIntegration,
    Bot,
    Dialog,
    EscalationIntegration,
    Interaction,
    Rule,
)
from simulator.world import build_world

EXIT_OK = 0
#: Longest text shown for a message before it is cut with "...".
TEXT_WIDTH = 70


def is_export(path: Path) -> bool:
    """An export is JSON with a top-level ``bot`` and ``conversationMessage``."""
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "bot" in data and "conversationMessage" in data


def table_of_contents(path: str) -> str:
    """The table of contents of every bot in an export or a tenant file."""
    file = Path(path)
    if is_export(file):
        bot = import_export(file).bot
        return _bot(bot, str(file), skills={})
    world = build_world(load_tenant(file))
    skills = {s.id: s.name for s in world.skills.values()}
    parts = []
    for compiled in world.bots.values():
        text = _bot(compiled.definition, str(file), skills)
        connector = world.connectors.get(compiled.name)
        if connector is not None and connector.skills:
            served = ", ".join(
                f"{s} ({skills[s]})" if s in skills else str(s) for s in connector.skills
            )
            state = "" if connector.active else " (connector inactive)"
            text += f"  serves skills: {served} on {connector.channel.value}{state}\n"
        parts.append(text)
    return "\n".join(parts)


def show_command(args: argparse.Namespace) -> int:
    print(table_of_contents(args.file), end="")
    return EXIT_OK


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_WIDTH else flat[: TEXT_WIDTH - 3] + "..."


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _title(option: Any) -> str:
    """A choice's title, whether choices are plain texts or structured."""
    if isinstance(option, str):
        return option
    title = getattr(option, "title", None)
    return str(title) if isinstance(title, str) else str(option)


def _bot(bot: Bot, file: str, skills: dict[str, str]) -> str:
    lines = [f"Bot {_q(bot.name)} ({file})"]
    lines.append(f"  type {bot.type.value}, language {bot.language}, NLU {bot.nlu_engine.value}")
    if bot.default_user_friendly_response:
        lines.append(f"  default user-friendly response: {_q(bot.default_user_friendly_response)}")
    if bot.intents:
        lines.append("  intents: " + ", ".join(i.name for i in bot.intents))
    if bot.integrations:
        lines.append("  integrations:")
        for integration in bot.integrations:
            lines += _integration(integration)
    lines.append(f"  dialogs ({len(bot.dialogs)}):")
    targets: list[str] = []
    for number, dialog in enumerate(bot.dialogs, 1):
        lines += _dialog(number, dialog, bot, targets)
    transfers = sorted(set(targets), key=lambda t: (len(t), t))
    integration_targets = [
        f"skill {i.skill_id}" + (f" ({i.skill_name})" if i.skill_name else "")
        for i in bot.integrations
        if isinstance(i, EscalationIntegration) and i.skill_id
    ]
    all_targets = list(dict.fromkeys(transfers + integration_targets))
    lines.append(
        "  transfer targets: "
        + (", ".join(_with_skill_name(t, skills) for t in all_targets) if all_targets else "(none)")
    )
    notes = [
        f"    dialog {_q(d.name)}, interaction {_q(i.name or '?')}: {n}"
        for d in bot.dialogs
        for i in d.interactions
        for n in i.notes
    ]
    if notes:
        lines.append("  not run as written (see simulator check):")
        lines += notes
    return "\n".join(lines) + "\n"


def _with_skill_name(target: str, skills: dict[str, str]) -> str:
    skill_id = target.removeprefix("skill ").split(" ", 1)[0]
    if target.startswith("skill ") and skill_id in skills and "(" not in target:
        return f"{target} ({skills[skill_id]})"
    return target


def _integration(integration: ApiIntegration | EscalationIntegration) -> list[str]:
    if isinstance(integration, ApiIntegration):
        lines = [f"    {integration.name}: API {integration.method} {integration.url}"]
        if integration.body is not None:
            lines.append(f"      body: {_cut(integration.body)}")
        if integration.response_variable:
            lines.append(f"      response variable: {integration.response_variable}")
        if integration.transform:
            lines.append("      transform script: yes")
    else:
        skill = integration.skill_id or integration.skill_name or "?"
        lines = [f"    {integration.name}: LivePerson Agent Escalation to skill {skill}"]
    for key, value in integration.custom_data.items():
        lines.append(f"      custom data {key} = {value}")
    return lines


def _dialog(number: int, dialog: Dialog, bot: Bot, targets: list[str]) -> list[str]:
    kind = dialog.kind_label or dialog.type.value
    lines = [f"    {number}. {_q(dialog.name)} ({kind})"]
    starter = dialog.starter
    if starter is not None:
        parts = []
        if starter.patterns:
            parts.append("patterns " + ", ".join(_q(p) for p in starter.patterns))
        if starter.intent:
            parts.append(f"intent {_q(starter.intent)}")
        if starter.exclude:
            parts.append("exclude " + ", ".join(_q(p) for p in starter.exclude))
        lines.append("       starter: " + ("; ".join(parts) if parts else "(none)"))
    names = [i.name or f"#{n}" for n, i in enumerate(dialog.interactions, 1)]
    for n, inter in enumerate(dialog.interactions):
        lines += _interaction(n, inter, names, bot, targets)
    return lines


def _next(target: str, index: int, names: list[str]) -> str:
    if target == "next":
        return _q(names[index + 1]) if index + 1 < len(names) else "end of dialog"
    if target in ("end", "close_dialog", "close_conversation"):
        return target.replace("_", " ")
    if target.startswith("dialog:"):
        name, _, interaction = target.removeprefix("dialog:").partition("#")
        where = f"dialog {_q(name)}"
        return where + (f", {_q(interaction)}" if interaction else "")
    return _q(target)


def _interaction(
    index: int, inter: Interaction, names: list[str], bot: Bot, targets: list[str]
) -> list[str]:
    name = names[index]
    kind = inter.kind
    head = f"       {index + 1}. {_q(name)} {kind}"
    if inter.disabled:
        head += " (disabled, skipped)"
    if inter.text is not None:
        head += f" {_q(_cut(inter.text))}"
    elif inter.question is not None:
        head += f" {_q(_cut(inter.question))}"
    elif inter.transfer is not None:
        head += " " + _transfer(inter.transfer, targets)
    elif inter.integration is not None:
        head += f" {inter.integration}"
        found = next((i for i in bot.integrations if i.name == inter.integration), None)
        if isinstance(found, EscalationIntegration) and found.skill_id:
            targets.append(f"skill {found.skill_id}")
    elif inter.unsupported is not None:
        head += f" {inter.unsupported} (not supported)"
    lines = [head]
    if inter.options:
        lines.append("          choices: " + " | ".join(_title(o) for o in inter.options))
    if inter.set:
        lines.append("          sets: " + ", ".join(f"{k} = {_q(v)}" for k, v in inter.set.items()))
    for rule in inter.rules:
        lines.append(f"          rule {_rule(rule)} -> {_next(rule.next, index, names)}")
    if inter.question is None or not inter.rules:
        lines.append(f"          next -> {_next(inter.next, index, names)}")
    if inter.on_failure is not None:
        lines.append(f"          on failure -> {_next(inter.on_failure, index, names)}")
    return lines


def _transfer(transfer: AgentTransfer, targets: list[str]) -> str:
    skill = transfer.skill_id or transfer.skill_name or "?"
    targets.append(f"skill {skill}")
    text = f"to skill {skill}"
    if transfer.agent_id:
        text += f", agent {transfer.agent_id}"
    if transfer.message_to_user:
        text += f", message {_q(_cut(transfer.message_to_user))}"
    if transfer.transfer_bot_context:
        text += ", with bot context"
    return text


def _rule(rule: Rule) -> str:
    label = _q(rule.name) + " " if rule.name else ""
    if rule.pattern is not None:
        patterns = [rule.pattern] if isinstance(rule.pattern, str) else rule.pattern
        what = "pattern " + ", ".join(_q(p) for p in patterns)
    elif rule.regex is not None:
        what = f"regex {_q(rule.regex)}"
    elif rule.exact is not None:
        values = [rule.exact] if isinstance(rule.exact, str) else rule.exact
        what = "exact " + ", ".join(_q(v) for v in values)
    elif rule.intent is not None:
        what = f"intent {_q(rule.intent)}"
    elif rule.api_result is not None:
        what = f"API {rule.api_result}"
    elif rule.unsupported is not None:
        what = f"NOT RUN ({rule.unsupported})"
    else:
        what = "no match"
    if rule.exclude:
        what += " excluding " + ", ".join(_q(w) for w in rule.exclude)
    if rule.conditions:
        joined = f" {'or' if rule.conditions_match == 'any' else 'and'} ".join(
            f"{c.name} {c.op.replace('_', ' ')} {_q(c.value)}" for c in rule.conditions
        )
        what += f" if ({joined})"
    if rule.set:
        what += ", sets " + ", ".join(f"{k} = {_q(v)}" for k, v in rule.set.items())
    if rule.fallback_message:
        what += f", says {_q(_cut(rule.fallback_message))}"
    return label + what
