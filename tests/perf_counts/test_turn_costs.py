"""A Then step costs the same in turn 2,000 as in turn 200 (issue 11 §3).

The scenario runs the step functions directly through the Simulator API. Work is counted two
ways, neither of them a clock: ``transcript.EXAMINED`` (entries the transcript's query methods
look at) and a list subclass swapped in for ``Transcript.entries`` that counts every entry
read from it, so a step that goes back to scanning ``entries`` itself is caught too. With
one-off costs aside, ten times the turns must cost about ten times the work; a step that
re-reads the transcript makes it about a hundred times.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, SupportsIndex

from simulator import transcript
from simulator.simulator import Simulator
from simulator.steps import library

ROOT = Path(__file__).resolve().parents[2]


class _CountingList(list[Any]):
    reads = 0

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            _CountingList.reads += 1
            yield item

    def __getitem__(self, index: SupportsIndex | slice) -> Any:  # type: ignore[override]
        item = super().__getitem__(index)
        _CountingList.reads += len(item) if isinstance(index, slice) else 1
        return item


def _turn(sim: Simulator) -> None:
    library.consumer_says(sim, "hello")
    library.bot_replies(sim, "Hello! I am the routing bot.")
    library.bot_replies(sim, "What is your name?")
    library.bot_replies_matching(sim, "What is your *")
    library.bot_replies_exactly(sim, "Hello! I am the routing bot.\nWhat is your name?")
    library.consumer_sees(sim, "Hello! I am the routing bot.")
    library.consumer_not_sees(sim, "Goodbye")
    library.dialog_started(sim, "Welcome")
    library.dialog_started(sim, "Welcome", bot="Routing")
    library.dialog_not_started(sim, "Fallback")
    library.dialog_started_by_pattern(sim, "Welcome", "(hi|hello|hey)*")
    library.transcript_contains(sim, "consumer: hello")
    library.transcript_lacks(sim, "no such line")


def _work(turns: int) -> int:
    sim = Simulator(base_dir=ROOT)
    library.load_tenant(sim, "fixtures/bank.yaml")
    library.open_with_bot(sim, "Routing")
    conv = sim.conversation()
    conv.transcript.entries = _CountingList(conv.transcript.entries)
    reads, examined = _CountingList.reads, transcript.EXAMINED.entries
    for _ in range(turns):
        _turn(sim)
    return (_CountingList.reads - reads) + (transcript.EXAMINED.entries - examined)


def test_then_steps_cost_grows_linearly_with_turns() -> None:
    small, large = _work(200), _work(2_000)
    assert small > 0  # the counters do see the steps' work
    # Linear work gives 10x (plus a little for the first turn); quadratic would give ~100x.
    assert large <= 11 * small, (small, large)


def test_transcript_contains_reads_each_line_once_per_query() -> None:
    sim = Simulator(base_dir=ROOT)
    library.load_tenant(sim, "fixtures/bank.yaml")
    library.open_with_bot(sim, "Routing")
    library.consumer_says(sim, "hello")
    t = sim.conversation().transcript
    before = transcript.EXAMINED.entries
    assert not t.contains_text("nowhere")
    first = transcript.EXAMINED.entries - before
    assert first == len(t.entries)
    assert not t.contains_text("nowhere")  # nothing new: nothing read
    assert transcript.EXAMINED.entries - before == first
    library.consumer_says(sim, "nowhere to be found")
    assert t.contains_text("nowhere")
    assert t.contains_text("routing bot.\n00:00")  # across lines: falls back to the full text
    assert t.render().count("\n") == len(t.entries) - 1


def test_last_of_kind_reads_one_entry() -> None:
    sim = Simulator(base_dir=ROOT)
    library.load_tenant(sim, "fixtures/bank.yaml")
    library.open_with_bot(sim, "Routing")
    library.consumer_says(sim, "hello")
    library.consumer_says(sim, "hello again")
    t = sim.conversation().transcript
    t.consumer_count  # noqa: B018 - brings the index up to date
    before = transcript.EXAMINED.entries
    last_consumer = t.last_of_kind(transcript.EntryKind.CONSUMER)
    last_bot = t.last_of_kind(transcript.EntryKind.BOT)
    assert transcript.EXAMINED.entries - before == 2
    assert last_consumer is not None and last_consumer.text == "hello again"
    bots = [e for e in t.entries if e.kind is transcript.EntryKind.BOT]
    assert last_bot is bots[-1]
    assert t.last_of_kind(transcript.EntryKind.ERROR) is None
