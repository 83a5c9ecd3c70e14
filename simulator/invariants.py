"""Invariants every simulated conversation must keep, whatever happens to it.

Shared by the property-based tests and the soak run, so both check the same promises: one
holder at most, time never goes backwards, the escalation retry limit is respected between
successful transfers, queued conversations have no holder, agents hold only what they think
they hold, and no bot message is lost once the clock is idle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from simulator.tenant.schema import ESCALATION_FAILED_MESSAGE
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.cloud.cloud import Cloud
    from simulator.cloud.conversation import Conversation


class InvariantViolation(AssertionError):
    """The simulator broke one of its own promises (a bug in the simulator, not the bot).

    ``name`` says which promise, so a shrunk replay can check it breaks the same one."""

    def __init__(self, message: str, *, name: str = "invariant") -> None:
        super().__init__(message)
        self.name = name


#: An extra invariant (the ``--invariant MODULE:FUNC`` hook): called with the cloud and each
#: conversation once the clock is idle; raises InvariantViolation (or AssertionError) if broken.
ConversationInvariant = Callable[["Cloud", "Conversation"], None]


def invariant_name(check: ConversationInvariant) -> str:
    return f"{getattr(check, '__module__', '?')}:{getattr(check, '__qualname__', repr(check))}"


def load_invariant(spec: str) -> ConversationInvariant:
    """``MODULE:FUNC`` to the function; a clear UserError when it cannot be imported."""
    from simulator.errors import UserError

    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise UserError(f'invariant "{spec}": expected MODULE:FUNCTION, e.g. "my_checks:no_loops"')
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UserError(f'invariant "{spec}": cannot import {module_name} ({exc})') from None
    found = getattr(module, attr, None)
    if not callable(found):
        raise UserError(f'invariant "{spec}": {module_name} has no function {attr}')
    check: ConversationInvariant = found
    return check


def check_conversation(
    cloud: Cloud, conv: Conversation, extra: Sequence[ConversationInvariant] = ()
) -> None:
    """The built-in invariants of one conversation, then each ``extra`` one."""
    _check_builtin(cloud, conv)
    for check in extra:
        try:
            check(cloud, conv)
        except InvariantViolation as exc:
            if exc.name == "invariant":
                exc.name = invariant_name(check)
            raise
        except AssertionError as exc:
            raise InvariantViolation(f"{conv.id}: {exc}", name=invariant_name(check)) from None


def _check_builtin(cloud: Cloud, conv: Conversation) -> None:
    stamps = [e.at for e in conv.transcript.entries]
    if stamps != sorted(stamps):
        raise InvariantViolation(
            f"{conv.id}: transcript timestamps went backwards", name="time order"
        )
    p = conv.participant
    if p is not None and p.kind not in ("bot", "agent"):
        raise InvariantViolation(
            f"{conv.id}: unknown participant kind {p.kind!r}", name="participant"
        )
    if conv.queued_at is not None and p is not None:
        raise InvariantViolation(
            f"{conv.id}: queued but held by {p.describe()}", name="queued holder"
        )
    streaks: dict[str, int] = {}
    for e in conv.transcript.entries:
        if e.kind is EntryKind.TRANSFER and e.text.startswith("transferred to skill"):
            streaks.clear()
        if e.kind is EntryKind.PLATFORM and ESCALATION_FAILED_MESSAGE in e.text:
            bot = e.text.rsplit(" to ", 1)[-1]
            streaks[bot] = streaks.get(bot, 0) + 1
            limit = cloud.settings_of(bot).max_escalation_retries
            if streaks[bot] > limit:
                raise InvariantViolation(
                    f"{conv.id}: {bot} got {streaks[bot]} failure messages; the limit is {limit}",
                    name="escalation retries",
                )


def check_cloud(cloud: Cloud, *, idle: bool = False) -> None:
    """Check every conversation; with ``idle`` (nothing pending) also that no message was lost."""
    for conv in cloud.conversations.values():
        check_conversation(cloud, conv)
    for agent in cloud.agents.values():
        for conv_id in agent.conversations:
            holder = cloud.conversations[conv_id].participant
            if holder is None or holder.agent_id != agent.id:
                raise InvariantViolation(
                    f"agent {agent.name} lists {conv_id} but does not hold it", name="agent list"
                )
    if idle and cloud.messages_delivered != cloud.messages_sent:
        raise InvariantViolation(
            f"{cloud.messages_sent} bot messages sent but {cloud.messages_delivered} delivered",
            name="lost messages",
        )
