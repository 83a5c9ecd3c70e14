"""Steps that check the simulator's own invariants: what `simulator soak --replay` saves.

A soak conversation that broke an invariant becomes a regression scenario ending with one of
these; extra invariants (the soak's ``--invariant MODULE:FUNC`` hook) are named in the step so
the saved scenario checks the same promise.
"""

from __future__ import annotations

from simulator.errors import ExpectationFailed
from simulator.invariants import (
    ConversationInvariant,
    InvariantViolation,
    check_cloud,
    check_conversation,
    load_invariant,
)
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY, split_list

step = REGISTRY.step

SECTION = "Faults and timeouts"


@step(
    "the simulator's invariants hold",
    "the simulator's invariants hold with {plugins:list}",
    example="Then the simulator's invariants hold",
    section=SECTION,
)
def invariants_hold(sim: Simulator, plugins: str | None = None) -> None:
    """Every conversation keeps the simulator's invariants (one holder, time order, retry
    limit, queues, agents, no lost message), and each named MODULE:FUNC extra invariant."""
    extra: list[ConversationInvariant] = [load_invariant(p) for p in split_list(plugins or "")]
    try:
        for conv in sim.conversations:
            check_conversation(sim.platform, conv, extra)
        check_cloud(sim.platform, idle=True)
    except InvariantViolation as exc:
        raise ExpectationFailed(f"invariant {exc.name!r} broken: {exc}") from None
