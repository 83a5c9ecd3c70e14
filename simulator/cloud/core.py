"""The state every part of the fake cloud shares, and the seams between those parts.

``CloudCore`` holds one tenant's runtime state (agents, connectors, queues, conversations, the
clock and the one seeded generator) and the lookups and bookkeeping everyone uses (logging to a
transcript, recorded random choices, connector settings). Each platform concern lives in its own
mixin module (``connector``, ``delivery``, ``escalation``, ``routing``, ``bot_transfer``,
``agents``, ``group_hooks``, ``hooks``, ``auto_close``); the abstract methods below are what
those modules offer each other, so a mixin calls another concern's method without importing
its module, and
``simulator.cloud.cloud.Cloud`` composes them all.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import (
    Action,
    ApiRequest,
    ApiResponse,
    AutoTransfer,
    BotSession,
    Escalate,
    GroupMatch,
    TransferContext,
)
from simulator.clock import VirtualClock
from simulator.cloud.conversation import Conversation
from simulator.cloud.faults import FaultPlan
from simulator.coverage import Coverage
from simulator.errors import UnknownNameError
from simulator.tenant.schema import (
    MESSAGING_ONLY_SETTINGS,
    ApiIntegration,
    Channel,
    ConnectorSettings,
    ContextOperation,
)
from simulator.transcript import KIND_VALUES, EntryKind
from simulator.world_model import World

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
    #: (settings, their chat version): a chat connector's effective settings, made once per
    #: settings object instead of a model copy for every message.
    _chat: tuple[ConnectorSettings, ConnectorSettings] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def messaging(self) -> bool:
        """Messaging-only settings apply (C1): the connector's conversation type decides."""
        return self.channel is Channel.MESSAGING

    def effective_settings(self) -> ConnectorSettings:
        """The settings as the platform applies them: on a chat connector every
        messaging-only setting is back at its documented default (C1)."""
        if self.channel is Channel.MESSAGING:
            return self.settings
        chat = self._chat
        if chat is None or chat[0] is not self.settings:
            chat = self._chat = (
                self.settings,
                self.settings.model_copy(
                    update={
                        name: getattr(DEFAULT_SETTINGS, name) for name in MESSAGING_ONLY_SETTINGS
                    }
                ),
            )
        return chat[1]


def pin_key(text: str) -> str:
    """The key a message's pinned intent scores are stored under (case and spaces ignored)."""
    return " ".join(text.strip().lower().split())


Chooser = Callable[[Conversation, str, Sequence[str]], int]


