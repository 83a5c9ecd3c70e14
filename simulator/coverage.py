"""Bot coverage: which parts of each bot (and which platform rules) a test suite exercised.

Pure core, no pytest. Each ``Simulator`` owns one ``Coverage`` (no module-level state, so
scenarios running side by side never mix): loading a tenant registers every bot's items (the
universe), and the bot runtime reports what it walked through while the scenario runs. The
pytest plugin and the CLI merge the per-scenario collectors (also across pytest-xdist workers,
as the JSON-safe dict of ``to_dict``) and render the summary, the HTML section and the JSON file.

An item is a string key inside a category of a bot, so the universe and the hits merge by set
union and a category can be added (for example structured choices) without changing the format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.bots.compiled import CompiledBot, CompiledDialog, CompiledInteraction

#: The platform message a dialog starts on to catch a failed escalation (F2).
ESCALATION_FAILED = "__agent_escalation_failed__"

#: Categories, in the order they are listed.
CATEGORIES = (
    "dialogs",
    "interactions",
    "starters",
    "rules",
    "choices",
    "escalations",
    "failure_handlers",
)
#: Their labels in the terminal and the HTML report.
LABELS = {
    "dialogs": "dialogs",
    "interactions": "interactions",
    "starters": "starters",
    "rules": "rules",
    "choices": "choices",
    "escalations": "escalations",
    "failure_handlers": "failure handlers",
}

#: The platform rules (ids and titles of ``RULES.md``), for the rule legend of the reports.
RULE_TITLES: dict[str, str] = {
    "T1": "Transfer to a skill",
    "T2": "Skill ID resolution",
    "T3": "Message to User",
    "T4": "Interaction delay",
    "T5": "Agent ID (bot-to-human only)",
    "T6": "Transfer Bot Context (bot-to-bot)",
    "T7": "Overriding the context",
    "T8": "Separate bot contexts",
    "T9": "Bot-to-bot without the context object",
    "F1": "Failed escalation message",
    "F2": "Catching the failure",
    "F3": "Giving up",
    "F4": "No response for 3 minutes",
    "F5": "Receiver availability",
    "G1": "Groups",
    "G2": "Selection order",
    "G3": "No match anywhere",
    "G4": "Who can receive",
    "G5": "Seamless hand-off",
    "G6": "Group transfer message",
    "G7": "Best practices the simulator checks",
    "G8": "Manual only",
    "B1": "Dialog starters",
    "B2": "Fallback",
    "B3": "Variables",
    "B4": "Channels",
    "B5": "Virtual time",
    "B6": "Pattern syntax",
    "B7": "Intent match levels",
    "B8": "Default fallback text",
    "B9": "Default user-friendly response",
    "C1": "Connector settings",
    "S1": "Stuck conversations",
    "R1": "Choices send values",
    "R2": "Rich content is structured",
    "R3": "Nothing is dropped",
}

_TAG_RULE = re.compile(r"^@?([a-zA-Z])(\d{1,2})$")
#: How the cloud names a rule it applied in a transcript line: "... (T2)".
_TEXT_RULE = re.compile(r"\(([TFGBCSR]\d{1,2})\)")
SEP = " › "


def rule_ids_from_tags(tags: Iterable[str]) -> set[str]:
    """Rule ids named by Gherkin tags (``@t3`` -> ``T3``); other tags are ignored."""
    found = set()
    for tag in tags:
        match = _TAG_RULE.match(tag.strip())
        if match is not None:
            rule = f"{match.group(1).upper()}{int(match.group(2))}"
            if rule in RULE_TITLES:
                found.add(rule)
    return found


def rule_ids_from_text(text: str) -> set[str]:
    """Rule ids the cloud named in a transcript line (``... which is not numeric (T2)``)."""
    return {m for m in _TEXT_RULE.findall(text) if m in RULE_TITLES}


def _key(*parts: str) -> str:
    return SEP.join(parts)


def _choice_text(option: Any) -> str:
    """An option's label: a plain string today; a structured choice (rich content) exposes
    ``title``/``text``/``label`` and is counted by it."""
    if isinstance(option, str):
        return option
    for name in ("title", "text", "label", "value"):
        value = getattr(option, name, None)
        if value is None and isinstance(option, Mapping):
            value = option.get(name)
        if value:
            return str(value)
    return str(option)


def _choice_values(option: Any) -> set[str]:
    """Everything a consumer may type to pick an option (its label and its value)."""
    values = {_choice_text(option)}
    if isinstance(option, str):
        return {option.strip().casefold()} if option.strip() else set()
    for name in ("value", "title", "text", "label"):
        value = getattr(option, name, None)
        if value is None and isinstance(option, Mapping):
            value = option.get(name)
        if value:
            values.add(str(value))
    return {v.strip().casefold() for v in values if v.strip()}


#: Interaction fields that offer choices; a missing one is skipped, so the list can run ahead of
#: the tenant model (structured rich content adds quick replies, buttons and card buttons).
_CHOICE_FIELDS = ("options", "quick_replies", "buttons", "choices")


def offered_choices(definition: Any) -> list[Any]:
    """Every choice an interaction offers, in order, as far as the model exposes them."""
    found: list[Any] = []
    for name in _CHOICE_FIELDS:
        found.extend(getattr(definition, name, None) or [])
    for card in getattr(definition, "cards", None) or []:
        found.extend(getattr(card, "buttons", None) or [])
    return found


def _rule_label(rule: Any, index: int) -> str:
    r = rule.rule
    if r.name:
        return f"{index + 1}. {r.name}"
    for key in ("pattern", "regex", "exact", "intent", "api_result"):
        value = getattr(r, key, None)
        if value is not None:
            return f"{index + 1}. {key} {value!r}"
    return f"{index + 1}. no match"


@dataclass
class BotCoverage:
    """One bot: every item (the universe) and the items exercised, by category."""

    items: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in CATEGORIES})
    hit: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in CATEGORIES})

    def mark(self, category: str, key: str) -> None:
        self.items.setdefault(category, set()).add(key)
        self.hit.setdefault(category, set()).add(key)

    def merge(self, other: BotCoverage) -> None:
        for category, keys in other.items.items():
            self.items.setdefault(category, set()).update(keys)
        for category, keys in other.hit.items():
            self.hit.setdefault(category, set()).update(keys)

    def counts(self, category: str) -> tuple[int, int]:
        items = self.items.get(category, set())
        return len(self.hit.get(category, set()) & items), len(items)


class Coverage:
    """Collector of one simulator (and, merged, of a whole run)."""

    def __init__(self) -> None:
        self.bots: dict[str, BotCoverage] = {}
        self.rules: set[str] = set()
        self.scenarios = 0
        # Items already marked, by (kind, id of the compiled object, ...) -> that object (kept
        # so its id cannot be reused): the runtime reports a dialog, an interaction and a
        # starter on every message, and building their keys again would cost more than the
        # rest of the bot's turn.
        self._marked: dict[tuple[Any, ...], object] = {}

    # -- the universe ------------------------------------------------------------------------
    def add_bot(self, bot: CompiledBot) -> None:
        """Register every item of a compiled bot (once per bot name and scenario)."""
        cov = self.bots.setdefault(bot.name, BotCoverage())
        items = cov.items
        for dialog in bot.dialogs:
            items["dialogs"].add(dialog.name)
            starter = dialog.definition.starter
            if starter is not None:
                for pattern in starter.patterns:
                    items["starters"].add(_key(dialog.name, f'pattern "{pattern}"'))
                    if pattern.strip() == ESCALATION_FAILED:
                        items["failure_handlers"].add(dialog.name)
                if starter.intent is not None:
                    items["starters"].add(_key(dialog.name, f'intent "{starter.intent}"'))
            for inter in dialog.interactions:
                if inter.definition.disabled:
                    continue
                where = _key(dialog.name, inter.name)
                items["interactions"].add(where)
                for index, rule in enumerate(inter.rules):
                    items["rules"].add(_key(where, _rule_label(rule, index)))
                for option in offered_choices(inter.definition):
                    items["choices"].add(_key(where, _choice_text(option)))
                if _is_escalation(bot, inter):
                    items["escalations"].add(where)

    # -- what the runtime reports --------------------------------------------------------------
    def _bot(self, bot: CompiledBot) -> BotCoverage:
        cov = self.bots.get(bot.name)
        if cov is None:
            self.add_bot(bot)
            cov = self.bots[bot.name]
        return cov

    def dialog(self, bot: CompiledBot, dialog: CompiledDialog) -> None:
        key = ("d", id(dialog))
        if self._marked.get(key) is dialog:
            return
        self._marked[key] = dialog
        cov = self._bot(bot)
        cov.mark("dialogs", dialog.name)
        if dialog.name in cov.items["failure_handlers"]:
            cov.mark("failure_handlers", dialog.name)

    def interaction(
        self, bot: CompiledBot, dialog: CompiledDialog, inter: CompiledInteraction
    ) -> None:
        key = ("i", id(inter))
        if self._marked.get(key) is not inter:
            self._marked[key] = inter
            self._bot(bot).mark("interactions", _key(dialog.name, inter.name))

    def starter_pattern(self, bot: CompiledBot, dialog: CompiledDialog, pattern: str) -> None:
        key = ("p", id(dialog), pattern)
        if self._marked.get(key) is not dialog:
            self._marked[key] = dialog
            self._bot(bot).mark("starters", _key(dialog.name, f'pattern "{pattern}"'))

    def starter_intent(self, bot: CompiledBot, dialog: CompiledDialog, intent: str) -> None:
        key = ("n", id(dialog), intent)
        if self._marked.get(key) is not dialog:
            self._marked[key] = dialog
            self._bot(bot).mark("starters", _key(dialog.name, f'intent "{intent}"'))

    def rule(
        self, bot: CompiledBot, dialog: CompiledDialog, inter: CompiledInteraction, rule: Any
    ) -> None:
        for index, known in enumerate(inter.rules):
            if known is rule:
                where = _key(dialog.name, inter.name, _rule_label(rule, index))
                self._bot(bot).mark("rules", where)
                return

    def answer(
        self, bot: CompiledBot, dialog: CompiledDialog, inter: CompiledInteraction, text: str
    ) -> None:
        """The consumer answered a question: a choice is covered when the answer picks it."""
        typed = text.strip().casefold()
        for option in offered_choices(inter.definition):
            if typed in _choice_values(option):
                self._bot(bot).mark("choices", _key(dialog.name, inter.name, _choice_text(option)))
                return

    def escalation(
        self, bot: CompiledBot, dialog: CompiledDialog, inter: CompiledInteraction
    ) -> None:
        self._bot(bot).mark("escalations", _key(dialog.name, inter.name))

    def rules_seen(self, rules: Iterable[str]) -> None:
        self.rules.update(rules)

    # -- merging and figures -------------------------------------------------------------------
    def merge(self, other: Coverage) -> None:
        for name, cov in other.bots.items():
            self.bots.setdefault(name, BotCoverage()).merge(cov)
        self.rules |= other.rules
        self.scenarios += other.scenarios

    def totals(self, category: str | None = None) -> tuple[int, int]:
        """(covered, total) over every bot, for one category or all of them."""
        covered = total = 0
        for cov in self.bots.values():
            for cat in CATEGORIES if category is None else (category,):
                c, t = cov.counts(cat)
                covered += c
                total += t
        return covered, total

    def percent(self) -> float:
        """Covered items of every bot and category, in percent (100 when there are none)."""
        covered, total = self.totals()
        return 100.0 if total == 0 else 100.0 * covered / total

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe and sorted (the same run gives the same bytes)."""
        bots: dict[str, Any] = {}
        for name in sorted(self.bots):
            cov = self.bots[name]
            entry: dict[str, Any] = {}
            for category in CATEGORIES:
                items = cov.items.get(category, set())
                hit = cov.hit.get(category, set()) & items
                entry[category] = {
                    "covered": len(hit),
                    "total": len(items),
                    "hit": sorted(hit),
                    "missed": sorted(items - hit),
                }
            bots[name] = entry
        covered, total = self.totals()
        return {
            "percent": round(self.percent(), 2),
            "covered": covered,
            "total": total,
            "scenarios": self.scenarios,
            "bots": bots,
            "platform_rules": {
                "touched": sorted(self.rules, key=_rule_order),
                "untouched": sorted(set(RULE_TITLES) - self.rules, key=_rule_order),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Coverage:
        result = cls()
        for name, entry in (data.get("bots") or {}).items():
            cov = result.bots.setdefault(str(name), BotCoverage())
            for category, figures in entry.items():
                hit = {str(k) for k in figures.get("hit", [])}
                missed = {str(k) for k in figures.get("missed", [])}
                cov.items.setdefault(category, set()).update(hit | missed)
                cov.hit.setdefault(category, set()).update(hit)
        result.rules = {str(r) for r in (data.get("platform_rules") or {}).get("touched", [])}
        result.scenarios = int(data.get("scenarios", 0))
        return result

    def summary_lines(self, *, missed_limit: int = 5) -> list[str]:
        """The terminal summary: one line per bot and category, then the platform rules."""
        lines = []
        for name in sorted(self.bots):
            cov = self.bots[name]
            parts = []
            for category in CATEGORIES:
                covered, total = cov.counts(category)
                if total:
                    parts.append(f"{LABELS[category]} {covered}/{total}")
            lines.append(f"{name}: " + (", ".join(parts) if parts else "nothing to cover"))
            for category in CATEGORIES:
                missed = sorted(cov.items.get(category, set()) - cov.hit.get(category, set()))
                if missed:
                    shown = "; ".join(missed[:missed_limit])
                    more = (
                        f" (+{len(missed) - missed_limit} more)"
                        if len(missed) > missed_limit
                        else ""
                    )
                    lines.append(f"  not exercised {LABELS[category]}: {shown}{more}")
        touched = sorted(self.rules, key=_rule_order)
        lines.append(
            f"platform rules touched: {len(touched)}/{len(RULE_TITLES)}"
            + (f" ({' '.join(touched)})" if touched else "")
        )
        covered, total = self.totals()
        lines.append(f"total: {covered}/{total} items, {self.percent():.1f}%")
        return lines


def _rule_order(rule: str) -> tuple[int, int]:
    order = "TFGBCSR"
    return (order.index(rule[0]) if rule[0] in order else len(order), int(rule[1:] or 0))


def _is_escalation(bot: CompiledBot, inter: CompiledInteraction) -> bool:
    d = inter.definition
    if d.kind == "transfer":
        return True
    if d.kind == "integration" and d.integration is not None:
        integration = bot.integrations.get(d.integration)
        return integration is not None and type(integration).__name__ == "EscalationIntegration"
    return False


__all__ = [
    "CATEGORIES",
    "ESCALATION_FAILED",
    "LABELS",
    "RULE_TITLES",
    "BotCoverage",
    "Coverage",
    "rule_ids_from_tags",
    "rule_ids_from_text",
    "rules_in_transcripts",
]


def rules_in_transcripts(conversations: Iterable[Any]) -> set[str]:
    """Platform rules the cloud named while it ran (duck-typed ``transcript.entries``)."""
    found: set[str] = set()
    for conv in conversations:
        for entry in conv.transcript.entries:
            found |= rule_ids_from_text(str(entry.text))
            note = entry.details.get("note") if isinstance(entry.details, Mapping) else None
            if note:
                found |= rule_ids_from_text(str(note))
    return found
