"""Best-practice checks on a tenant (T4, G7, C1): warnings, never load errors.

The CLI's ``check`` command prints these; a tenant load records them so a scenario's
transcript and the test report can show them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.js.context_api import unsupported_calls
from simulator.tenant.schema import (
    ESCALATION_FAILED_MESSAGE,
    MESSAGING_ONLY_SETTINGS,
    Channel,
    EscalationIntegration,
)

if TYPE_CHECKING:
    from simulator.bots.compiled import CompiledBot
    from simulator.world_model import World

#: Per preceding text message, the delay an escalation should wait (T4).
DELAY_PER_MESSAGE_MS = 2000
MAX_COLLABORATIVE_GROUP = 15


@dataclass(frozen=True)
class LintWarning:
    code: str
    message: str
    bot: str | None = None
    file: str | None = None
    line: int | None = None

    def render(self) -> str:
        where = (
            f"{self.file}:{self.line}: "
            if self.file and self.line
            else (f"{self.file}: " if self.file else "")
        )
        return f"{where}warning {self.code}: {self.message}"


def lint_world(world: World) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    for bot in world.bots.values():
        warnings.extend(_unreachable_dialogs(bot))
        warnings.extend(_shadowed_starters(bot))
        warnings.extend(not_run_warnings(bot))
        escalates = False
        for dialog in bot.dialogs:
            preceding = 0
            for inter in dialog.interactions:
                d = inter.definition
                is_escalation = d.transfer is not None or (
                    d.integration is not None
                    and isinstance(bot.integrations.get(d.integration), EscalationIntegration)
                )
                if is_escalation:
                    escalates = True
                    warnings.extend(_unknown_target(world, bot.name, dialog.name, inter))
                    needed = preceding * DELAY_PER_MESSAGE_MS
                    if d.delay_ms < needed:
                        warnings.append(
                            LintWarning(
                                "T4",
                                f'bot "{bot.name}", dialog "{dialog.name}": escalation'
                                f' "{inter.name}" has a delay of {d.delay_ms} ms after'
                                f" {preceding} message(s); use at least {needed} ms so they are"
                                " delivered before the transfer",
                                bot.name,
                                bot.file,
                                bot.line,
                            )
                        )
                    preceding = 0
                elif d.text is not None or d.question is not None:
                    preceding += 1
        if escalates and bot.match_pattern(ESCALATION_FAILED_MESSAGE) is None:
            warnings.append(
                LintWarning(
                    "F2",
                    f'bot "{bot.name}" escalates but no dialog starter catches'
                    f" {ESCALATION_FAILED_MESSAGE}; failed transfers will land in the fallback",
                    bot.name,
                    bot.file,
                    bot.line,
                )
            )
    warnings.extend(_chat_connector_settings(world))
    for group in world.groups.values():
        if not group.collaboration:
            continue
        if len(group.members) > MAX_COLLABORATIVE_GROUP:
            warnings.append(
                LintWarning(
                    "G7",
                    f'group "{group.name}" has {len(group.members)} bots; a collaborative group'
                    f" should have at most {MAX_COLLABORATIVE_GROUP}",
                )
            )
        for member in group.members:
            connector = world.connectors.get(member)
            if connector is None or not connector.active:
                warnings.append(
                    LintWarning(
                        "G4",
                        f'bot "{member}" of group "{group.name}" has no active agent connector;'
                        " it can never receive an automatic transfer",
                        member,
                    )
                )
        warnings.extend(_group_overlaps(world, group.name, group.members))
    return warnings


def not_run_warnings(bot: CompiledBot) -> list[LintWarning]:
    """R3: what an imported bot holds that the simulator cannot run (interaction notes and
    rules with an unsupported condition); the runtime logs the same when it reaches them."""
    warnings: list[LintWarning] = [
        LintWarning("R3", f'bot "{bot.name}": {note}', bot.name, bot.file, bot.line)
        for note in bot.definition.notes
    ]
    for dialog in bot.dialogs:
        for inter in dialog.interactions:
            d = inter.definition
            where = f'bot "{bot.name}", dialog "{dialog.name}", interaction "{inter.name}"'
            whats = list(d.notes)
            if d.unsupported is not None:
                whats.append(f"interaction type {d.unsupported} is not supported; it is skipped")
            whats += [
                f'rule "{r.name or i + 1}": {r.unsupported}; the rule never matches'
                for i, r in enumerate(d.rules)
                if r.unsupported is not None
            ]
            warnings += [
                LintWarning("R3", f"{where}: {what}", bot.name, bot.file, bot.line)
                for what in whats
            ]
    # Code that calls a botContext function the simulator does not model, or one that is not
    # documented: the conversation would fail there (js.context_api says the same when run).
    warnings += [
        LintWarning("R3", f'bot "{bot.name}", {found}', bot.name, bot.file, bot.line)
        for found in unsupported_calls(bot.definition)
    ]
    return warnings


def _unreachable_dialogs(bot: CompiledBot) -> list[LintWarning]:
    """Dialogs with no starter that nothing jumps to can never run (B1)."""
    targets: set[str] = set()
    for dialog in bot.dialogs:
        for inter in dialog.interactions:
            nexts = [inter.definition.next, inter.definition.on_failure or ""]
            nexts += [rule.rule.next for rule in inter.rules]
            for target in nexts:
                if target.startswith("dialog:"):
                    targets.add(bot.split_jump(target)[0])
    found = []
    for dialog in bot.dialogs:
        starter = dialog.definition.starter
        has_starter = starter is not None and (starter.patterns or starter.intent)
        if has_starter or dialog.is_fallback or dialog.name in targets:
            continue
        found.append(
            LintWarning(
                "B1",
                f'bot "{bot.name}": dialog "{dialog.name}" has no dialog starter and no'
                " interaction jumps to it, so it can never run",
                bot.name,
                bot.file,
                bot.line,
            )
        )
    return found


def _shadowed_starters(bot: CompiledBot) -> list[LintWarning]:
    """The same pattern in two dialogs: the later one never starts by it (first match wins)."""
    first: dict[str, str] = {}
    found = []
    for starter in bot.starters:
        key = " ".join(starter.source.lower().split())
        owner = first.setdefault(key, starter.dialog.name)
        if owner != starter.dialog.name:
            found.append(
                LintWarning(
                    "B1",
                    f'bot "{bot.name}": pattern "{starter.source}" of dialog'
                    f' "{starter.dialog.name}" also starts dialog "{owner}", which comes first;'
                    " it never starts this one",
                    bot.name,
                    bot.file,
                    bot.line,
                )
            )
    return found


def _unknown_target(world: World, bot: str, dialog: str, inter: Any) -> list[LintWarning]:
    """A literal skill id that the tenant does not define: the transfer will fail (F1)."""
    d = inter.definition
    if d.transfer is not None:
        skill = d.transfer.skill_id
    else:
        integration = world.bots[bot].integrations.get(d.integration or "")
        skill = getattr(integration, "skill_id", None)
    if skill is None or "{$" in skill or skill in world.skills or not world.skills:
        return []
    return [
        LintWarning(
            "T1",
            f'bot "{bot}", dialog "{dialog}": escalation "{inter.name}" targets skill "{skill}",'
            " which this tenant does not define; the transfer will fail",
            bot,
        )
    ]


def _group_overlaps(world: World, group: str, members: list[str]) -> list[LintWarning]:
    found: list[LintWarning] = []
    seen_patterns: dict[str, str] = {}
    seen_intents: dict[str, str] = {}
    for member in members:
        bot = world.bots[member]
        for starter in bot.starters:
            key = starter.source.strip().lower()
            other = seen_patterns.get(key)
            if other is not None and other != member:
                found.append(
                    LintWarning(
                        "G7",
                        f'group "{group}": bots "{other}" and "{member}" both start a dialog on'
                        f' pattern "{starter.source}"; the winner depends on the store order',
                    )
                )
            seen_patterns.setdefault(key, member)
        for intent in bot.intent_dialogs:
            other = seen_intents.get(intent)
            if other is not None and other != member:
                found.append(
                    LintWarning(
                        "G7",
                        f'group "{group}": bots "{other}" and "{member}" both start a dialog on'
                        f' intent "{intent}"; the winner depends on the store order',
                    )
                )
            seen_intents.setdefault(intent, member)
    found.extend(_overlap_by_example(world, group, members))
    return found


def _overlap_by_example(world: World, group: str, members: list[str]) -> list[LintWarning]:
    """Different starters can still catch the same message: try each bot's examples (its
    patterns written out, its starter intents' training phrases) on the other bots."""
    found: list[LintWarning] = []
    reported: set[frozenset[str]] = set()
    for member in members:
        bot = world.bots[member]
        examples = [sample for st in bot.starters for sample in pattern_samples(st.source)]
        examples += [p for i in bot.intent_dialogs for p in bot.intent_model.intents.get(i, ())]
        for other_name in members:
            pair = frozenset((member, other_name))
            if other_name == member or pair in reported:
                continue
            other = world.bots[other_name]
            for example in examples:
                if other.match_pattern(example) is not None or (
                    (best := other.intent_model.best(example)) is not None and best.starts_dialog
                ):
                    reported.add(pair)
                    found.append(
                        LintWarning(
                            "G7",
                            f'group "{group}": "{example}" starts a dialog in bot "{member}"'
                            f' and in bot "{other_name}"; the winner depends on the store order',
                        )
                    )
                    break
    return found


