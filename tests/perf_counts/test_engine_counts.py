"""The engine's per-message work stays constant as a scenario goes on (issue 15), counted.

Three structures could silently make every consumer message dearer the longer a scenario
runs, and each is bounded here by counting, never by timing:

* the clock's event queue: the no-response timer is started by every consumer message and
  cancelled by every reply; without compaction the cancelled timers piled up for the whole
  ``fallbackEscalationTime`` (about fifty heap comparisons per message at the benchmark's
  pace), so the queue must stay as small as what is really pending;
* coverage: each dialog, interaction and starter is marked once, not once per message;
* clock observers (freezegun under the plugin): told once per settled message, not at every
  event inside it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from simulator.cloud.conversation import Conversation
from simulator.coverage import BotCoverage
from simulator.simulator import Simulator

TENANT = """\
skills:
  - {id: 1, name: Front}
bots:
  - name: Echo
    dialogs:
      - name: Greeting
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - text: "Hello!"
      - name: Order
        starter: {patterns: ["*order*"]}
        interactions:
          - text: "Your order is on its way."
      - name: Fallback
        type: fallback
        interactions:
          - text: "Sorry?"
connectors:
  - {bot: Echo, skills: [1]}
"""

MESSAGES = ("hello there", "where is my order", "what?")


def _simulator(conversations: int = 5) -> tuple[Simulator, list[Conversation]]:
    sim = Simulator()
    sim.load_text(TENANT)
    convs = [sim.open_conversation(bot="Echo") for _ in range(conversations)]
    return sim, convs


def _talk(sim: Simulator, convs: list[Conversation], messages: int) -> int:
    """Say ``messages`` messages round robin; return the largest queue seen after each."""
    largest = 0
    for i in range(messages):
        sim.current = convs[i % len(convs)]
        sim.say(MESSAGES[i % len(MESSAGES)])
        largest = max(largest, sim.clock.queue_size)
    return largest


def test_event_queue_does_not_grow_with_the_scenario() -> None:
    sim, convs = _simulator()
    short = _talk(sim, convs, 300)
    sim, convs = _simulator()
    long = _talk(sim, convs, 3_000)
    # Each message leaves a cancelled no-response timer due 3 minutes later, about 1.3 s of
    # virtual time per message: without compaction ~140 of them would sit in the queue.
    assert long <= 80, long
    assert long <= short + 5, (short, long)


def test_cancelled_settling_events_still_hold_settle_open() -> None:
    """Compaction only drops cancelled timers that do not settle: a cancelled settling event
    keeps ``run_until_settled`` running until its instant, as before."""
    sim, _ = _simulator(1)
    clock = sim.clock
    seen: list[str] = []
    start = clock.now()
    event = clock.call_later(timedelta(seconds=5), lambda: seen.append("cancelled"))
    clock.call_later(timedelta(seconds=2), lambda: seen.append("timer"), settles=False)
    for _ in range(100):  # enough cancelled timers to trigger compaction
        clock.call_later(timedelta(minutes=3), lambda: None, settles=False).cancel()
    event.cancel()
    clock.run_until_settled()
    assert seen == ["timer"]
    assert clock.now() - start >= timedelta(seconds=2)


def test_coverage_marks_each_item_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = BotCoverage.mark

    def counting(self: BotCoverage, category: str, key: str) -> None:
        nonlocal calls
        calls += 1
        original(self, category, key)

    monkeypatch.setattr(BotCoverage, "mark", counting)
    sim, convs = _simulator()
    _talk(sim, convs, 600)
    assert 0 < calls <= 20, calls
    hit = sim.coverage.bots["Echo"].hit
    assert {"Greeting", "Order", "Fallback"} <= hit["dialogs"]


def test_observers_are_told_once_per_settled_message() -> None:
    sim, convs = _simulator(1)
    told: list[datetime] = []
    sim.clock.on_change(told.append)
    _talk(sim, convs, 50)
    # Three events move time for every message (joining window, reply, delivery).
    assert len(told) == 50
    assert told[-1] == sim.clock.now()
