"""A conversation between a consumer and whoever the cloud assigned (B4, T1).

It owns its transcript and one ``BotSession`` per bot that has served it, which is how bots keep
separate contexts (T8): a receiver bot gets its own session, never the sender's variables.

A load test keeps 100,000 conversations open in one process, so the records here are slotted
(no per-instance ``__dict__``) and the sets that are nearly always empty are immutable
``frozenset``s, replaced on change: every conversation shares the one empty ``frozenset()``
instead of owning two empty ``set`` objects of 216 bytes each (the message joining buffer is a
tuple for the same reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from simulator.bots.runtime import BotSession
from simulator.clock import ScheduledEvent
from simulator.tenant.schema import Channel
from simulator.transcript import Transcript


class State(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Participant:
    """Who holds the conversation: a bot (through its connector) or a human agent."""

    kind: str  # "bot" or "agent"
    name: str
    agent_id: str | None = None

    def describe(self) -> str:
        return f'{self.kind} "{self.name}"'


@dataclass(slots=True)
class PendingEscalation:
    bot: str
    skill_id: str
    started: datetime
    timeout: ScheduledEvent | None = None
    to_fallback_skill: bool = False


@dataclass(slots=True)
class Conversation:
    id: str
    channel: Channel
    consumer: dict[str, Any]
    transcript: Transcript
    state: State = State.OPEN
    skill_id: str | None = None
    participant: Participant | None = None
    offered_to: str | None = None
    queued_at: datetime | None = None
    sessions: dict[str, BotSession] = field(default_factory=dict)
    escalation_failures: dict[str, int] = field(default_factory=dict)
    pending_escalation: PendingEscalation | None = None
    last_consumer_message: str | None = None
    last_speaker: str | None = None  # "consumer", "bot", "agent"
    transfers_since_consumer: int = 0
    transfer_count: int = 0
    outbox_free_at: dict[str, datetime] = field(default_factory=dict)
    greeting_timer: ScheduledEvent | None = None
    #: Consumer messages inside the joining window (C1); a tuple, so an empty one is shared.
    join_buffer: tuple[str, ...] = ()
    join_timer: ScheduledEvent | None = None
    stuck_timer: ScheduledEvent | None = None
    stuck_resends: int = 0
    awaiting_bot_answer: str | None = None
    #: Bots whose context Step 2 reset and that have not answered since (S1 Step 3 next).
    #: Immutable and shared while empty (see the module docstring): replace it to change it.
    stuck_reset: frozenset[str] = frozenset()
    #: Per bot: when it received the last consumer message it answered (C1 maxConsumerMessageDelay).
    last_answered_at: dict[str, datetime] = field(default_factory=dict)
    #: The general no-response timer of messaging connectors (F4 fallbackEscalationTime).
    response_timer: ScheduledEvent | None = None
    auto_close_timer: ScheduledEvent | None = None
    pending_context: Any = None
    #: Agents who declined the offer (F5); immutable and shared while empty, like stuck_reset.
    declined_by: frozenset[str] = frozenset()
    offer_timer: ScheduledEvent | None = None
    #: A text-only channel (SMS): rich content is delivered as its text version (R2).
    text_only: bool = False

    @property
    def is_open(self) -> bool:
        return self.state is State.OPEN

    @property
    def bot(self) -> str | None:
        p = self.participant
        return p.name if p is not None and p.kind == "bot" else None