def pattern_samples(source: str, limit: int = 8) -> list[str]:
    """Messages a (valid) pattern matches: alternatives written out, wildcards left empty."""

    def sequence(i: int) -> tuple[list[str], int]:
        results = [""]
        while i < len(source) and source[i] not in ")|":
            char = source[i]
            if char == "(":
                alternatives, i = group(i + 1)
                results = [r + a for r in results for a in alternatives][:limit]
                continue
            if char != "*":
                results = [r + char for r in results]
            i += 1
        return results, i

    def group(i: int) -> tuple[list[str], int]:
        alternatives: list[str] = []
        while True:
            options, i = sequence(i)
            alternatives += options
            if i < len(source) and source[i] == "|":
                i += 1
                continue
            return alternatives, i + 1

    samples, _ = sequence(0)
    cleaned = [" ".join(s.split()) for s in samples]
    return [s for s in dict.fromkeys(cleaned) if s]


def _chat_connector_settings(world: World) -> list[LintWarning]:
    """Settings documented "Messaging: Yes, Chat: No" set on a chat connector do nothing (C1)."""
    warnings: list[LintWarning] = []
    for connector in world.connectors.values():
        if connector.channel is not Channel.CHAT:
            continue
        given = connector.settings.model_fields_set
        file, line = world.connector_origins.get(connector.bot, (None, None))
        for field, documented in MESSAGING_ONLY_SETTINGS.items():
            if field in given:
                warnings.append(
                    LintWarning(
                        "C1",
                        f'connector of bot "{connector.bot}": {documented} applies to messaging'
                        " only; this connector is chat, so it has no effect",
                        connector.bot,
                        file,
                        line,
                    )
                )
    return warnings
