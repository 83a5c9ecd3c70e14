"""Cost of a long scenario: N turns of "When the consumer says / Then the bot replies".

Each turn runs the step functions themselves (the pytest-bdd layer only looks them up), so
the time per turn shows whether a Then step re-reads the whole transcript (quadratic) or only
what is new (linear). Also prints ``ENTRIES_EXAMINED``, the deterministic count the
regression test in tests/perf_counts/ bounds.

    python benchmarks/long_scenario.py [--turns 10000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Result, cpu_time

from simulator import transcript
from simulator.simulator import Simulator
from simulator.steps import library


def run(turns: int) -> tuple[float, int]:
    sim = Simulator(base_dir=ROOT)
    library.load_tenant(sim, "fixtures/bank.yaml")
    library.open_with_bot(sim, "Routing")
    before = transcript.EXAMINED.entries
    start = cpu_time()
    for _ in range(turns):
        library.consumer_says(sim, "hello")
        library.bot_replies(sim, "Hello! I am the routing bot.")
        library.bot_replies_matching(sim, "What is your *")
        library.dialog_started(sim, "Welcome")
        library.consumer_sees(sim, "Hello! I am the routing bot.")
    return cpu_time() - start, transcript.EXAMINED.entries - before


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=10_000)
    args = parser.parse_args(argv)
    per_turn = {}
    for turns in sorted({args.turns // 10, args.turns}):
        seconds, examined = run(turns)
        per_turn[turns] = seconds / turns
        print(
            f"{turns} turns: {seconds:.2f} s CPU, {seconds / turns * 1e6:.0f} us/turn, "
            f"ENTRIES_EXAMINED={examined}"
        )
    small, large = sorted(per_turn)
    ratio = per_turn[large] / per_turn[small]
    result = Result(
        f"Long scenario: cost per turn at {large:,} turns vs {small:,} turns",
        f"{1e6 * per_turn[large]:.0f} us vs {1e6 * per_turn[small]:.0f} us = {ratio:.2f}x",
        "about 1x (linear; quadratic would be ~10x)",
        ratio < 2.0,
    )
    result.emit()
    return [result]


if __name__ == "__main__":
    main()
