"""Playing a bot's dialogs for one conversation (B1, B2, B3, B7, B8, B10, T2, T3, T6, T7, T9).

``BotSession`` holds what a bot knows about one conversation: its variables (never shared with
another bot, T8), the question it is waiting on, and what it will pass in a transfer. Handling a
message produces a *plan*: messages, escalations and closes, each with the virtual delay after
which it happens. The cloud schedules the plan on the clock; the bot itself never waits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from simulator.bots.actions import (
    DEFAULT_API_FAILURE_TEXT,
    DEFAULT_FALLBACK_TEXT,
    MAX_STEPS_PER_TURN,
    Action,
    ApiRequest,
    ApiResponse,
    AutoTransfer,
    Close,
    Escalate,
    GroupMatch,
    Pending,
    Say,
    TransferContext,
    Turn,
)
from simulator.bots.api_calls import api_request, field_value
from simulator.bots.compiled import (
    CLOSE_CONVERSATION,
    CLOSE_DIALOG,
    SAY,
    CompiledBot,
    CompiledDialog,
    CompiledInteraction,
    CompiledRule,
)
from simulator.bots.intents import score_intents, top_intent
from simulator.bots.rich_build import rich_content
from simulator.bots.rules import conditions_hold, describe_rule, rule_matches
from simulator.bots.variables import render, walk
from simulator.coverage import Coverage
from simulator.nlu import IntentScore, MatchLevel
from simulator.rich import QUICK_REPLY, TEXT, Choice, Content
from simulator.tenant.schema import (
    BLANK_MESSAGE,
    AgentTransfer,
    ApiIntegration,
    BotTransferContext,
    EscalationIntegration,
    Interaction,
)
from simulator.transcript import EntryKind

#: Re-exported: the records and functions that moved out of this module keep their old address.
__all__ = [
    "DEFAULT_API_FAILURE_TEXT",
    "DEFAULT_FALLBACK_TEXT",
    "MAX_STEPS_PER_TURN",
    "Action",
    "ApiRequest",
    "ApiResponse",
    "AutoTransfer",
    "BotHost",
    "BotSession",
    "Close",
    "Escalate",
    "GroupMatch",
    "Pending",
    "Say",
    "TransferContext",
    "Turn",
    "score_intents",
    "top_intent",
]


#: ``MatchLevel.label`` of each level (the property goes through the enum's ``name``).
_LEVEL_LABELS = {level: level.label for level in MatchLevel}
_GOOD = MatchLevel.GOOD


class BotHost(Protocol):
    """What the runtime needs from the conversation it runs in."""

    conversation_id: str
    channel: str

    def now(self) -> datetime: ...

    def log(self, kind: EntryKind, text: str, **details: Any) -> None: ...

    def choose(self, reason: str, candidates: Sequence[str]) -> int: ...

    def pinned_scores(self, text: str) -> dict[str, float] | None: ...

    def group_receiver(self, bot: CompiledBot, text: str) -> GroupMatch | None: ...

    def call_api(
        self, bot: CompiledBot, integration: ApiIntegration, request: ApiRequest
    ) -> ApiResponse: ...

    def run_code(
        self, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]: ...

    def context_operation(self, session: BotSession, op: Any) -> None: ...


#: The transfer context of a session whose bot code set none; shared, never modified in place
#: (``_override_transfer`` replaces it), so sessions need not build one each.
NO_TRANSFER_OVERRIDE = BotTransferContext()


class BotSession:
    """One bot's state inside one conversation.

    Slotted: a load test holds a session per open conversation (100,000 of them), and a
    per-instance ``__dict__`` was a large share of one.
    """

    __slots__ = (
        "api_results",
        "bot",
        "button_payload",
        "coverage",
        "current_dialog",
        "current_intent",
        "custom_fields",
        "host",
        "last_consumer_activity",
        "last_user_message",
        "pending",
        "system_lookup",
        "transfer_override",
        "trigger_next_message",
        "variables",
    )

    def __init__(self, bot: CompiledBot, host: BotHost) -> None:
        self.bot = bot
        self.host = host
        self.variables: dict[str, str] = {}
        self.pending: Pending | None = None
        self.transfer_override = NO_TRANSFER_OVERRIDE
        self.current_dialog: str | None = None
        self.current_intent: str | None = None
        self.last_user_message = ""
        self.api_results: dict[str, Any] = {}
        #: Custom data fields of the integrations called so far, by integration name.
        self.custom_fields: dict[str, dict[str, Any]] = {}
        #: Set by bot code (setTriggerNextMessage): the interaction to play next.
        self.trigger_next_message: str | None = None
        #: When a consumer message last reached this bot (B10 session length).
        self.last_consumer_activity: datetime = host.now()
        #: Platform values texts may name, such as ``{$location.city}`` (simulator.consumer).
        self.system_lookup: Callable[[str], Any] | None = None
        #: The callback value of the button the consumer tapped for the message being handled,
        #: None for a typed message (``getButtonPayload`` reads it, R1).
        self.button_payload: str | None = None
        #: The simulator's coverage collector, if the host offers one (``simulator.coverage``).
        self.coverage: Coverage | None = getattr(host, "coverage", None)
        # What the importer could not map at the bot level is noted once per session (R3).
        for note in bot.definition.notes:
            host.log(EntryKind.WARNING, f"{bot.name}: import note (R3): {note}", bot=bot.name)

    # -- variables ---------------------------------------------------------------------
    def set_variable(self, name: str, value: str, why: str) -> None:
        old = self.variables.get(name)
        if old == value:
            return
        self.variables[name] = value
        self.host.log(
            EntryKind.VARIABLE,
            f'{self.bot.name} set {name} = "{value}"',
            bot=self.bot.name,
            variable=name,
            value=value,
            note=why,
        )

    def render(self, template: str, where: str) -> str:
        if "{" not in template:
            # Every reference starts with a brace; most texts have none.
            return template
        result = render(
            template,
            variables=self.variables,
            user_message=self.last_user_message,
            conversation_id=self.host.conversation_id,
            lookup=self._lookup,
            fields=self.custom_fields,
        )
        for name in result.missing:
            self.host.log(
                EntryKind.WARNING,
                f"{self.bot.name}: {{${name}}} is not set; rendered as empty text in {where}",
                bot=self.bot.name,
            )
        return result.text

    def _lookup(self, root: str, path: str) -> Any:
        if self.system_lookup is not None:
            value = self.system_lookup(root)
            if value is not None:
                return walk(value, path) if path else value
        if root.startswith("api_"):
            name = root.removeprefix("api_")
            if name in self.api_results:
                return walk(self.api_results[name], path) if path else self.api_results[name]
        return None

    # -- entry points ------------------------------------------------------------------
    def handle(self, text: str) -> list[Action]:
        """Handle a message the bot receives (from the consumer or the platform)."""
        self.last_user_message = text
        turn = Turn()
        pending = self.pending
        if pending is not None:
            self._answer(pending, text, turn)
        else:
            self._start_or_fallback(text, turn, switching=False)
        return turn.actions

    def start_from_transfer(self, context: TransferContext) -> list[Action]:
        """A receiver bot's first move when Transfer Bot Context travels with it (T6)."""
        turn = Turn()
        if context.message is not None:
            self.last_user_message = context.message
        if context.intent is not None:
            dialog = self.bot.intent_dialogs.get(context.intent)
            if dialog is not None:
                self.current_intent = context.intent
                if self.coverage is not None:
                    self.coverage.starter_intent(self.bot, dialog, context.intent)
                self._begin(dialog, turn, f'transferred intent "{context.intent}"')
                return turn.actions
            self.host.log(
                EntryKind.DIALOG,
                f'{self.bot.name} has no dialog for transferred intent "{context.intent}";'
                " trying the transferred message",
                bot=self.bot.name,
            )
        if context.message is not None:
            found = self._find_starter(context.message, use_group=False)
            if found is not None:
                dialog, why = found
                self._begin(dialog, turn, f"transferred message: {why}")
                return turn.actions
        self._fallback(turn, "nothing in the transfer context matched")
        return turn.actions

    def start_dialog(self, intent: str | None, message: str, why: str) -> list[Action]:
        """Start the dialog a group transfer picked, as if the consumer had just typed (G5)."""
        self.last_user_message = message
        turn = Turn()
        found = None
        if intent is not None and intent in self.bot.intent_dialogs:
            found = (self.bot.intent_dialogs[intent], why)
            self.current_intent = intent
            if self.coverage is not None:
                self.coverage.starter_intent(self.bot, found[0], intent)
        else:
            found = self._find_starter(message, use_group=False)
        if found is None:
            self._fallback(turn, "the transferred message matched nothing")
        else:
            self._begin(found[0], turn, found[1])
        return turn.actions

    def after_failed_call(self, dialog: str, interaction: str) -> list[Action] | None:
        """Follow the interaction's failure rule after its API call failed at once.

        Returns None when the interaction has no failure rule, so the caller can fall back to
        the platform's asynchronous failure path.
        """
        compiled = self.bot.dialog_by_name.get(dialog)
        if compiled is None or interaction not in compiled.by_name:
            return None
        inter = compiled.interactions[compiled.by_name[interaction]]
        target = inter.definition.on_failure
        if target is None:
            return None
        turn = Turn()
        self.host.log(
            EntryKind.DIALOG,
            f'{self.bot.name} follows the failure rule of "{interaction}": {target}',
            bot=self.bot.name,
        )
        self._walk(compiled, self._next_index(compiled, inter, target, turn), turn)
        return turn.actions

    def reset(self) -> None:
        """Forget everything (stuck-conversation reset, S1; an expired session, B10)."""
        self.variables.clear()
        self.pending = None
        self.transfer_override = NO_TRANSFER_OVERRIDE
        self.current_dialog = None
        self.current_intent = None
        self.api_results.clear()
        self.trigger_next_message = None

    def consumer_activity(self, now: datetime | None = None) -> None:
        """A consumer message is about to reach this bot: expire an idle session first (B10).

        With ``session_length_minutes`` set (an export's ``sessionLength``), a session that
        saw no consumer message for that long is over: variables and the dialog position
        (a pending question) are gone and this message starts a fresh session. Expiry is
        checked when the next message arrives, so the transcript records it at that time.
        ``now``: the host's time, when the caller has it at hand.
        """
        if now is None:
            now = self.host.now()
        minutes = self.bot.definition.session_length_minutes
        if minutes and (idle := now - self.last_consumer_activity) >= timedelta(minutes=minutes):
            self.host.log(
                EntryKind.VARIABLE,
                f"{self.bot.name}'s session expired: no consumer message for"
                f" {idle.total_seconds() / 60:g} minutes, session length {minutes} minutes"
                " (B10); a fresh session starts",
                bot=self.bot.name,
            )
            self.reset()
        self.last_consumer_activity = now

    # -- matching ----------------------------------------------------------------------
    def score_intents(self, text: str, *, starters_only: bool = True) -> list[IntentScore]:
        return score_intents(
            self.bot, text, self.host.pinned_scores(text), starters_only=starters_only
        )

    def _find_starter(self, text: str, *, use_group: bool) -> tuple[CompiledDialog, str] | None:
        starter = self.bot.match_pattern(text)
        if starter is not None:
            if self.coverage is not None:
                self.coverage.starter_pattern(self.bot, starter.dialog, starter.source)
            return starter.dialog, starter.reason
        best = self.best_intent(text)
        if best is not None:
            self.current_intent = best.intent
            if self.coverage is not None:
                dialog = self.bot.intent_dialogs[best.intent]
                self.coverage.starter_intent(self.bot, dialog, best.intent)
            return (
                self.bot.intent_dialogs[best.intent],
                f'intent "{best.intent}" {_LEVEL_LABELS[best.level]} {best.score:.2f}',
            )
        return None

    def best_intent(self, text: str) -> IntentScore | None:
        """The intent that starts a dialog (B7, G2 step 2).

        LivePerson's engine normalises its scores over the bot's intents (they add up to 1)
        and returns its top intent, so two intents cannot tie at GOOD or better there: the
        highest score wins, an exact tie going to the intent listed first in the bot. Legacy
        and third-party engines score intents independently: the highest level wins and
        equal levels are drawn at random (recorded, explorable with all-orders).
        """
        scores = score_intents(self.bot, text, self.host.pinned_scores(text))
        good = [s for s in scores if s.level >= _GOOD]
        if not good:
            return None
        if self.bot.definition.nlu_engine == "liveperson":  # NluEngine.LIVEPERSON
            return good[0] if len(good) == 1 else top_intent(self.bot, good)
        top = max(s.level for s in good)
        tied = [s for s in good if s.level == top]
        if len(tied) == 1:
            return tied[0]
        names = [s.intent for s in tied]
        pick = self.host.choose(f"{self.bot.name}: intents tied at {top.label}", names)
        return tied[pick]

    # -- turn logic --------------------------------------------------------------------
    def _start_or_fallback(self, text: str, turn: Turn, *, switching: bool) -> None:
        found = self._find_starter(text, use_group=True)
        if found is not None:
            dialog, why = found
            if switching:
                why += f'; context switch from dialog "{self.current_dialog}"'
                self.pending = None
            self._begin(dialog, turn, why)
            return
        if self._try_group(text, turn):
            return
        self._fallback(turn, "no dialog starter matched")

    def _try_group(self, text: str, turn: Turn) -> bool:
        match = self.host.group_receiver(self.bot, text)
        if match is None:
            return False
        turn.actions.append(AutoTransfer(match.receiver, match.intent, text, turn.delay_ms))
        self.pending = None
        return True

    def _answer(self, pending: Pending, text: str, turn: Turn) -> None:
        inter = pending.dialog.interactions[pending.index]
        if self.coverage is not None:
            self.coverage.answer(self.bot, pending.dialog, inter, text)
        no_match: CompiledRule | None = None
        # Intent rules first, then the others in order; no-match rules last (as on the platform).
        ordered = sorted(inter.rules, key=lambda r: 0 if r.rule.intent is not None else 1)
        for rule in ordered:
            if rule.rule.unsupported is not None:
                self._unsupported_rule(inter, rule)
                continue
            if rule.rule.no_match:
                if no_match is None and self._conditions_hold(rule, inter.name):
                    no_match = rule
                continue
            if self._rule_matches(rule, text) and self._conditions_hold(rule, inter.name):
                self._follow_answer(pending, inter, rule, text, turn)
                return
        found = self._find_starter(text, use_group=False)
        if found is not None:
            dialog, why = found
            self.host.log(
                EntryKind.DIALOG,
                f'{self.bot.name} leaves question "{inter.name}": the answer starts another dialog',
                bot=self.bot.name,
            )
            self.pending = None
            self._begin(dialog, turn, why + f'; context switch from dialog "{pending.dialog.name}"')
            return
        if no_match is not None or not inter.rules:
            self._follow_answer(pending, inter, no_match, text, turn)
            return
        if self._try_group(text, turn):
            return
        # Not an expected answer: the fallback runs and the question stays open (B8).
        self._fallback(turn, f'not an expected answer to "{inter.name}"')

    def _unsupported_rule(self, inter: CompiledInteraction, rule: CompiledRule) -> None:
        self.host.log(
            EntryKind.ERROR,
            f'{self.bot.name}: rule "{rule.rule.name or describe_rule(rule)}" of'
            f' "{inter.name}" is not run by the simulator ({rule.rule.unsupported}); it does not'
            " match",
            bot=self.bot.name,
        )

    def _conditions_hold(self, rule: CompiledRule, where: str) -> bool:
        """A rule's variable conditions (``rules.conditions_hold``), logged when it has any."""
        if not rule.rule.conditions:
            return True
        held = conditions_hold(rule, where, self.render, self.variables)
        self.host.log(
            EntryKind.DIALOG,
            f'{self.bot.name}: variable conditions of rule "{rule.rule.name or describe_rule(rule)}"'
            f" {'hold' if held else 'do not hold'}",
            bot=self.bot.name,
        )
        return held

    def _rule_matches(self, rule: CompiledRule, text: str) -> bool:
        return rule_matches(rule, text, self._all_intent_scores)

    def _all_intent_scores(self, text: str) -> list[IntentScore]:
        return self.score_intents(text, starters_only=False)

    def _follow_answer(
        self,
        pending: Pending,
        inter: CompiledInteraction,
        rule: CompiledRule | None,
        text: str,
        turn: Turn,
    ) -> None:
        self.pending = None
        label = rule.rule.name or describe_rule(rule) if rule else "any answer"
        self.host.log(
            EntryKind.DIALOG,
            f'{self.bot.name} took answer to "{inter.name}" by rule {label}',
            bot=self.bot.name,
        )
        if self.coverage is not None and rule is not None:
            self.coverage.rule(self.bot, pending.dialog, inter, rule)
        d = inter.definition
        if d.save_as:
            self.set_variable(d.save_as, text, f'answer to "{inter.name}"')
        if d.process_user_response:
            self._code(d.process_user_response, "processUserResponse", inter.name, turn)
        if rule is not None:
            for name, value in rule.rule.set.items():
                self.set_variable(name, self.render(value, inter.name), f"rule {label}")
            if rule.rule.fallback_message:
                message = self.render(rule.rule.fallback_message, inter.name)
                turn.actions.append(Say(message, turn.delay_ms, pending.dialog.name, inter.name))
        target = rule.rule.next if rule is not None else d.next
        self._walk(pending.dialog, self._next_index(pending.dialog, inter, target, turn), turn)

    def _fallback(self, turn: Turn, why: str) -> None:
        fallback = self.bot.fallback
        if fallback is None:
            self.host.log(
                EntryKind.DIALOG,
                f"{self.bot.name} has no fallback dialog ({why}); default fallback text",
                bot=self.bot.name,
            )
            turn.actions.append(
                Say(DEFAULT_FALLBACK_TEXT, turn.delay_ms, "(default fallback)", "-")
            )
            return
        kept = self.pending
        self.host.log(
            EntryKind.DIALOG,
            f'{self.bot.name} started "{fallback.name}" (fallback: {why})',
            bot=self.bot.name,
            dialog=fallback.name,
            reason="fallback",
        )
        self.pending = None
        self._walk(fallback, 0, turn)
        if self.pending is None and kept is not None:
            # After the fallback the consumer returns to where they were (B8).
            self.pending = kept

    def _begin(self, dialog: CompiledDialog, turn: Turn, why: str, *, start: int = 0) -> None:
        self.current_dialog = dialog.name
        self.pending = None
        self.host.log(
            EntryKind.DIALOG,
            f'{self.bot.name} started "{dialog.name}" ({why})',
            bot=self.bot.name,
            dialog=dialog.name,
            reason=why,
        )
        self._walk(dialog, start, turn)

    def _next_index(
        self, dialog: CompiledDialog, inter: CompiledInteraction, target: str, turn: Turn
    ) -> int | None:
        if target == "next":
            return inter.index + 1
        if target == "end":
            return None
        if target == "close_dialog":
            self.pending = None
            return None
        if target == "close_conversation":
            turn.actions.append(Close(turn.delay_ms, dialog.name, inter.name))
            turn.stopped = True
            return None
        if target.startswith("dialog:"):
            name, interaction = self.bot.split_jump(target)
            other = self.bot.dialog_by_name[name]
            start = other.by_name[interaction] if interaction else 0
            self._begin(other, turn, f'jump from "{inter.name}"', start=start)
            return None
        return dialog.by_name[target]

    def _code(self, code: str, phase: str, where: str, turn: Turn) -> None:
        for message in self.host.run_code(self, code, phase, where):
            # Quick replies sent from code ride on the message (js.context_api.CodeMessage):
            # structured like an interaction's own, so tapping one sends its payload (R1).
            replies = tuple(getattr(message, "quick_replies", ()))
            content = (
                Content(
                    "quick_replies",
                    tuple(
                        Choice(r["title"], QUICK_REPLY, TEXT, r.get("payload") or r["title"])
                        for r in replies
                    ),
                )
                if replies
                else None
            )
            turn.actions.append(
                Say(str(message), turn.delay_ms, self.current_dialog or "-", where, content)
            )

    def _walk(self, dialog: CompiledDialog, index: int | None, turn: Turn) -> None:
        self.current_dialog = dialog.name
        if self.coverage is not None:
            self.coverage.dialog(self.bot, dialog)
        while index is not None and index < len(dialog.interactions) and not turn.stopped:
            turn.steps += 1
            if turn.steps > MAX_STEPS_PER_TURN:
                self.host.log(
                    EntryKind.ERROR,
                    f'{self.bot.name}: dialog "{dialog.name}" walked {MAX_STEPS_PER_TURN}'
                    " interactions without waiting for the consumer; stopped (a jump loop?)",
                    bot=self.bot.name,
                )
                return
            inter = dialog.interactions[index]
            d = inter.definition
            if d.disabled:
                self.host.log(
                    EntryKind.DIALOG,
                    f'{self.bot.name} skips disabled interaction "{inter.name}"',
                    bot=self.bot.name,
                )
                index += 1
                continue
            if self.coverage is not None:
                self.coverage.interaction(self.bot, dialog, inter)
            if not inter.extras:
                turn.delay_ms += d.delay_ms
                next_index = self._play(dialog, inter, turn)
            else:
                for note in d.notes:
                    self.host.log(
                        EntryKind.ERROR,
                        f'{self.bot.name}: interaction "{inter.name}" is not run as written:'
                        f" {note}",
                        bot=self.bot.name,
                        dialog=dialog.name,
                    )
                turn.delay_ms += d.delay_ms
                for name, value in d.set.items():
                    self.set_variable(
                        name, self.render(value, inter.name), f'set in "{inter.name}"'
                    )
                if d.bot_transfer is not None:
                    self._override_transfer(d.bot_transfer)
                for op in d.context:
                    self.host.context_operation(self, op)
                if d.pre_process:
                    self._code(d.pre_process, "preProcessMessage", inter.name, turn)
                next_index = self._play(dialog, inter, turn)
                if d.post_process and not turn.stopped:
                    self._code(d.post_process, "postProcessMessage", inter.name, turn)
            if isinstance(next_index, str):  # "wait": a question holds the dialog
                return
            trigger, self.trigger_next_message = self.trigger_next_message, None
            if trigger and not turn.stopped:
                found = self.bot.find_interaction(trigger, prefer=dialog)
                if found is None:
                    self.host.log(
                        EntryKind.ERROR,
                        f'{self.bot.name}: setTriggerNextMessage("{trigger}") names no'
                        " interaction of this bot; ignored",
                        bot=self.bot.name,
                    )
                else:
                    target_dialog, index = found
                    if target_dialog is not dialog:
                        self._begin(target_dialog, turn, "setTriggerNextMessage", start=index)
                        return
                    continue
            index = next_index

    def _override_transfer(self, ctx: BotTransferContext) -> None:
        current = self.transfer_override
        self.transfer_override = BotTransferContext(
            domain=ctx.domain or current.domain,
            intent=ctx.intent or current.intent,
            intent_id=ctx.intent_id or current.intent_id,
            message=ctx.message if ctx.message is not None else current.message,
        )
        self.host.log(
            EntryKind.TRANSFER,
            f"{self.bot.name} set the bot transfer context: "
            + ", ".join(f"{k}={v!r}" for k, v in ctx.model_dump(exclude_none=True).items()),
            bot=self.bot.name,
        )

    def _play(
        self, dialog: CompiledDialog, inter: CompiledInteraction, turn: Turn
    ) -> int | str | None:
        d = inter.definition
        kind = inter.kind
        if kind == "text":
            assert d.text is not None
            mode = inter.text_mode
            if mode is SAY:
                text = self.render(d.text, inter.name)
                content = None
                if inter.rich:
                    text, content = self._rich(d, text, inter.name)
                turn.actions.append(Say(text, turn.delay_ms, dialog.name, inter.name, content))
            elif mode is CLOSE_DIALOG:
                self.pending = None
                self.host.log(EntryKind.DIALOG, f'{self.bot.name} closed dialog "{dialog.name}"')
                return None
            elif mode is CLOSE_CONVERSATION:
                turn.actions.append(Close(turn.delay_ms, dialog.name, inter.name))
                turn.stopped = True
                return None
            target = d.next
            if target == "next":
                return inter.index + 1
            return self._next_index(dialog, inter, target, turn)
        if kind == "question":
            assert d.question is not None
            # BLANK_MESSAGE asks without words (the question's text came from code, as with
            # sendMessageWithQuickReplies); its rich content, if any, still goes out.
            blank = d.question.strip() == BLANK_MESSAGE
            text = "" if blank else self.render(d.question, inter.name)
            text, content = self._rich(d, text, inter.name)
            if text or content is not None:
                turn.actions.append(Say(text, turn.delay_ms, dialog.name, inter.name, content))
            self.pending = Pending(dialog, inter.index)
            return "wait"
        if kind == "transfer":
            assert d.transfer is not None
            self._escalate(d.transfer, dialog, inter, turn, source="Agent Transfer interaction")
            return None
        if kind == "integration":
            assert d.integration is not None
            integration = self.bot.integrations[d.integration]
            if isinstance(integration, EscalationIntegration):
                settings = AgentTransfer(
                    skill_id=integration.skill_id,
                    skill_name=integration.skill_name,
                    agent_id=integration.agent_id,
                    transfer_bot_context=integration.transfer_bot_context,
                    message_to_user=integration.message_to_user,
                )
                self._escalate(
                    settings, dialog, inter, turn, source=f'integration "{integration.name}"'
                )
                return None
            response = self.host.call_api(
                self.bot, integration, self._request(integration, inter.name)
            )
            result = response.body if response.ok else None
            self.api_results[integration.name] = result
            if integration.response_variable:
                self.api_results[integration.response_variable] = result
            fields: dict[str, Any] = {}
            self.custom_fields[integration.name] = fields
            for key, template in integration.custom_data.items():
                fields[key] = self._field_value(template, inter.name)
                self.set_variable(
                    key, self.render(template, inter.name), f'integration "{integration.name}"'
                )
            return self._after_api(dialog, inter, response, turn)
        # Unsupported imported interaction: say so, never skip silently.
        self.host.log(
            EntryKind.ERROR,
            f'{self.bot.name}: interaction "{inter.name}" of type {d.unsupported} is not supported'
            " by the simulator; skipped",
            bot=self.bot.name,
            dialog=dialog.name,
        )
        return self._next_index(dialog, inter, d.next, turn)

    def _request(self, integration: ApiIntegration, where: str) -> ApiRequest:
        return api_request(integration, where, self.render)

    def _field_value(self, template: str, where: str) -> Any:
        return field_value(template, where, self.render, self._lookup)

    def _after_api(
        self,
        dialog: CompiledDialog,
        inter: CompiledInteraction,
        response: ApiResponse,
        turn: Turn,
    ) -> int | None:
        """The integration's result rules: the first whose status and variable conditions
        hold decides; a failure nothing takes sends the platform's default failure text."""
        status = "success" if response.ok else "failure"
        for rule in inter.rules:
            if rule.rule.unsupported is not None:
                self._unsupported_rule(inter, rule)
                continue
            if rule.rule.api_result != status or not self._conditions_hold(rule, inter.name):
                continue
            label = rule.rule.name or f"API result {status}"
            if self.coverage is not None:
                self.coverage.rule(self.bot, dialog, inter, rule)
            self.host.log(
                EntryKind.DIALOG,
                f'{self.bot.name} follows rule {label} of "{inter.name}"'
                f" (HTTP status {response.status})",
                bot=self.bot.name,
            )
            for name, value in rule.rule.set.items():
                self.set_variable(name, self.render(value, inter.name), f"rule {label}")
            return self._next_index(dialog, inter, rule.rule.next, turn)
        if not response.ok:
            if inter.definition.on_failure is not None:
                return self._next_index(dialog, inter, inter.definition.on_failure, turn)
            turn.actions.append(
                Say(DEFAULT_API_FAILURE_TEXT, turn.delay_ms, dialog.name, inter.name)
            )
        return self._next_index(dialog, inter, inter.definition.next, turn)

    def _rich(self, d: Interaction, text: str, where: str) -> tuple[str, Content | None]:
        """The interaction's rich content with variables replaced in every label and value."""
        return rich_content(d, text, where, self.render)

    def _escalate(
        self,
        settings: AgentTransfer,
        dialog: CompiledDialog,
        inter: CompiledInteraction,
        turn: Turn,
        *,
        source: str,
    ) -> None:
        skill_ref = settings.skill_id or ""
        skill_id = self.render(skill_ref, inter.name).strip()
        if not skill_id.isdigit():
            # T2: a non-numeric skill id means no transfer and the fallback message.
            self.host.log(
                EntryKind.TRANSFER,
                f'{self.bot.name}: no transfer, skill id "{skill_ref}" resolved to'
                f' "{skill_id}", which is not numeric (T2)',
                bot=self.bot.name,
            )
            self._fallback(turn, "escalation skill id is not numeric")
            turn.stopped = True
            return
        message = settings.message_to_user or BLANK_MESSAGE
        rendered = None if message.strip() == BLANK_MESSAGE else self.render(message, inter.name)
        context = None
        if settings.transfer_bot_context:
            override = self.transfer_override
            intent = self.bot.resolve_intent(override.domain, override.intent, override.intent_id)
            if intent is None and (override.intent or override.intent_id):
                intent = override.intent_id or override.intent
            context = TransferContext(
                intent=intent or self.current_intent,
                message=override.message
                if override.message is not None
                else self.last_user_message,
            )
        agent_id = self.render(settings.agent_id, inter.name).strip() if settings.agent_id else None
        if self.coverage is not None:
            self.coverage.escalation(self.bot, dialog, inter)
        turn.actions.append(
            Escalate(
                skill_ref=skill_ref,
                skill_id=skill_id,
                agent_id=agent_id or None,
                message_to_user=rendered,
                context=context,
                delay_ms=turn.delay_ms,
                dialog=dialog.name,
                interaction=inter.name,
                source=source,
            )
        )
        self.pending = None
        turn.stopped = True
