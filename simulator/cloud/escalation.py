"""Escalations and their failures: the transfer request, failures, give-up and timeout (F1-F4).

An escalation sends its Message to User (T3), then succeeds (routing takes over), fails
(``__agent_escalation_failed__`` goes back to the bot, F1/F2, until the give-up limit, F3) or
gets no response and times out to the connector's fallback skill (F4). On a messaging
connector the same ``fallbackEscalationTime`` also guards every consumer message: a bot that
sends nothing for longer than that after a consumer message reached it loses the conversation
to the fallback skill, or fails an escalation when there is none (F4, the general timer).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from simulator.bots.runtime import Escalate, TransferContext
from simulator.clock import milliseconds
from simulator.cloud.conversation import Conversation, PendingEscalation
from simulator.cloud.core import CloudCore
from simulator.cloud.faults import Fault, FaultKind
from simulator.tenant.schema import ESCALATION_FAILED_MESSAGE, ConnectorSettings
from simulator.transcript import EntryKind


class EscalationMixin(CloudCore):
    """What happens to an escalation a bot starts (T3, F1-F4)."""

    def escalate(self, conv: Conversation, bot: str, esc: Escalate) -> None:
        if conv.bot != bot:
            self.log(
                conv, EntryKind.WARNING, f"{bot} escalated but no longer holds the conversation"
            )
            return
        settings = self.settings_of(bot)
        target = self.world.skill_label(esc.skill_id)
        self.log(
            conv,
            EntryKind.TRANSFER,
            f"{bot} escalates to skill {target} via {esc.source}"
            + (f', agent "{esc.agent_id}"' if esc.agent_id else "")
            + (
                f" with bot context (intent={esc.context.intent!r}, message={esc.context.message!r})"
                if esc.context
                else ""
            ),
            skill=esc.skill_id,
        )
        fault = self.faults.take(esc.skill_id)
        chance = getattr(self.world.platform.chaos, conv.channel.value)
        if fault is None and chance > 0 and self.rng.random() < chance:
            fault = Fault(FaultKind.FAIL)
            self.log(
                conv, EntryKind.FAULT, f"chaos profile: this {conv.channel.value} transfer fails"
            )
        if fault is not None and fault.kind is FaultKind.API_ERROR:
            self.log(
                conv, EntryKind.FAULT, f"the transfer API call to skill {target} failed at once"
            )
            actions = self.session(conv, bot).after_failed_call(esc.dialog, esc.interaction)
            if actions is not None:
                self.schedule(conv, bot, actions)
                return
            self.escalation_failed(
                conv, bot, "the transfer API call failed and the interaction has no failure rule"
            )
            return
        if esc.message_to_user is not None:
            # Sent with the transfer request: the last thing the consumer sees before it (T3).
            self.deliver_now(conv, bot, esc.message_to_user, note="message to user")
        if fault is not None and fault.kind is FaultKind.DROP:
            self.log(conv, EntryKind.FAULT, "the chat server dropped the escalation: no response")
            self._await_response(conv, bot, esc, settings)
            return
        if fault is not None:
            self.log(conv, EntryKind.FAULT, f"transfer to skill {target} will fail")
            self.clock.call_later(
                timedelta(milliseconds=fault.delay_ms),
                lambda: self.escalation_failed(conv, bot, f"transfer to skill {target} failed"),
                label="escalation failure",
            )
            return
        if esc.skill_id not in self.world.skills:
            self.clock.call_later(
                timedelta(0),
                lambda: self.escalation_failed(
                    conv, bot, f'skill "{esc.skill_id}" does not exist in this tenant'
                ),
                label="escalation failure",
            )
            return
        self._transfer(conv, bot, esc.skill_id, esc.agent_id, esc.context)

    def _await_response(
        self, conv: Conversation, bot: str, esc: Escalate, settings: ConnectorSettings
    ) -> None:
        """Seed 003: an escalation without response for more than fallbackEscalationTime."""
        pending = PendingEscalation(bot, esc.skill_id, self.clock.now())
        conv.pending_escalation = pending
        if conv.response_timer is not None:
            # The escalation's own timer takes over from the general one (F4).
            conv.response_timer.cancel()
            conv.response_timer = None

        def timeout() -> None:
            if conv.pending_escalation is not pending or not conv.is_open:
                return
            conv.pending_escalation = None
            self._no_response(conv, bot, "no response to the escalation", esc.context)

        pending.timeout = self.clock.call_later(
            self._fallback_wait(settings), timeout, label="escalation timeout", settles=False
        )

    @staticmethod
    def _fallback_wait(settings: ConnectorSettings) -> timedelta:
        # "More than" the limit: exactly at the limit nothing has happened yet (F4).
        return milliseconds(settings.fallback_escalation_time_ms + 1)

    def start_response_timer(
        self, conv: Conversation, bot: str, settings: ConnectorSettings | None = None
    ) -> None:
        """F4's general timer (messaging): from a consumer message reaching the bot until
        the bot's next message to the consumer. A timer already running keeps its start:
        it counts from the first consumer message the bot has not answered. ``settings``:
        the bot's effective connector settings, when the caller has them at hand."""
        if conv.response_timer is not None or conv.pending_escalation is not None:
            return
        if settings is None:
            settings = self.settings_of(bot)
        clock = self.clock
        conv.response_timer = clock.call_at(
            clock.now() + milliseconds(settings.fallback_escalation_time_ms + 1),
            partial(self._response_timeout, conv, bot),
            label="no-response timer (fallbackEscalationTime)",
            settles=False,
        )

    def _response_timeout(self, conv: Conversation, bot: str) -> None:
        conv.response_timer = None
        if conv.bot != bot or not conv.is_open or conv.pending_escalation is not None:
            return
        self._no_response(conv, bot, f"{bot} sent no response to the consumer", None)

    def bot_responded(self, conv: Conversation, bot: str) -> None:
        if conv.response_timer is not None and conv.bot == bot:
            conv.response_timer.cancel()
            conv.response_timer = None

    def _no_response(
        self, conv: Conversation, bot: str, what: str, context: TransferContext | None
    ) -> None:
        """No response for fallbackEscalationTime: the fallback skill, else a failure (F4)."""
        settings = self.settings_of(bot)
        connector = self.connectors.get(bot)
        fallback = connector.fallback_skill_id if connector else None
        limit = settings.fallback_escalation_time_ms
        if fallback is not None:
            self.log(
                conv,
                EntryKind.TRANSFER,
                f"{what} for {limit} ms;"
                f" trying the connector's fallback skill {self.world.skill_label(fallback)} (F4)",
            )
            self._transfer(conv, bot, fallback, None, context)
        else:
            self.escalation_failed(
                conv,
                bot,
                f"{what} for {limit} ms and the connector has no fallback skill (F4)",
            )

    def escalation_failed(self, conv: Conversation, bot: str, why: str) -> None:
        if not conv.is_open or conv.bot != bot:
            return
        settings = self.settings_of(bot)
        failures = conv.escalation_failures.get(bot, 0)
        if failures >= settings.max_escalation_retries:
            definition = self.bot(bot).definition
            text = definition.default_user_friendly_response or settings.escalation_give_up_message
            self.log(
                conv,
                EntryKind.TRANSFER,
                f"escalation failed ({why}); {ESCALATION_FAILED_MESSAGE} was already sent"
                f" {failures} times, so the escalation stops (F3)",
            )
            self.deliver_now(conv, bot, text, note="escalation given up")
            return
        conv.escalation_failures[bot] = failures + 1
        self.log(conv, EntryKind.TRANSFER, f"escalation failed: {why} (F1)")
        self.deliver_to_bot(conv, bot, ESCALATION_FAILED_MESSAGE, platform=True)

    def _transfer(
        self,
        conv: Conversation,
        bot: str,
        skill_id: str,
        agent_id: str | None,
        context: TransferContext | None,
    ) -> None:
        conv.escalation_failures.pop(bot, None)
        self.route(conv, skill_id, agent_id=agent_id, context=context, via=f"escalation by {bot}")
