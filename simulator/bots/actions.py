"""What a bot turn produces and carries: messages, escalations, closes, API requests and answers.

These are plain records shared by the session (``simulator.bots.runtime``), the cloud that
schedules them and the tests that read them; they hold no behaviour of their own, so they live
apart from the code that plays a dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.bots.compiled import CompiledDialog
from simulator.rich import Content

DEFAULT_FALLBACK_TEXT = "Not able to understand your question. Can you please re-phrase it?"
#: What the platform sends when an API call fails and no failure rule takes it.
DEFAULT_API_FAILURE_TEXT = "Sorry, I could not find anything for that."

#: Interactions walked in one turn before the bot is considered to loop.
MAX_STEPS_PER_TURN = 500


# -- what a turn produces -----------------------------------------------------------------
@dataclass
class Say:
    text: str
    delay_ms: int
    dialog: str
    interaction: str
    #: Rich content (quick replies, buttons, cards...) sent with the text (R2).
    content: Content | None = None


@dataclass
class TransferContext:
    """What travels with a bot-to-bot transfer: an intent and/or a message, nothing else (T7)."""

    intent: str | None = None
    message: str | None = None


@dataclass
class Escalate:
    skill_ref: str
    skill_id: str
    agent_id: str | None
    message_to_user: str | None
    context: TransferContext | None
    delay_ms: int
    dialog: str
    interaction: str
    source: str


@dataclass
class AutoTransfer:
    receiver: str
    intent: str | None
    message: str
    delay_ms: int


@dataclass
class Close:
    delay_ms: int
    dialog: str
    interaction: str


Action = Say | Escalate | AutoTransfer | Close


@dataclass(frozen=True)
class ApiRequest:
    """The request an API integration makes, with every reference filled in."""

    integration: str
    method: str
    url: str
    body: str | None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ApiResponse:
    """A stub's answer: the HTTP status and the JSON body (None when the call failed)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        """Success as the platform counts it: status 200 or 201."""
        return self.status in (200, 201)


@dataclass
class GroupMatch:
    receiver: str
    intent: str | None
    how: str


@dataclass
class Pending:
    dialog: CompiledDialog
    index: int


class Turn:
    """Accumulates a turn's actions and its running delay.

    A plain slotted class: one is made per message, and a dataclass with a
    ``default_factory`` costs twice as much to build."""

    __slots__ = ("actions", "delay_ms", "steps", "stopped")

    def __init__(self) -> None:
        self.actions: list[Action] = []
        self.delay_ms = 0
        self.steps = 0
        self.stopped = False
