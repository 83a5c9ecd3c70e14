"""Memory of 10,000 simultaneous open conversations in one tenant.

The tenant is fixtures/bank.yaml; every conversation is opened with bot "Routing" and the
consumer says two messages ("hi", then an answer to "What is your name?"), so every conversation
holds a bot session with a variable, a transcript and a pending dialog. None is closed.

Each measurement runs in a fresh subprocess:
* peak RSS (resource.getrusage ru_maxrss) of the whole process, and its growth over the RSS after
  imports and tenant load (the cost of the conversations themselves);
* tracemalloc peak (Python allocations only; tracemalloc slows the run, so it is separate).

Targets (issue 15): 10,000 conversations under 100 MB peak RSS, 100,000 under 1 GB.

    python benchmarks/memory.py [--conversations 10000,100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Result, perf_counter

#: Peak RSS targets by number of conversations (issue 15).
TARGETS_MB = {10_000: 100.0, 100_000: 1024.0}


def _target(n: int) -> float:
    return next((mb for size, mb in sorted(TARGETS_MB.items()) if n <= size), 1024.0 * n / 100_000)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def worker(n: int, use_tracemalloc: bool) -> dict[str, float]:
    import tracemalloc

    from simulator.simulator import Simulator

    sim = Simulator(base_dir=ROOT)
    sim.load(ROOT / "fixtures" / "bank.yaml")
    # One simulator holds every conversation: lift the runaway guard (events per scenario).
    sim.clock.event_cap = max(sim.clock.event_cap, 20 * n)
    sim.faker  # noqa: B018  (load Faker before the baseline)
    base_rss = _current_rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    start = perf_counter()
    for i in range(n):
        sim.open_conversation(bot="Routing")
        sim.say("hi")
        sim.say(f"Name{i}")
    elapsed = perf_counter() - start
    open_count = sum(1 for c in sim.conversations if c.is_open)
    if open_count != n:
        raise RuntimeError(f"{open_count} conversations open, expected {n}")
    last = sim.transcript_text(sim.conversations[-1])
    if f"Nice to meet you Name{n - 1}" not in last:
        raise RuntimeError("the last conversation did not run as expected:\n" + last)
    out = {
        "base_rss_mb": base_rss,
        "peak_rss_mb": _rss_mb(),
        "current_rss_mb": _current_rss_mb(),
        "seconds": elapsed,
    }
    if use_tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        out["tracemalloc_peak_mb"] = peak / 2**20
        tracemalloc.stop()
    return out


def _spawn(n: int, use_tracemalloc: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", "--conversations", str(n)]
    if use_tracemalloc:
        cmd.append("--tracemalloc")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout + proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> list[Result]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--conversations", default="10000,100000", help="comma separated conversation counts"
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in str(args.conversations).split(",") if s.strip()]
    if args.worker:
        print(json.dumps(worker(sizes[0], args.tracemalloc)))
        return []

    results = []
    for index, n in enumerate(sizes):
        plain = _spawn(n, False)
        # tracemalloc slows the run several times; once, on the first size, is enough.
        traced = _spawn(n, True) if index == 0 else None
        grown = plain["current_rss_mb"] - plain["base_rss_mb"]
        print(f"memory: {n:,} open conversations (bank.yaml, 2 consumer messages each)")
        print(
            f"  peak RSS {plain['peak_rss_mb']:.0f} MB (after imports and tenant load "
            f"{plain['base_rss_mb']:.0f} MB; conversations add {grown:.0f} MB = "
            f"{1024 * grown / n:.1f} KB each); built in {plain['seconds']:.1f}s"
        )
        measured = (
            f"peak RSS {plain['peak_rss_mb']:.0f} MB ({1024 * grown / n:.1f} KB/conversation)"
        )
        if traced is not None:
            print(
                f"  tracemalloc peak {traced['tracemalloc_peak_mb']:.0f} MB "
                f"({1024 * traced['tracemalloc_peak_mb'] / n:.1f} KB per conversation, Python"
                " objects only)"
            )
            measured += f"; tracemalloc peak {traced['tracemalloc_peak_mb']:.0f} MB"
        target = _target(n)
        results.append(
            Result(
                f"Memory: {n:,} open conversations (2 messages each)",
                measured,
                f"< {target:,.0f} MB",
                plain["peak_rss_mb"] < target,
                {"plain": plain, "tracemalloc": traced},
            )
        )
    for result in results:
        result.emit()
    return results


if __name__ == "__main__":
    main()
