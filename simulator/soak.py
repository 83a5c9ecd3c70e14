"""A seeded soak run: many faker-generated conversations through transfers, failures and groups.

Every conversation is checked against the simulator's invariants as it ends, and the run prints
a summary. Conversations run in batches, each on a fresh simulator whose seed derives from the
run's seed and the batch number, so memory stays flat and the run is the same every time.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from simulator.invariants import check_cloud
from simulator.simulator import Simulator
from simulator.tenant.schema import ESCALATION_FAILED_MESSAGE
from simulator.transcript import EntryKind

#: Built in, so ``simulator soak`` works from any folder.
SOAK_TENANT = """
name: Soak
platform:
  chaos: {chat: 0.3, messaging: 0.05}
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

BATCH = 500


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


def _message(rng: random.Random, fake: object) -> str:
    kind = rng.random()
    if kind < 0.2:
        return rng.choice(["hi", "hello there", "hey"])
    if kind < 0.4:
        return rng.choice(["where is my order", "track my package please", "order status?"])
    if kind < 0.55:
        return rng.choice(["I want an agent", "human please", "let me talk to a person"])
    if kind < 0.7:
        return rng.choice(["I want a refund", "can I get my money back", "return this"])
    return str(fake.sentence(nb_words=rng.randint(2, 8)))  # type: ignore[attr-defined]


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
            elif e.kind is EntryKind.FAULT and "chaos" in e.text:
                summary.counts["chaos failures"] += 1


def run_soak(
    conversations: int,
    seed: int,
    *,
    progress: Callable[[int], None] | None = None,
) -> SoakSummary:
    """Run ``conversations`` seeded conversations; raises InvariantViolation on a broken one."""
    summary = SoakSummary()
    done = 0
    batch_number = 0
    while done < conversations:
        size = min(BATCH, conversations - done)
        sim = Simulator(seed=seed * 1_000_003 + batch_number)
        sim.load_text(SOAK_TENANT, name="<soak tenant>")
        rng = sim.rng
        for _ in range(size):
            channel = "chat" if rng.random() < 0.5 else "messaging"
            sim.open_conversation(bot="Front", channel=channel)
            for _ in range(rng.randint(1, 4)):
                if not sim.conversation().is_open:
                    break
                sim.say(_message(rng, sim.faker))
                summary.messages += 1
                if rng.random() < 0.3:
                    sim.advance(timedelta(seconds=rng.randint(1, 400)))
                    sim.settle()
            if rng.random() < 0.05:
                sim.platform.set_agent_available(rng.choice(["Ann", "Ben"]), rng.random() < 0.5)
                sim.settle()
        sim.advance(timedelta(days=1))
        sim.settle()
        check_cloud(sim.platform, idle=True)
        _tally(sim, summary)
        summary.conversations += size
        done += size
        batch_number += 1
        if progress is not None:
            progress(done)
    return summary
