"""A bot receives a transferred conversation: with the bot context, or from the last message (T6-T9).

With a Transfer Bot Context the receiver starts from the intent or message it was handed
(T6, T7; the matching itself is the runtime's ``start_from_transfer``). Without one it starts
from the consumer's last message, or its connector greets it with "hi" after a few seconds
(T9). Each bot gets its own session, so contexts stay separate (T8).
"""

from __future__ import annotations

from datetime import timedelta

from simulator.bots.runtime import TransferContext
from simulator.cloud.conversation import Conversation, Participant
from simulator.cloud.core import CloudCore
from simulator.transcript import EntryKind


class BotTransferMixin(CloudCore):
    """How a bot joins a conversation it was assigned (T6-T9)."""

    def assign_bot(
        self,
        conv: Conversation,
        bot: str,
        *,
        how: str,
        context: TransferContext | None = None,
        greet: bool = True,
    ) -> None:
        conv.participant = Participant("bot", bot)
        conv.queued_at = None
        self.log(conv, EntryKind.ROUTING, f'assigned to bot "{bot}" ({how})', bot=bot)
        if not greet:
            return
        session = self.session(conv, bot)
        if context is not None:
            self.schedule(conv, bot, session.start_from_transfer(context))
            return
        self._join_without_context(conv, bot)

    def _join_without_context(self, conv: Conversation, bot: str) -> None:
        """T9: the receiver starts from the last message, or is greeted with "hi".

        The docs say a receiver with ``skipAgentMessage`` false "sees the last utterance
        regardless of who sent it". When that is the sender's Message to User, the connector
        sees a bot's words, which are no consumer utterance to answer: the receiver waits and
        the connector's greeting wakes it. With ``skipAgentMessage`` (messaging connectors
        only, C1) the connector skips past agent and bot messages to the consumer's last one.
        """
        settings = self.settings_of(bot)
        last_is_consumer = conv.last_speaker == "consumer"
        if (last_is_consumer or settings.skip_agent_message) and conv.last_consumer_message:
            why = "last message in the conversation" if last_is_consumer else "skipAgentMessage"
            self.log(
                conv,
                EntryKind.ROUTING,
                f'{bot} starts from the consumer\'s last message "{conv.last_consumer_message}" ({why}, T9)',
            )
            self.deliver_to_bot(conv, bot, conv.last_consumer_message)
            return
        if settings.disable_greetings:
            self.log(conv, EntryKind.ROUTING, f"{bot} waits for the consumer (greetings disabled)")
            return

        def greet() -> None:
            conv.greeting_timer = None
            if conv.bot != bot or not conv.is_open:
                return
            self.log(
                conv,
                EntryKind.PLATFORM,
                f'connector sent "{settings.default_greeting_message}" to {bot}: no consumer'
                f" message within {settings.greeting_wait_ms} ms of it joining (T9)",
            )
            self.deliver_to_bot(conv, bot, settings.default_greeting_message, platform=True)

        conv.greeting_timer = self.clock.call_later(
            timedelta(milliseconds=settings.greeting_wait_ms), greet, label="default greeting"
        )
