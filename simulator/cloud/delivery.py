"""Bot actions become events on the virtual clock; bot messages take delivery time (T4).

Each bot message leaves the bot when its action is due and reaches the consumer
``message_delivery_ms`` later, one after another per bot; a message that arrives after the
conversation moved on is marked late, which is how a too-short escalation delay shows (T4).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from simulator.bots.runtime import Action, AutoTransfer, Close, Escalate, Say
from simulator.clock import format_elapsed, milliseconds
from simulator.cloud.conversation import Conversation, Participant, State
from simulator.cloud.core import CloudCore
from simulator.rich import Content, text_version
from simulator.transcript import EntryKind


class DeliveryMixin(CloudCore):
    """Schedules what a bot decided and delivers what it says."""

    def schedule(self, conv: Conversation, bot: str, actions: Sequence[Action]) -> None:
        clock = self.clock
        start = clock.now()
        run = self._run_action
        for action in actions:
            delay = action.delay_ms
            due = start + milliseconds(delay) if delay else start
            clock.post(due, partial(run, conv, bot, action), type(action).__name__)

    def _run_action(self, conv: Conversation, bot: str, action: Action) -> None:
        if conv.state is not State.OPEN:
            return
        if isinstance(action, Say):
            self._send(conv, bot, action.text, action.content)
        elif isinstance(action, Escalate):
            self.escalate(conv, bot, action)
        elif isinstance(action, AutoTransfer):
            self.auto_transfer(conv, bot, action)
        elif isinstance(action, Close):
            self.close(conv, f'{bot} closed it in "{action.interaction}"')

    def _send(
        self, conv: Conversation, bot: str, text: str, content: Content | None = None
    ) -> None:
        """A bot message leaves the bot now and reaches the consumer after delivery time."""
        clock = self.clock
        now = clock.now()
        delivery = milliseconds(self.world.platform.message_delivery_ms)
        free = conv.outbox_free_at.get(bot, now)
        arrives = (free if free > now else now) + delivery
        conv.outbox_free_at[bot] = arrives
        self.messages_sent += 1
        if conv.response_timer is not None:
            self.bot_responded(conv, bot)
        # A partial, not a closure: a closure over these seven values allocates a cell for
        # each, and every allocation of the engine's hot path feeds the cyclic collector.
        clock.post(
            arrives,
            partial(
                self._deliver, conv, bot, text, content, now, conv.participant, conv.transfer_count
            ),
            "bot message delivery",
        )

    def _deliver(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        content: Content | None,
        sent_at: datetime,
        holder: Participant | None,
        transfers_before: int,
    ) -> None:
        """The message reaches the consumer; late when the conversation moved on (T4)."""
        note = None
        participant = conv.participant
        if conv.transfer_count != transfers_before or (
            participant is not holder and participant != holder
        ):
            note = (
                f"late: sent at {format_elapsed(sent_at - self.clock.start)}, delivered after"
                " the conversation was transferred (T4)"
            )
            self.log(
                conv,
                EntryKind.WARNING,
                f'{bot}\'s message "{text}" arrived after the transfer (T4)',
            )
        if content is None and note is None:
            conv.transcript.append(self.clock.now(), EntryKind.BOT, bot, text, {})
        else:
            # Rich content stays structured (R2); a text-only channel gets its text version.
            conv.transcript.add(
                self.clock.now(),
                EntryKind.BOT,
                bot,
                text,
                note=note,
                content=None if content is None else content.to_json(),
                text_version=text_version(text, content)
                if content is not None and conv.text_only
                else None,
            )
        conv.last_speaker = "bot"
        self.messages_delivered += 1

    def deliver_now(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        note: str | None = None,
        *,
        response: bool = True,
    ) -> None:
        conv.transcript.add(self.clock.now(), EntryKind.BOT, bot, text, note=note)
        conv.last_speaker = "bot"
        if response:
            self.bot_responded(conv, bot)

    def close(self, conv: Conversation, why: str) -> None:
        if not conv.is_open:
            return
        conv.state = State.CLOSED
        self.release(conv)
        if conv.auto_close_timer is not None:
            conv.auto_close_timer.cancel()
            conv.auto_close_timer = None
        self.log(conv, EntryKind.CONVERSATION, f"closed: {why}")
