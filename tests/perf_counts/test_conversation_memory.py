"""What one open conversation costs in memory stays bounded (issue 15: 10,000 open
conversations under 100 MB, 100,000 under 1 GB).

Counted, never timed: the Python bytes and blocks that tracemalloc sees an open conversation
keep alive, measured the way ``benchmarks/memory.py`` builds its load (bank.yaml, bot
"Routing", the consumer says "hi" and then a name), after a warm-up. The routing memos (NLU,
starter and group indexes) are left out: they are bounded, shared by all conversations, and
fill up during the measure. Before the
records were slotted and the empty containers shared, a conversation kept ~10,300 bytes in
~115 blocks; now ~4,700 bytes in ~60 blocks (including the growth of the bounded tables of
shared transcript texts and details). The bounds leave room for Python versions and small
additions, not for a per-conversation ``__dict__`` or an eager container coming back. A second test names the records that must stay
slotted, so the cause of a regression is found directly; a third lists the modules building a
simulator must not import (they were part of every run's base memory).
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

from simulator.bots.runtime import BotSession
from simulator.clock import ScheduledEvent
from simulator.cloud.conversation import Conversation, Participant, PendingEscalation
from simulator.cloud.host import Host
from simulator.simulator import Simulator
from simulator.transcript import NO_DETAILS, Entry, Transcript

ROOT = Path(__file__).resolve().parents[2]

#: Bounds per open conversation (measured: ~4,700 bytes, ~60 blocks on CPython 3.11).
MAX_BYTES = 6_000
MAX_BLOCKS = 80


def _simulator() -> Simulator:
    sim = Simulator(base_dir=ROOT)
    sim.load(ROOT / "fixtures" / "bank.yaml")
    return sim


def _converse(sim: Simulator, i: int) -> None:
    sim.open_conversation(bot="Routing")
    sim.say("hi")
    sim.say(f"Name{i}")


def test_an_open_conversation_keeps_a_bounded_number_of_bytes_and_blocks() -> None:
    sim = _simulator()
    for i in range(100):  # warm-up: Faker, memos, first-use allocations
        _converse(sim, i)
    n = 400
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for i in range(100, 100 + n):
            _converse(sim, i)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # The routing memos (NLU scores, starter index, group index) are bounded and shared by
    # every conversation and scenario of a cached world: whether they grow during the measure
    # depends on what ran before in the process (a full memo replaces, an empty one grows).
    memos = [
        tracemalloc.Filter(False, f"*/simulator/{name}.py")
        for name in ("nlu", "pattern_index", "group_index")
    ]
    grown = [
        s
        for s in after.filter_traces(memos).compare_to(before.filter_traces(memos), "filename")
        if s.size_diff > 0
    ]
    size = sum(s.size_diff for s in grown) / n
    blocks = sum(s.count_diff for s in grown) / n
    assert all(c.is_open for c in sim.conversations)
    assert "Nice to meet you Name499" in sim.transcript_text(sim.conversations[-1])
    top = ", ".join(f"{s.traceback[0]}: {s.size_diff / n:.0f} B" for s in grown[:5])
    assert size < MAX_BYTES, f"{size:.0f} bytes per open conversation; largest: {top}"
    assert blocks < MAX_BLOCKS, f"{blocks:.1f} blocks per open conversation; largest: {top}"


def test_per_conversation_records_are_slotted_and_share_empty_values() -> None:
    sim = _simulator()
    _converse(sim, 1)
    _converse(sim, 2)
    first, second = sim.conversations
    assert first.participant is not None
    session = first.sessions["Routing"]
    assert isinstance(session.host, Host)
    event = sim.clock.call_later(timedelta(seconds=1), lambda: None, settles=False)
    records = [first, first.participant, first.transcript, first.transcript.entries[0], session]
    records += [session.host, event, PendingEscalation("Routing", "100", sim.clock.now())]
    for record in records:
        assert not hasattr(record, "__dict__"), f"{type(record).__name__} has a __dict__"
    for cls in (Conversation, Participant, PendingEscalation, Transcript, Entry, BotSession):
        assert "__slots__" in vars(cls), cls.__name__
    assert "__slots__" in vars(Host) and "__slots__" in vars(ScheduledEvent)
    # Empty values are shared between conversations, not owned by each.
    assert first.stuck_reset is second.stuck_reset
    assert first.declined_by is second.declined_by
    assert first.transfer_count == 0 and first.join_buffer == ()
    opened = [e for e in first.transcript.entries if not e.details]
    assert opened and all(e.details is NO_DETAILS for e in opened)
    # Equal texts and all-string details are stored once (bounded intern table).
    started = [
        next(e for e in c.transcript.entries if "started" in e.text) for c in (first, second)
    ]
    assert started[0].text is started[1].text
    assert started[0].details is started[1].details
    with pytest.raises(TypeError):
        started[0].details["bot"] = "Other"  # type: ignore[index]


def test_building_a_simulator_imports_only_what_it_needs() -> None:
    # A fresh interpreter: what building a simulator for bank.yaml imports is part of every
    # run's memory (the benchmark's base) and start-up. Exports, the JavaScript engine, the
    # HTML report and Faker (drawn only when a conversation needs a consumer) stay out.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from simulator.simulator import Simulator\n"
        f"sim = Simulator(base_dir=Path({str(ROOT)!r}))\n"
        f"sim.load(Path({str(ROOT / 'fixtures' / 'bank.yaml')!r}))\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = set(done.stdout.split())
    assert "simulator.tenant.loader" in loaded  # the check itself can see modules
    for name in ("simulator.cb_export", "simulator.js.engine", "simulator.report", "faker"):
        assert name not in loaded, name
