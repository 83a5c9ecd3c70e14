"""A seeded soak run: many generated conversations through transfers, failures and groups.

Each conversation is a list of recorded actions (messages, waits, agent changes and chaos
faults: failed or dropped transfers) drawn from its own seed, so one broken conversation can be
replayed alone from its seed, shrunk by delta debugging to the fewest actions that still break
the same invariant, and saved as a feature file (``simulator soak --replay SEED --save F``).
Every conversation runs alone on a fresh simulator (so memory stays flat and nothing leaks
from one conversation into the next) and is checked once a virtual day has passed.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from simulator.invariants import (
    ConversationInvariant,
    InvariantViolation,
    check_cloud,
    check_conversation,
)
from simulator.simulator import DEFAULT_SEED, Simulator
from simulator.tenant.loader import LoadedTenant, load_tenant_text
from simulator.tenant.schema import ESCALATION_FAILED_MESSAGE
from simulator.transcript import EntryKind

#: Built in, so ``simulator soak`` works from any folder.
SOAK_TENANT = """
name: Soak
skills:
  - {id: 100, name: Front}
  - {id: 101, name: Orders}
  - {id: 102, name: Returns}
  - {id: 200, name: Humans}
  - {id: 300, name: Overflow}
agents:
  - {id: 1, name: Ann, skills: [200]}
  - {id: 2, name: Ben, skills: [200], available: false}
  - {id: 3, name: Cy, skills: [300]}
bots:
  - name: Front
    intents:
      - {name: order_status, phrases: ["where is my order", "track my package", "order status"]}
    dialogs:
      - name: Failed
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Sorry, trying again."
          - transfer: {skill_id: 200, message_to_user: "Retrying the transfer."}
            delay_ms: 2000
      - name: Welcome
        starter: {patterns: ["(hi|hello|hey)*"]}
        interactions:
          - question: "Hi! What is your name?"
            save_as: name
          - text: "Thanks {$botContext.name}."
      - name: Human
        starter: {patterns: ["*(agent|human|person)*"]}
        interactions:
          - text: "Let me find a person."
          - transfer: {skill_id: 200, message_to_user: "Connecting you now."}
            delay_ms: 2000
      - name: Savings
        starter: {patterns: ["*(refund|money back)*"]}
        interactions:
          - transfer: {skill_id: 102, transfer_bot_context: true, message_to_user: BLANK_MESSAGE}
      - name: Fallback
        type: fallback
        interactions:
          - text: "Front did not understand."
  - name: Orders
    intents:
      - {name: order_status, phrases: ["where is my order", "track my package", "order status"]}
    dialogs:
      - name: Status
        starter: {intent: order_status}
        interactions:
          - question: "Your order number?"
            save_as: order
          - text: "Order {$botContext.order} ships tomorrow."
  - name: Returns
    dialogs:
      - name: Return
        starter: {patterns: ["*(return|refund|money back)*"]}
        interactions:
          - text: "Returns can help."
      - name: Fallback
        type: fallback
        interactions:
          - text: "Returns did not understand."
connectors:
  - {bot: Front, skills: [100], fallback_skill_id: 300}
  - {bot: Orders, skills: [101]}
  - {bot: Returns, skills: [102]}
groups:
  - name: Shop
    collaboration: true
    transfer_message: "Passing you to a colleague bot."
    members: [Front, Orders, Returns]