class CloudCore(ABC):
    """Runtime state of one tenant's fake Conversational Cloud, shared by every concern."""

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
        #: Stubs by request (``hooks.RequestStub``), and every request bots made (``hooks``).
        self.api_request_stubs: list[Any] = []
        self.api_requests: list[tuple[str, ApiRequest]] = []
        self.chooser: Chooser | None = None
        #: The owning simulator's coverage collector (``simulator.coverage``), fed by bots.
        self.coverage: Coverage | None = None
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

    def log(self, conv: Conversation, kind: EntryKind, text: str, **details: Any) -> None:
        actor = details.pop("actor") if "actor" in details else KIND_VALUES[kind]
        conv.transcript.append(self.clock.now(), kind, actor, text, details)

    def choose(self, conv: Conversation, reason: str, candidates: Sequence[str]) -> int:
        """Every random choice goes through here so it can be recorded and replayed (G7)."""
        if self.chooser is not None:
            self.clock.sync()
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
        return self.pins.get(pin_key(text)) if self.pins else None

    def settings_of(self, bot: str) -> ConnectorSettings:
        """The bot's connector settings as they apply (chat connectors: defaults, C1)."""
        connector = self.connectors.get(bot)
        return connector.effective_settings() if connector else DEFAULT_SETTINGS

    def messaging_rules(self, bot: str) -> bool:
        """Whether the messaging-only connector behaviours (message joining, the
        ``maxConsumerMessageDelay`` limit, stuck checks, the general no-response timer) run
        for this bot: yes on a messaging connector (the default), no on a chat one (C1)."""
        connector = self.connectors.get(bot)
        return connector is None or connector.messaging

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

    def new_conversation_id(self) -> str:
        """The next conversation id, ``conv-0001`` first, in opening order."""
        conv_id = f"conv-{self._next_id:04d}"
        self._next_id += 1
        return conv_id

    # -- what the concerns offer each other (implemented in their own modules) ---------------
    @abstractmethod
    def session(self, conv: Conversation, bot: str) -> BotSession:
        """The bot's session in the conversation, created on first use (``connector``)."""

    @abstractmethod
    def deliver_to_bot(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        *,
        platform: bool = False,
        resend: bool = False,
    ) -> None:
        """Hand a message to a bot and schedule what it does about it (``connector``)."""

    @abstractmethod
    def schedule(self, conv: Conversation, bot: str, actions: Sequence[Action]) -> None:
        """Turn a bot's actions into clock events (``delivery``)."""

    @abstractmethod
    def deliver_now(
        self,
        conv: Conversation,
        bot: str,
        text: str,
        note: str | None = None,
        *,
        response: bool = True,
    ) -> None:
        """A bot message the consumer sees at once, without delivery time (``delivery``);
        ``response=False`` for the connector's own messages, which are no bot response (F4)."""

    @abstractmethod
    def escalation_failed(self, conv: Conversation, bot: str, why: str) -> None:
        """An escalation failed: the failure message to the bot, or give up (``escalation``)."""

    @abstractmethod
    def start_response_timer(
        self, conv: Conversation, bot: str, settings: ConnectorSettings | None = None
    ) -> None:
        """A consumer message reached the bot: start the no-response timer (``escalation``)."""

    @abstractmethod
    def bot_responded(self, conv: Conversation, bot: str) -> None:
        """The bot sent the consumer a message: clear the no-response timer (``escalation``)."""

    @abstractmethod
    def arm_auto_close(self, conv: Conversation) -> None:
        """Consumer activity: (re)start the opt-in auto-close timer (``auto_close``)."""

    @abstractmethod
    def close(self, conv: Conversation, why: str) -> None:
        """Close the conversation and free it (``delivery``)."""

    @abstractmethod
    def escalate(self, conv: Conversation, bot: str, esc: Escalate) -> None:
        """Carry out a bot's escalation (``escalation``)."""

    @abstractmethod
    def auto_transfer(self, conv: Conversation, sender: str, action: AutoTransfer) -> None:
        """Carry out an automatic transfer inside a bot group (``group_hooks``)."""

    @abstractmethod
    def release(self, conv: Conversation) -> None:
        """Free the conversation from its holder, timers and queue (``routing``)."""

    @abstractmethod
    def route(
        self,
        conv: Conversation,
        skill_id: str,
        *,
        agent_id: str | None,
        context: TransferContext | None,
        via: str,
    ) -> None:
        """Move the conversation to a skill and find who takes it (``routing``)."""

    @abstractmethod
    def assign_from_skill(
        self, conv: Conversation, skill_id: str, context: TransferContext | None
    ) -> bool:
        """Give the conversation to an agent or bot of the skill, if any (``routing``)."""

    @abstractmethod
    def enqueue(self, conv: Conversation, skill_id: str, context: TransferContext | None) -> None:
        """Put the conversation in the skill's queue (``routing``)."""

    @abstractmethod
    def drain_queues(self) -> None:
        """Assign queued conversations that can now be served (``routing``)."""

    @abstractmethod
    def assign_agent(self, conv: Conversation, agent: AgentState, *, how: str) -> None:
        """Give the conversation to a human agent, or offer it to them (``agents``)."""

    @abstractmethod
    def assign_bot(
        self,
        conv: Conversation,
        bot: str,
        *,
        how: str,
        context: TransferContext | None = None,
        greet: bool = True,
    ) -> None:
        """Give the conversation to a bot and let it start (``bot_transfer``)."""

    @abstractmethod
    def group_receiver(self, conv: Conversation, bot: CompiledBot, text: str) -> GroupMatch | None:
        """The bot of the group that should take this message, if any (``group_hooks``)."""

    @abstractmethod
    def call_api(
        self,
        conv: Conversation,
        bot: CompiledBot,
        integration: ApiIntegration,
        request: ApiRequest,
    ) -> ApiResponse:
        """The stubbed answer to an API integration's request (``hooks``)."""

    @abstractmethod
    def run_code(
        self, conv: Conversation, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]:
        """Run bot code; returns the messages it sent (``hooks``)."""

    @abstractmethod
    def context_operation(
        self, conv: Conversation, session: BotSession, op: ContextOperation
    ) -> None:
        """A Conversation Context Service operation of a bot (``hooks``)."""
