"""The agent connector between the cloud and a bot: consumer messages in, stuck checks (C1, S1).

On a messaging connector a consumer message reaches the bot after the joining window
(``messageDelay``), unless too long has passed since the last consumer message the bot
answered (``maxConsumerMessageDelay``); a bot that does not answer is resent the message and,
when it stays silent, reset and then escalated as the settings say (S1). A chat connector does
none of this: the connector page documents those settings for messaging only (C1).
"""

from __future__ import annotations

from functools import partial

from simulator.bots.runtime import Action, BotSession
from simulator.clock import format_elapsed, milliseconds
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import DEFAULT_SETTINGS, CloudCore
from simulator.cloud.host import Host
from simulator.errors import ChoiceNotOfferedError, ConversationClosedError
from simulator.rich import POSTBACK, PUBLISH_TEXT, Choice, find_choice, typed_choice
from simulator.tenant.schema import Channel
from simulator.transcript import EntryKind


class ConnectorMixin(CloudCore):
    """Messages from the consumer (or the platform) to a bot, through its connector."""

    def consumer_taps(self, conv: Conversation, title: str) -> None:
        """The consumer taps a choice of the bot's latest message that offers any (R1)."""
        if not conv.is_open:
            raise ConversationClosedError(
                f'the consumer cannot tap "{title}": conversation {conv.id} is closed'
            )
        content = conv.transcript.last_offer()
        if content is None:
            raise ChoiceNotOfferedError(
                f'the consumer cannot tap "{title}": no bot message of {conv.id} offers choices'
            )
        choice = find_choice(title, content)
        if choice is None:
            offered = ", ".join(f'"{c.title}"' for c in content.offered())
            raise ChoiceNotOfferedError(
                f'the consumer cannot tap "{title}": the bot offered {offered}'
            )
        if choice.sends is None:
            self.log(
                conv,
                EntryKind.CONVERSATION,
                f'consumer tapped link "{choice.title}": opens {choice.url}; nothing is sent'
                " to the bot",
            )
            return
        self.consumer_says(conv, choice.sends, choice=choice)

    def consumer_says(self, conv: Conversation, text: str, *, choice: Choice | None = None) -> None:
        """A consumer message; ``choice`` when it is a tapped choice whose value is ``text``."""
        if not conv.is_open:
            raise ConversationClosedError(
                f'the consumer cannot say "{text}": conversation {conv.id} is closed'
            )
        now = self.clock.now()
        shown = text
        tapped = choice is not None
        if choice is None and conv.text_only:
            # On a text-only channel the consumer answers a choice by its number or letter (R2).
            offer = conv.transcript.last_offer()
            choice = None if offer is None else typed_choice(text, offer)
            if choice is not None and choice.sends is not None:
                text = choice.sends
        elif choice is not None and conv.bot is not None:
            messaging = conv.channel is Channel.MESSAGING
            setting = self.settings_of(conv.bot).enable_button_text_on_postback
            shown = choice.shown(button_text_on_postback=messaging and setting)
        if choice is None:
            # A typed message (text == shown): nothing to note, the common case.
            conv.transcript.append(now, EntryKind.CONSUMER, "consumer", shown, {})
        else:
            how = "tapped" if tapped else f'typed "{shown}" for'
            note = f'{how} {choice.kind.replace("_", " ")} "{choice.title}"'
            if text != shown:
                note += f', sends "{text}"'
            conv.transcript.add(
                now,
                EntryKind.CONSUMER,
                "consumer",
                shown,
                choice=choice.to_json(),
                sent=text if text != shown else None,
                note=note,
            )
        bot = conv.bot
        session = conv.sessions.get(bot) if bot is not None else None
        if session is not None:
            session.button_payload = (
                text if choice is not None and choice.type in (POSTBACK, PUBLISH_TEXT) else None
            )
        conv.last_consumer_message = text
        conv.last_speaker = "consumer"
        conv.transfers_since_consumer = 0
        if self.world.platform.auto_close_after_minutes is not None:
            self.arm_auto_close(conv)
        if conv.greeting_timer is not None:
            conv.greeting_timer.cancel()
            conv.greeting_timer = None
        if bot is None:
            return
        connector = self.connectors.get(bot)
        if connector is not None and connector.channel is not Channel.MESSAGING:
            # Chat: no joining window, the message reaches the bot at once (C1).
            self.deliver_to_bot(conv, bot, text)
            return
        conv.join_buffer += (text,)
        if conv.join_timer is None:
            settings = DEFAULT_SETTINGS if connector is None else connector.settings
            # Messages within the joining window reach the bot as one (C1 messageDelay).
            conv.join_timer = self.clock.call_at(
                now + milliseconds(settings.message_delay_ms),
                partial(self._flush_join, conv, bot),
                label="message joining window",
            )

    def _flush_join(self, conv: Conversation, bot: str) -> None:
        conv.join_timer = None
        parts, conv.join_buffer = conv.join_buffer, ()
        if not parts or conv.bot != bot or not conv.is_open:
            return
        text = " ".join(parts)
        if len(parts) > 1:
            self.log(
                conv,
                EntryKind.ROUTING,
                f'{len(parts)} consumer messages joined into one for {bot}: "{text}"',
                note="messageDelay",
            )
        self.deliver_to_bot(conv, bot, text)

    def deliver_to_bot(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        *,
        platform: bool = False,
        resend: bool = False,
    ) -> None:
        """Hand a message to a bot and schedule what it does about it.

        ``platform``: sent by the platform as the consumer (greeting, failure message);
        ``resend``: the connector resending an unanswered message (S1). Neither is a new
        consumer message, so neither is checked against ``maxConsumerMessageDelay`` nor starts
        the no-response timer.
        """
        connector = self.connectors.get(bot)
        if connector is None:
            settings, messaging = DEFAULT_SETTINGS, True
        elif connector.channel is Channel.MESSAGING:
            settings, messaging = connector.settings, True
        else:
            settings, messaging = connector.effective_settings(), False
        consumer = not platform and not resend
        now = self.clock.now()
        if consumer and messaging:
            answered_at = conv.last_answered_at.get(bot)
            limit = settings.max_consumer_message_delay_ms
            if answered_at is not None and now - answered_at > milliseconds(limit):
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'{bot} ignores "{text}": {format_elapsed(now - answered_at)} since the last'
                    f" consumer message it answered, more than maxConsumerMessageDelay"
                    f" ({_minutes(limit)}) (C1)",
                    note="ignored",
                )
                return
        if platform:
            self.log(conv, EntryKind.PLATFORM, f'sent "{text}" to {bot}', note="as the consumer")
        session = conv.sessions.get(bot) or self.session(conv, bot)
        if consumer:
            session.consumer_activity(now)
        if bot in self.faults.unresponsive_bots:
            self.log(conv, EntryKind.FAULT, f'{bot} does not answer "{text}" (bot unresponsive)')
            actions: list[Action] = []
        else:
            actions = session.handle(text)
        if actions and not platform:
            conv.last_answered_at[bot] = now
        if messaging:
            if consumer:
                self.start_response_timer(conv, bot, settings)
            if actions:
                # Only consumer messages are watched (S1); a platform message the bot
                # answers is still an answer to the consumer.
                self._answered(conv, bot)
            elif not platform:
                self._watch_stuck(conv, bot, text, resend)
        if actions:
            self.schedule(conv, bot, actions)

    def session(self, conv: Conversation, bot: str) -> BotSession:
        session = conv.sessions.get(bot)
        if session is None:
            session = BotSession(self.bot(bot), Host(self, conv))
            conv.sessions[bot] = session
            for listener in self.session_listeners:
                listener(conv, session)
        return session

    @staticmethod
    def _answered(conv: Conversation, bot: str) -> None:
        """The bot answered: nothing is stuck (S1)."""
        if conv.stuck_timer is not None:
            conv.stuck_timer.cancel()
            conv.stuck_timer = None
        conv.stuck_resends = 0
        conv.awaiting_bot_answer = None
        if bot in conv.stuck_reset:
            conv.stuck_reset -= {bot}

    def _watch_stuck(self, conv: Conversation, bot: str, text: str, resend: bool) -> None:
        """The bot did not answer: check again after retryMessageInterval (S1)."""
        if conv.stuck_timer is not None:
            conv.stuck_timer.cancel()
            conv.stuck_timer = None
        if not resend:
            conv.stuck_resends = 0  # a new message starts its own count of resends
        settings = self.settings_of(bot)
        conv.awaiting_bot_answer = text
        conv.stuck_timer = self.clock.call_later(
            milliseconds(settings.retry_message_interval_ms),
            lambda: self._stuck_check(conv, bot, text),
            label="stuck conversation check",
            settles=False,
        )

    def _stuck_check(self, conv: Conversation, bot: str, text: str) -> None:
        """S1: resend (Step 1, always), then reset and notify (Step 2), and only when the bot
        is stuck again after that, escalate (Step 3)."""
        conv.stuck_timer = None
        if conv.bot != bot or not conv.is_open or conv.awaiting_bot_answer != text:
            return
        settings = self.settings_of(bot)
        if conv.stuck_resends < settings.message_resend_max_retries:
            conv.stuck_resends += 1
            self.log(
                conv,
                EntryKind.ROUTING,
                f"{bot} did not answer within {settings.retry_message_interval_ms} ms; resending"
                f' "{text}" ({conv.stuck_resends} of {settings.message_resend_max_retries})',
                note="S1",
            )
            self.deliver_to_bot(conv, bot, text, resend=True)
            return
        conv.awaiting_bot_answer = None
        conv.stuck_resends = 0
        self.log(conv, EntryKind.ROUTING, f"conversation is stuck: {bot} never answered", note="S1")
        reset = settings.user_retry_on_stuck_conversation
        escalate = settings.escalate_on_stuck_conversation
        if reset and (bot not in conv.stuck_reset or not escalate):
            self.session(conv, bot).reset()
            self.log(conv, EntryKind.VARIABLE, f"{bot}'s context was reset (Step 2)", note="S1")
            self.deliver_now(
                conv,
                bot,
                settings.user_notification_message_on_stuck_conversation,
                note="stuck conversation",
                response=False,
            )
            conv.stuck_reset |= {bot}
            if escalate:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    "Step 3 (escalation) runs only if the bot is stuck again on the consumer's"
                    " next message",
                    note="S1",
                )
            return
        if not escalate:
            return
        if bot in conv.stuck_reset:
            conv.stuck_reset -= {bot}
        skill = settings.escalation_skill_id_on_stuck_conversation
        if skill is None:
            self.escalation_failed(
                conv,
                bot,
                "the stuck-conversation escalation has no escalationSkillIdOnStuckConversation"
                " (S1)",
            )
            return
        self.deliver_now(
            conv, bot, settings.escalation_message_on_stuck_conversation, note="stuck conversation"
        )
        self.route(conv, skill, agent_id=None, context=None, via=f"stuck conversation ({bot})")


def _minutes(ms: int) -> str:
    """A limit in the unit the docs use: ``30 minutes`` (or ms when not whole minutes)."""
    minutes, rest = divmod(ms, 60_000)
    if rest:
        return f"{ms} ms"
    return f"{minutes} minute" + ("" if minutes == 1 else "s")