"""

#: Progress is reported every BATCH conversations.
BATCH = 500

#: Chaos: the chance that a conversation gets a failed or dropped transfer before a message.
CHAOS_FAIL, CHAOS_DROP = 0.08, 0.02

_WORDS = [
    "the",
    "my",
    "a",
    "new",
    "old",
    "blue",
    "quick",
    "please",
    "today",
    "why",
    "when",
    "card",
    "account",
    "box",
    "phone",
    "bill",
    "delivery",
    "address",
    "parcel",
    "store",
    "late",
    "broken",
    "help",
    "thanks",
    "question",
    "again",
    "sure",
]


@dataclass(frozen=True)
class Action:
    """One recorded step of a soak conversation; ``step()`` writes it as a library step."""

    kind: str  # open | say | wait | agent | fail | drop
    text: str = ""
    number: int = 0

    def step(self) -> str:
        if self.kind == "open":
            return f'the consumer opens a conversation with bot "Front" on "{self.text}"'
        if self.kind == "say":
            return f'the consumer says "{self.text}"'
        if self.kind == "wait":
            return f"{self.number} second{'' if self.number == 1 else 's'} pass"
        if self.kind == "agent":
            change = "becomes available" if self.number else "goes away"
            return f'agent "{self.text}" {change}'
        if self.kind == "fail":
            return f'the next transfer to skill "{self.text}" fails'
        return f'the chat server drops the next escalation to skill "{self.text}"'


def conversation_seed(run_seed: int, index: int) -> int:
    """The seed of conversation ``index`` of a run: what a violation prints for --replay."""
    return run_seed * 1_000_003 + index


def actions_for(seed: int) -> list[Action]:
    """The conversation a seed stands for, the same every time (its own random generator)."""
    rng = random.Random(seed)
    actions = [Action("open", "chat" if rng.random() < 0.5 else "messaging")]
    for _ in range(rng.randint(1, 4)):
        chaos = rng.random()
        if chaos < CHAOS_FAIL:
            actions.append(Action("fail", rng.choice(["Humans", "Returns"])))
        elif chaos < CHAOS_FAIL + CHAOS_DROP:
            actions.append(Action("drop", "Humans"))
        actions.append(Action("say", _message(rng)))
        if rng.random() < 0.3:
            actions.append(Action("wait", number=rng.randint(1, 400)))
    if rng.random() < 0.05:
        actions.append(Action("agent", rng.choice(["Ann", "Ben"]), int(rng.random() < 0.5)))
    return actions


@dataclass
class SoakSummary:
    conversations: int = 0
    messages: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def render(self) -> str:
        lines = [f"{self.conversations} conversations, {self.messages} consumer messages"]
        for key in sorted(self.counts):
            lines.append(f"  {key:<28}{self.counts[key]}")
        lines.append("invariants held for every conversation")
        return "\n".join(lines)


class SoakFailure(InvariantViolation):
    """A soak conversation broke an invariant; ``seed`` replays it alone."""

    def __init__(self, message: str, *, seed: int | None, name: str) -> None:
        super().__init__(message, name=name)
        self.seed = seed


def _message(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        return rng.choice(["hi", "hello there", "hey"])
    if kind < 0.4:
        return rng.choice(["where is my order", "track my package please", "order status?"])
    if kind < 0.55:
        return rng.choice(["I want an agent", "human please", "let me talk to a person"])
    if kind < 0.7:
        return rng.choice(["I want a refund", "can I get my money back", "return this"])
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 8))).capitalize() + "."


def _tally(sim: Simulator, summary: SoakSummary) -> None:
    for conv in sim.conversations:
        for e in conv.transcript.entries:
            if e.kind is EntryKind.TRANSFER:
                if e.details.get("automatic"):
                    summary.counts["automatic transfers"] += 1
                elif e.text.startswith("transferred to skill"):
                    summary.counts["transfers"] += 1
                elif "escalation stops" in e.text:
                    summary.counts["give-ups (F3)"] += 1
            elif e.kind is EntryKind.PLATFORM and ESCALATION_FAILED_MESSAGE in e.text:
                summary.counts["failure messages (F1)"] += 1
            elif e.kind is EntryKind.DIALOG and "(fallback:" in e.text:
                summary.counts["fallbacks"] += 1
            elif e.kind is EntryKind.ROUTING and e.text.startswith("waits in the queue"):
                summary.counts["queue waits"] += 1
            elif e.kind is EntryKind.FAULT:
                summary.counts["chaos failures"] += 1


def _perform(sim: Simulator, action: Action) -> None:
    if action.kind == "open":
        sim.open_conversation(bot="Front", channel=action.text)
    elif action.kind == "say":
        if sim.conversation().is_open:
            sim.say(action.text)
    elif action.kind == "wait":
        sim.advance(timedelta(seconds=action.number))
        sim.settle()
    elif action.kind == "agent":
        sim.platform.set_agent_available(action.text, bool(action.number))
        sim.settle()
    elif action.kind == "fail":
        sim.fail_transfers(action.text)
    else:
        sim.drop_transfers(action.text)


@functools.cache
def _soak_tenant() -> LoadedTenant:
    """The built-in tenant, parsed once: every conversation's simulator builds its world
    from the same parsed document (parsing is most of a fresh simulator's cost)."""
    return load_tenant_text(SOAK_TENANT, name="<soak tenant>", base_dir=Path.cwd())


@functools.cache
def _shared_faker() -> Any:
    """One Faker for every conversation: each simulator reseeds it with its own seed on first
    use, so the names are those of a fresh one, without Faker's costly construction."""
    from faker import Faker

    return Faker("en_US")


def _soak_simulator(seed: int) -> Simulator:
    sim = Simulator(seed=seed, faker=_shared_faker())
    sim.use_tenant(_soak_tenant())
    return sim


def run_soak(
    conversations: int,
    seed: int,
    *,
    progress: Callable[[int], None] | None = None,
    invariants: Sequence[ConversationInvariant] = (),
) -> SoakSummary:
    """Run ``conversations`` seeded conversations; raises SoakFailure (with the broken
    conversation's seed) when one breaks an invariant, the built-in ones or ``invariants``
    (extra checks, e.g. a test-only one, called with the cloud and each conversation)."""
    summary = SoakSummary()
    for index in range(conversations):
        conv_seed = conversation_seed(seed, index)
        actions = actions_for(conv_seed)
        summary.messages += sum(1 for a in actions if a.kind == "say")
        sim = _soak_simulator(DEFAULT_SEED)
        found = _play(sim, actions, invariants)
        if found is not None:
            raise SoakFailure(str(found), seed=conv_seed, name=found.name)
        _tally(sim, summary)
        summary.conversations += 1
        if progress is not None and ((index + 1) % BATCH == 0 or index + 1 == conversations):
            progress(index + 1)
    return summary


def _play(
    sim: Simulator, actions: Sequence[Action], invariants: Sequence[ConversationInvariant]
) -> InvariantViolation | None:
    """Play one conversation on its own simulator (nothing leaks from another one, so its
    seed replays it exactly), let a day pass so every timer fires, then check it."""
    try:
        for action in actions:
            _perform(sim, action)
        sim.advance(timedelta(days=1))
        sim.settle()
        for conv in sim.conversations:
            check_conversation(sim.platform, conv, invariants)
        check_cloud(sim.platform, idle=True)
    except InvariantViolation as exc:
        return exc
    return None


# -- replay and shrinking ------------------------------------------------------------------
def violation_of(
    actions: Sequence[Action], invariants: Sequence[ConversationInvariant] = ()
) -> InvariantViolation | None:
    """Run one conversation's actions alone, as its saved feature does; the broken invariant."""
    return _play(_soak_simulator(DEFAULT_SEED), actions, invariants)


def shrink(
    actions: Sequence[Action], name: str, invariants: Sequence[ConversationInvariant] = ()
) -> list[Action]:
    """Delta debugging (ddmin) over the actions after "open": the fewest that still break the
    invariant called ``name``. Deterministic: chunks are tried in order."""
    first, rest = actions[0], list(actions[1:])

    def fails(candidate: list[Action]) -> bool:
        found = violation_of([first, *candidate], invariants)
        return found is not None and found.name == name

    chunks = 2
    while len(rest) >= 2:
        size = -(-len(rest) // chunks)
        parts = [rest[i : i + size] for i in range(0, len(rest), size)]
        reduced = False
        for i, _part in enumerate(parts):
            complement = [a for j, p in enumerate(parts) if j != i for a in p]
            if fails(complement):
                rest, chunks, reduced = complement, max(chunks - 1, 2), True
                break
        if not reduced:
            if chunks >= len(rest):
                break
            chunks = min(chunks * 2, len(rest))
    if len(rest) == 1 and fails([]):
        rest = []
    return [first, *rest]


def feature_text(
    seed: int, actions: Sequence[Action], violation: InvariantViolation, plugins: Sequence[str]
) -> str:
    """A regression scenario replaying the shrunk conversation and checking the invariants."""
    tenant = "\n".join(
        f"      {line}" if line else "" for line in SOAK_TENANT.strip("\n").split("\n")
    )
    check = "Then the simulator's invariants hold"
    if plugins:
        check += " with " + ", ".join(f'"{p}"' for p in plugins)
    lines = [
        f"# Written by `simulator soak --replay {seed}`: {violation}",
        f"Feature: soak seed {seed}",
        "",
        f"  Scenario: Soak conversation {seed} keeps the invariants",
        "    Given a tenant defined as:",
        '      """',
        tenant,
        '      """',
        *(f"    {'When' if i == 0 else 'And'} {a.step()}" for i, a in enumerate(actions)),
        "    And 1 day passes",
        f"    {check}",
    ]
    return "\n".join(lines) + "\n"
