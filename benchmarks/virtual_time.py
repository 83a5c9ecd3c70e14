"""Virtual time costs what its events cost, not what its duration is (rule B5).

Case "90 days": a recurring timer fires every virtual minute for 90 days (129,600 events) and the
scenario advances the clock by 90 days. Case "1 minute": the same number of timer events packed
into one virtual minute (one every 462 microseconds) and the clock advances by 1 minute.
The ratio of their CPU times (time.process_time; steadier than wall time on a shared machine)
should be close to 1 (target <= 2x).

Both cases run with a tenant loaded and a conversation open, once plain and once with freezegun
following the clock as the pytest plugin does (``frozen_at``: freezegun is moved on every tick).

    python benchmarks/virtual_time.py [--days 90] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ECHO_TENANT, ROOT, Result, cpu_time

from simulator.simulator import Simulator
from simulator.timefreeze import frozen_at

TARGET = 2.0


def _case(total: timedelta, events: int, *, freezegun: bool) -> tuple[float, int]:
    """Wall seconds to advance ``total`` with ``events`` evenly spaced recurring timer events."""
    sim = Simulator(base_dir=ROOT)
    sim.load_text(ECHO_TENANT)
    sim.open_conversation(bot="Echo")
    # Rounded down to whole microseconds so the last event falls inside ``total``.
    interval = timedelta(microseconds=(total // timedelta(microseconds=1)) // events)
    fired = [0]

    def tick() -> None:
        fired[0] += 1
        if fired[0] < events:
            sim.clock.call_later(interval, tick, label="benchmark timer", settles=False)

    sim.clock.event_cap = max(sim.clock.event_cap, events * 2)
    sim.clock.call_later(interval, tick, label="benchmark timer", settles=False)
    ctx = frozen_at(sim) if freezegun else contextlib.nullcontext()
    with ctx:
        start = cpu_time()
        sim.advance(total)
        elapsed = cpu_time() - start
    return elapsed, fired[0]


def main(argv: list[str] | None = None) -> list[Result]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeat", type=int, default=3, help="runs per case; the best counts")
    args = ap.parse_args(argv)
    long = timedelta(days=args.days)
    events = args.days * 24 * 60  # one per minute
    short = timedelta(minutes=1)
    results: list[Result] = []
    print(f"virtual time: {events:,} timer events over {args.days} days vs over 1 minute")
    for freezegun in (False, True):
        best: dict[str, float] = {}
        for label, total in (("long", long), ("short", short)):
            times = []
            for _ in range(args.repeat):
                elapsed, fired = _case(total, events, freezegun=freezegun)
                if fired != events:
                    raise RuntimeError(f"{label}: {fired} events fired, expected {events}")
                times.append(elapsed)
            best[label] = min(times)
        ratio = best["long"] / best["short"]
        mode = "with freezegun following the clock" if freezegun else "plain"
        print(
            f"  {mode}: {args.days} days {best['long']:.3f}s "
            f"({1e6 * best['long'] / events:.2f} us/event), 1 minute {best['short']:.3f}s "
            f"({1e6 * best['short'] / events:.2f} us/event), ratio {ratio:.2f}x",
            flush=True,
        )
        results.append(
            Result(
                f"Virtual time: {args.days} days vs 1 minute, {events:,} timer events ({mode})",
                f"{best['long']:.2f}s vs {best['short']:.2f}s = {ratio:.2f}x",
                "<= 2x",
                ratio <= TARGET,
                {"long_s": best["long"], "short_s": best["short"], "events": events},
            )
        )
    for r in results:
        r.emit()
    return results


if __name__ == "__main__":
    main()
