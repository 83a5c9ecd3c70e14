"""Routing, delivery and escalations of the fake Conversational Cloud.

The cloud turns what bots decide (``runtime`` actions) into events on the virtual clock: bot
messages go out one after another and take ``message_delivery_ms`` each (T4); escalations move a
conversation to a skill, an agent, a bot or the skill's queue (T1, T5, F5); failed ones come back
to the bot as ``__agent_escalation_failed__`` (F1-F3) and silent ones time out (F4).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import (
    Action,
    AutoTransfer,
    BotSession,
    Close,
    Escalate,
    GroupMatch,
    Say,
    TransferContext,
)
from simulator.clock import VirtualClock, format_elapsed
from simulator.cloud.conversation import Conversation, Participant, PendingEscalation, State
from simulator.cloud.faults import FaultKind, FaultPlan
from simulator.errors import (
    ConversationClosedError,
    StepError,
    TransferLoopError,
    UnknownNameError,
)
from simulator.tenant.schema import (
    ESCALATION_FAILED_MESSAGE,
    ApiIntegration,
    Channel,
    ConnectorSettings,
    ContextOperation,
)
from simulator.transcript import EntryKind, Transcript
from simulator.world import World

DEFAULT_SETTINGS = ConnectorSettings()


@dataclass
class AgentState:
    id: str
    name: str
    skills: list[str]
    available: bool
    auto_accept: bool = True
    accept_timeout_seconds: int = 60
    conversations: list[str] = field(default_factory=list)


@dataclass
class ConnectorState:
    bot: str
    skills: list[str]
    active: bool
    channel: Channel
    fallback_skill_id: str | None
    settings: ConnectorSettings


class Host:
    """The ``BotHost`` a bot session sees: its conversation, seen through the cloud."""

    def __init__(self, cloud: Cloud, conversation: Conversation) -> None:
        self.cloud = cloud
        self.conv = conversation
        self.conversation_id = conversation.id
        self.channel = conversation.channel.value

    def now(self) -> datetime:
        return self.cloud.clock.now()

    def log(self, kind: EntryKind, text: str, **details: Any) -> None:
        self.cloud.log(self.conv, kind, text, **details)

    def choose(self, reason: str, candidates: Sequence[str]) -> int:
        return self.cloud.choose(self.conv, reason, candidates)

    def pinned_scores(self, text: str) -> dict[str, float] | None:
        return self.cloud.pinned_scores(text)

    def group_receiver(self, bot: CompiledBot, text: str) -> GroupMatch | None:
        return self.cloud.group_receiver(self.conv, bot, text)

    def call_api(self, bot: CompiledBot, integration: ApiIntegration) -> Any:
        return self.cloud.call_api(self.conv, bot, integration)

    def run_code(self, session: BotSession, code: str, phase: str, interaction: str) -> list[str]:
        return self.cloud.run_code(self.conv, session, code, phase, interaction)

    def context_operation(self, session: BotSession, op: ContextOperation) -> None:
        self.cloud.context_operation(self.conv, session, op)


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().split())


Chooser = Callable[[Conversation, str, Sequence[str]], int]


class Cloud:
    """Runtime state of one tenant's fake Conversational Cloud."""

    def __init__(self, world: World, clock: VirtualClock, rng: random.Random) -> None:
        self.world = world
        self.clock = clock
        self.rng = rng
        self.pins: dict[str, dict[str, float]] = {}
        self.faults = FaultPlan()
        self.conversations: dict[str, Conversation] = {}
        self.agents = {
            a.id: AgentState(
                a.id,
                a.name,
                list(a.skills),
                a.available,
                a.auto_accept,
                a.accept_timeout_seconds,
            )
            for a in world.agents.values()
        }
        self.connectors = {
            c.bot: ConnectorState(
                c.bot, list(c.skills), c.active, c.channel, c.fallback_skill_id, c.settings
            )
            for c in world.connectors.values()
        }
        self.queues: dict[str, list[str]] = {s: [] for s in world.skills}
        self.api_stubs: dict[str, Callable[[], Any]] = {}
        self.chooser: Chooser | None = None
        self.choices: list[tuple[str, str, list[str], int]] = []
        self.code_runner: Callable[[Conversation, BotSession, str, str, str], list[str]] | None = (
            None
        )
        self.context_handler: (
            Callable[[Conversation, BotSession, ContextOperation], None] | None
        ) = None
        self.group_router: Callable[[Conversation, CompiledBot, str], GroupMatch | None] | None = (
            None
        )
        #: Called once when a bot first joins a conversation (bot code: __initConversation).
        self.session_listeners: list[Callable[[Conversation, BotSession], None]] = []
        #: Turns a stubbed API result into what the bot sees (transform result scripts).
        self.api_transformer: (
            Callable[[Conversation, BotSession, ApiIntegration, Any], Any] | None
        ) = None
        self._next_id = 1
        # Bot messages that left a bot / reached the consumer: equal once the clock is idle.
        self.messages_sent = 0
        self.messages_delivered = 0

    # -- bookkeeping ---------------------------------------------------------------------
    def log(self, conv: Conversation, kind: EntryKind, text: str, **details: Any) -> None:
        conv.transcript.add(
            self.clock.now(), kind, details.pop("actor", kind.value), text, **details
        )

    def choose(self, conv: Conversation, reason: str, candidates: Sequence[str]) -> int:
        """Every random choice goes through here so it can be recorded and replayed (G7)."""
        if self.chooser is not None:
            pick = self.chooser(conv, reason, candidates)
        else:
            pick = self.rng.randrange(len(candidates))
        self.choices.append((conv.id, reason, list(candidates), pick))
        self.log(
            conv,
            EntryKind.WARNING,
            f"order-dependent routing: {reason}; candidates "
            + ", ".join(f'"{c}"' for c in candidates)
            + f'; chose "{candidates[pick]}"',
            candidates=list(candidates),
            chosen=candidates[pick],
        )
        return pick

    def pinned_scores(self, text: str) -> dict[str, float] | None:
        """Scores a scenario pinned for this message, if any (they replace the scorer)."""
        return self.pins.get(_norm(text)) if self.pins else None

    def settings_of(self, bot: str) -> ConnectorSettings:
        connector = self.connectors.get(bot)
        return connector.settings if connector else DEFAULT_SETTINGS

    def bot(self, name: str) -> CompiledBot:
        try:
            return self.world.bots[name]
        except KeyError:
            raise UnknownNameError("bot", name, self.world.bots) from None

    def skill(self, ref: str) -> str:
        if ref in self.world.skills:
            return ref
        for skill in self.world.skills.values():
            if skill.name == ref:
                return skill.id
        names = [*self.world.skills, *(s.name for s in self.world.skills.values())]
        raise UnknownNameError("skill", ref, names)

    def agent(self, ref: str) -> AgentState:
        for agent in self.agents.values():
            if ref in (agent.id, agent.name):
                return agent
        names = [*(a.name for a in self.agents.values()), *self.agents]
        raise UnknownNameError("agent", ref, names)

    # -- conversations -------------------------------------------------------------------
    def open_conversation(
        self,
        *,
        channel: Channel,
        consumer: dict[str, Any],
        bot: str | None = None,
        skill: str | None = None,
    ) -> Conversation:
        conv_id = f"conv-{self._next_id:04d}"
        self._next_id += 1
        conv = Conversation(conv_id, channel, consumer, Transcript(conv_id, self.clock.start))
        self.conversations[conv_id] = conv
        self.log(
            conv,
            EntryKind.CONVERSATION,
            f"opened on {channel.value} by consumer {consumer.get('name', '?')}",
        )
        if bot is not None:
            self.bot(bot)
            connector = self.connectors.get(bot)
            conv.skill_id = connector.skills[0] if connector and connector.skills else None
            self._assign_bot(conv, bot, how="conversation started with this bot", greet=False)
        elif skill is not None:
            self._route(
                conv, self.skill(skill), agent_id=None, context=None, via="new conversation"
            )
        return conv

    def consumer_says(self, conv: Conversation, text: str) -> None:
        if not conv.is_open:
            raise ConversationClosedError(
                f'the consumer cannot say "{text}": conversation {conv.id} is closed'
            )
        now = self.clock.now()
        conv.transcript.add(now, EntryKind.CONSUMER, "consumer", text)
        conv.last_consumer_message = text
        conv.last_consumer_at = now
        conv.last_speaker = "consumer"
        conv.transfers_since_consumer = 0
        if conv.greeting_timer is not None:
            conv.greeting_timer.cancel()
            conv.greeting_timer = None
        bot = conv.bot
        if bot is None:
            return
        settings = self.settings_of(bot)
        conv.join_buffer.append(text)
        if conv.join_timer is None:
            # Messages within the joining window reach the bot as one (C1 messageDelay).
            conv.join_timer = self.clock.call_later(
                timedelta(milliseconds=settings.message_delay_ms),
                lambda: self._flush_join(conv, bot),
                label="message joining window",
            )

    def _flush_join(self, conv: Conversation, bot: str) -> None:
        conv.join_timer = None
        parts, conv.join_buffer = conv.join_buffer, []
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
        self.deliver_to_bot(conv, bot, text, sent_at=conv.last_consumer_at)

    def deliver_to_bot(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        *,
        sent_at: datetime | None = None,
        platform: bool = False,
    ) -> None:
        """Hand a message to a bot and schedule what it does about it."""
        settings = self.settings_of(bot)
        if sent_at is not None and not platform:
            age = self.clock.now() - sent_at
            if age > timedelta(milliseconds=settings.max_consumer_message_delay_ms):
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'{bot} ignores "{text}": it is {format_elapsed(age)} old, more than'
                    " maxConsumerMessageDelay",
                )
                return
        if platform:
            self.log(conv, EntryKind.PLATFORM, f'sent "{text}" to {bot}', note="as the consumer")
        session = self.session(conv, bot)
        if bot in self.faults.unresponsive_bots:
            self.log(conv, EntryKind.FAULT, f'{bot} does not answer "{text}" (bot unresponsive)')
            actions: list[Action] = []
        else:
            actions = session.handle(text)
        self._watch_stuck(conv, bot, text, answered=bool(actions))
        self.schedule(conv, bot, actions)

    def session(self, conv: Conversation, bot: str) -> BotSession:
        session = conv.sessions.get(bot)
        if session is None:
            session = BotSession(self.bot(bot), Host(self, conv))
            conv.sessions[bot] = session
            for listener in self.session_listeners:
                listener(conv, session)
        return session

    # -- stuck conversations (S1) --------------------------------------------------------
    def _watch_stuck(self, conv: Conversation, bot: str, text: str, *, answered: bool) -> None:
        if conv.stuck_timer is not None:
            conv.stuck_timer.cancel()
            conv.stuck_timer = None
        if answered:
            conv.stuck_resends = 0
            conv.awaiting_bot_answer = None
            return
        settings = self.settings_of(bot)
        conv.awaiting_bot_answer = text
        conv.stuck_timer = self.clock.call_later(
            timedelta(milliseconds=settings.retry_message_interval_ms),
            lambda: self._stuck_check(conv, bot, text),
            label="stuck conversation check",
            settles=False,
        )

    def _stuck_check(self, conv: Conversation, bot: str, text: str) -> None:
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
            self.deliver_to_bot(conv, bot, text)
            return
        conv.awaiting_bot_answer = None
        conv.stuck_resends = 0
        self.log(conv, EntryKind.ROUTING, f"conversation is stuck: {bot} never answered", note="S1")
        if settings.user_retry_on_stuck_conversation:
            self.session(conv, bot).reset()
            self.log(conv, EntryKind.VARIABLE, f"{bot}'s context was reset", note="S1")
            self._deliver_now(conv, bot, settings.user_notification_message_on_stuck_conversation)
        if settings.escalate_on_stuck_conversation:
            skill = settings.escalation_skill_id_on_stuck_conversation
            if skill is None:
                self.log(
                    conv,
                    EntryKind.TRANSFER,
                    "stuck-conversation escalation failed: no escalationSkillIdOnStuckConversation",
                    note="S1",
                )
                return
            self._deliver_now(conv, bot, settings.escalation_message_on_stuck_conversation)
            self._route(conv, skill, agent_id=None, context=None, via=f"stuck conversation ({bot})")

    # -- bot actions -> events -----------------------------------------------------------
    def schedule(self, conv: Conversation, bot: str, actions: Sequence[Action]) -> None:
        start = self.clock.now()
        for action in actions:
            due = start + timedelta(milliseconds=action.delay_ms)
            self.clock.call_at(due, self._runner(conv, bot, action), label=type(action).__name__)

    def _runner(self, conv: Conversation, bot: str, action: Action) -> Callable[[], None]:
        def run() -> None:
            if not conv.is_open:
                return
            if isinstance(action, Say):
                self._send(conv, bot, action.text, action.options)
            elif isinstance(action, Escalate):
                self.escalate(conv, bot, action)
            elif isinstance(action, AutoTransfer):
                self.auto_transfer(conv, bot, action)
            elif isinstance(action, Close):
                self.close(conv, f'{bot} closed it in "{action.interaction}"')

        return run

    def _send(self, conv: Conversation, bot: str, text: str, options: Sequence[str] = ()) -> None:
        """A bot message leaves the bot now and reaches the consumer after delivery time."""
        now = self.clock.now()
        delivery = timedelta(milliseconds=self.world.platform.message_delivery_ms)
        free = max(now, conv.outbox_free_at.get(bot, now))
        arrives = free + delivery
        conv.outbox_free_at[bot] = arrives
        holder = conv.participant
        transfers_before = conv.transfer_count
        self.messages_sent += 1

        def deliver() -> None:
            note = None
            if conv.transfer_count != transfers_before or conv.participant != holder:
                note = (
                    f"late: sent at {format_elapsed(now - self.clock.start)}, delivered after"
                    " the conversation was transferred (T4)"
                )
                self.log(
                    conv,
                    EntryKind.WARNING,
                    f'{bot}\'s message "{text}" arrived after the transfer (T4)',
                )
            shown = text + (" [" + " | ".join(options) + "]" if options else "")
            conv.transcript.add(self.clock.now(), EntryKind.BOT, bot, shown, note=note)
            conv.last_speaker = "bot"
            self.messages_delivered += 1

        self.clock.call_at(arrives, deliver, label="bot message delivery")

    def _deliver_now(
        self, conv: Conversation, bot: str, text: str, note: str | None = None
    ) -> None:
        conv.transcript.add(self.clock.now(), EntryKind.BOT, bot, text, note=note)
        conv.last_speaker = "bot"

    def close(self, conv: Conversation, why: str) -> None:
        if not conv.is_open:
            return
        conv.state = State.CLOSED
        self._release(conv)
        self.log(conv, EntryKind.CONVERSATION, f"closed: {why}")

    # -- escalations (T1-T7, F1-F5) -----------------------------------------------------
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
            from simulator.cloud.faults import Fault

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
            self._deliver_now(conv, bot, esc.message_to_user, note="message to user")
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
        pending = PendingEscalation(bot, esc.skill_id, self.clock.now())
        conv.pending_escalation = pending
        # "More than" the limit: exactly at the limit nothing has happened yet (F4).
        wait = timedelta(milliseconds=settings.fallback_escalation_time_ms + 1)

        def timeout() -> None:
            if conv.pending_escalation is not pending or not conv.is_open:
                return
            conv.pending_escalation = None
            connector = self.connectors.get(bot)
            fallback = connector.fallback_skill_id if connector else None
            if fallback is not None:
                self.log(
                    conv,
                    EntryKind.TRANSFER,
                    f"no response to the escalation for {settings.fallback_escalation_time_ms} ms;"
                    f" trying the connector's fallback skill {self.world.skill_label(fallback)} (F4)",
                )
                self._transfer(conv, bot, fallback, None, esc.context)
            else:
                self.escalation_failed(
                    conv,
                    bot,
                    f"no response to the escalation for {settings.fallback_escalation_time_ms} ms"
                    " and the connector has no fallback skill (F4)",
                )

        pending.timeout = self.clock.call_later(
            wait, timeout, label="escalation timeout", settles=False
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
            self._deliver_now(conv, bot, text, note="escalation given up")
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
        self._route(conv, skill_id, agent_id=agent_id, context=context, via=f"escalation by {bot}")

    def _release(self, conv: Conversation) -> None:
        p = conv.participant
        if p is not None and p.kind == "agent" and p.agent_id in self.agents:
            agent = self.agents[p.agent_id]
            if conv.id in agent.conversations:
                agent.conversations.remove(conv.id)
        conv.participant = None
        for timer in (conv.greeting_timer, conv.join_timer, conv.stuck_timer):
            if timer is not None:
                timer.cancel()
        conv.greeting_timer = conv.join_timer = conv.stuck_timer = None
        conv.join_buffer = []
        if conv.queued_at is not None and conv.skill_id in self.queues:
            queue = self.queues[conv.skill_id]
            if conv.id in queue:
                queue.remove(conv.id)
            conv.queued_at = None

    def _route(
        self,
        conv: Conversation,
        skill_id: str,
        *,
        agent_id: str | None,
        context: TransferContext | None,
        via: str,
    ) -> None:
        """Move the conversation to a skill and find who takes it (T1, T5, F5)."""
        conv.transfers_since_consumer += 1
        limit = self.world.platform.transfer_loop_limit
        if conv.transfers_since_consumer > limit:
            self.log(
                conv,
                EntryKind.ERROR,
                f"transfer loop: {conv.transfers_since_consumer} transfers without a consumer message",
            )
            raise TransferLoopError(
                f"conversation {conv.id}: {conv.transfers_since_consumer} transfers in a row without"
                f" the consumer saying anything (last to skill {self.world.skill_label(skill_id)});"
                " bots are escalating to each other in a loop. See the transcript."
            )
        self._release(conv)
        conv.skill_id = skill_id
        conv.transfer_count += 1
        conv.pending_escalation = None
        label = self.world.skill_label(skill_id)
        self.log(conv, EntryKind.TRANSFER, f"transferred to skill {label} ({via})", skill=skill_id)
        if agent_id is not None:
            agent = next((a for a in self.agents.values() if agent_id in (a.id, a.name)), None)
            if agent is None:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent id "{agent_id}" is unknown; routing to the skill (T5)',
                )
            elif skill_id not in agent.skills:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" is not assigned to skill {label}; routing to the skill (T5)',
                )
            elif not agent.available:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" is not available; routing to the skill (T5)',
                )
            else:
                self._assign_agent(conv, agent, how="named in the escalation (T5)")
                return
        if not self._assign_from_skill(conv, skill_id, context):
            self._enqueue(conv, skill_id, context)

    def _assign_from_skill(
        self, conv: Conversation, skill_id: str, context: TransferContext | None
    ) -> bool:
        agents = [
            a
            for a in self.agents.values()
            if skill_id in a.skills and a.available and a.id not in conv.declined_by
        ]
        if agents:
            agent = min(agents, key=lambda a: len(a.conversations))
            self._assign_agent(conv, agent, how=f"available agent of skill {skill_id}")
            return True
        for connector in self.connectors.values():
            if skill_id in connector.skills and connector.active:
                self._assign_bot(
                    conv, connector.bot, how=f"bot user agent of skill {skill_id}", context=context
                )
                return True
        inactive = [
            c.bot for c in self.connectors.values() if skill_id in c.skills and not c.active
        ]
        if inactive:
            self.log(
                conv,
                EntryKind.ROUTING,
                "bots of this skill without an active connection cannot receive it: "
                + ", ".join(inactive),
            )
        return False

    def _assign_agent(self, conv: Conversation, agent: AgentState, *, how: str) -> None:
        if not agent.auto_accept:
            self._offer(conv, agent, how)
            return
        conv.participant = Participant("agent", agent.name, agent.id)
        agent.conversations.append(conv.id)
        conv.queued_at = None
        self.log(
            conv, EntryKind.ROUTING, f'assigned to agent "{agent.name}" ({how})', agent=agent.name
        )

    def _assign_bot(
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
        """T9: the receiver starts from the last message, or is greeted with "hi"."""
        settings = self.settings_of(bot)
        last_is_consumer = conv.last_speaker == "consumer"
        if (last_is_consumer or settings.skip_agent_message) and conv.last_consumer_message:
            why = "last message in the conversation" if last_is_consumer else "skipAgentMessage"
            self.log(
                conv,
                EntryKind.ROUTING,
                f'{bot} starts from the consumer\'s last message "{conv.last_consumer_message}" ({why}, T9)',
            )
            self.deliver_to_bot(
                conv, bot, conv.last_consumer_message, sent_at=conv.last_consumer_at
            )
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

    def auto_transfer(self, conv: Conversation, sender: str, action: AutoTransfer) -> None:
        """An automatic transfer inside a collaborative bot group (G5, G6)."""
        group = self.world.groups[self.world.group_of[sender]]
        if group.transfer_message:
            session = self.session(conv, sender)
            self._deliver_now(
                conv,
                sender,
                session.render(group.transfer_message, "group transfer"),
                note="group transfer message",
            )
        self.log(
            conv,
            EntryKind.TRANSFER,
            f'transferred automatically from "{sender}" to bot "{action.receiver}" in group'
            f' "{group.name}" (intent={action.intent!r}, message={action.message!r})',
            receiver=action.receiver,
            automatic=True,
        )
        self._release(conv)
        conv.transfer_count += 1
        connector = self.connectors.get(action.receiver)
        if connector and connector.skills:
            conv.skill_id = connector.skills[0]
        conv.participant = Participant("bot", action.receiver)
        session = self.session(conv, action.receiver)
        self.schedule(
            conv,
            action.receiver,
            session.start_dialog(action.intent, action.message, "automatic transfer"),
        )

    # -- availability (F5) ---------------------------------------------------------------
    def _offer(self, conv: Conversation, agent: AgentState, how: str) -> None:
        """An agent who must accept: the conversation waits, offered, until they do (T5)."""
        conv.offered_to = agent.id
        conv.queued_at = None
        self.log(
            conv,
            EntryKind.ROUTING,
            f'offered to agent "{agent.name}" ({how}); waiting up to'
            f" {agent.accept_timeout_seconds} s for them to accept",
        )

        def expire() -> None:
            conv.offer_timer = None
            if conv.offered_to != agent.id or not conv.is_open:
                return
            conv.offered_to = None
            conv.declined_by.add(agent.id)
            skill = conv.skill_id or ""
            self.log(
                conv,
                EntryKind.ROUTING,
                f'agent "{agent.name}" did not accept in time; back to skill'
                f" {self.world.skill_label(skill)}",
            )
            if not self._assign_from_skill(conv, skill, conv.pending_context):
                self._enqueue(conv, skill, conv.pending_context)

        conv.offer_timer = self.clock.call_later(
            timedelta(seconds=agent.accept_timeout_seconds),
            expire,
            label="agent offer",
            settles=False,
        )

    def accept(self, ref: str) -> Conversation:
        """A human agent accepts the conversation offered to them."""
        agent = self.agent(ref)
        for conv in self.conversations.values():
            if conv.offered_to == agent.id and conv.is_open:
                conv.offered_to = None
                if conv.offer_timer is not None:
                    conv.offer_timer.cancel()
                    conv.offer_timer = None
                conv.participant = Participant("agent", agent.name, agent.id)
                agent.conversations.append(conv.id)
                self.log(
                    conv, EntryKind.ROUTING, f'agent "{agent.name}" accepted', agent=agent.name
                )
                return conv
        raise StepError(f'no conversation is offered to agent "{agent.name}"')

    def _enqueue(self, conv: Conversation, skill_id: str, context: TransferContext | None) -> None:
        conv.queued_at = self.clock.now()
        conv.pending_context = context
        self.queues.setdefault(skill_id, []).append(conv.id)
        self.log(
            conv,
            EntryKind.ROUTING,
            f"waits in the queue of skill {self.world.skill_label(skill_id)}:"
            " no available agent or active bot (F5)",
        )

    def set_agent_available(self, ref: str, available: bool) -> None:
        agent = self.agent(ref)
        agent.available = available
        if not available:
            # An agent who goes away hands their conversations back to their skills.
            for conv_id in list(agent.conversations):
                conv = self.conversations[conv_id]
                agent.conversations.remove(conv_id)
                conv.participant = None
                skill = conv.skill_id or ""
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" went away; back to skill {self.world.skill_label(skill)}',
                )
                if not self._assign_from_skill(conv, skill, None):
                    self._enqueue(conv, skill, None)
        else:
            self._drain_queues()

    def set_connector_active(self, bot: str, active: bool) -> None:
        self.bot(bot)
        connector = self.connectors.get(bot)
        if connector is None:
            raise StepError(
                f'bot "{bot}" has no agent connector in this tenant, so it is never deployed'
            )
        connector.active = active
        if active:
            self._drain_queues()

    def _drain_queues(self) -> None:
        for skill_id, queue in self.queues.items():
            while queue:
                conv = self.conversations[queue[0]]
                context = conv.pending_context
                queue.pop(0)
                waited = self.clock.now() - (conv.queued_at or self.clock.now())
                conv.queued_at = None
                if not self._assign_from_skill(conv, skill_id, context):
                    queue.insert(0, conv.id)
                    conv.queued_at = self.clock.now() - waited
                    break
                self.log(conv, EntryKind.ROUTING, f"left the queue after {format_elapsed(waited)}")

    # -- hooks filled in by other modules -------------------------------------------------
    def group_receiver(self, conv: Conversation, bot: CompiledBot, text: str) -> GroupMatch | None:
        if self.group_router is None:
            return None
        return self.group_router(conv, bot, text)

    def call_api(self, conv: Conversation, bot: CompiledBot, integration: ApiIntegration) -> Any:
        stub = self.api_stubs.get(integration.name)
        if stub is None:
            raise StepError(
                f'bot "{bot.name}" called API integration "{integration.name}", which this scenario'
                f' does not stub; add a step such as: Given the integration "{integration.name}"'
                " returns: (a JSON docstring)"
            )
        result = stub()
        self.log(
            conv, EntryKind.ROUTING, f'integration "{integration.name}" answered from its stub'
        )
        session = conv.sessions.get(bot.name)
        failed = getattr(stub, "failed", False)
        if self.api_transformer is not None and session is not None and not failed:
            result = self.api_transformer(conv, session, integration, result)
        return result

    def run_code(
        self, conv: Conversation, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]:
        if self.code_runner is None:
            self.log(
                conv,
                EntryKind.ERROR,
                f'{phase} code in "{interaction}" not run: no JavaScript engine',
            )
            return []
        return self.code_runner(conv, session, code, phase, interaction)

    def context_operation(
        self, conv: Conversation, session: BotSession, op: ContextOperation
    ) -> None:
        if self.context_handler is None:
            raise StepError("the Conversation Context Service is not available in this simulator")
        self.context_handler(conv, session, op)
