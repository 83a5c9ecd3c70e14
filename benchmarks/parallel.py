"""The generated plugin suite (six-step scenarios, see harness_overhead.py) serially and with
pytest-xdist ``-n 2``; prints wall times, the speed-up and where the CPU of each run goes.

The machine has 2 cores, so 2x is the ceiling. What ``-n 2`` adds to a serial run's work:
a second worker's start-up and collection (each worker collects every scenario: xdist checks
that all workers collected the same list, then hands out indexes), the controller process
(start-up, then one message per report: 6 per test, unserialised and passed through pytest's
report hooks while the workers run) and the workers' side of those messages (serialising each
report into execnet). Besides the wall times, each run's whole-process-tree CPU (from
``getrusage(RUSAGE_CHILDREN)``) and each process's in-process marks are printed: on a shared
machine the wall time moves with the load, the CPU split does not.

Processes run with Python's bytecode cache on, in a private folder, after a warm-up run (see
``_common.bytecode_env``): what a user's machine does. ``--no-bytecode-cache`` keeps the
calling environment as it is (PYTHONDONTWRITEBYTECODE=1 in the development sandbox).

Serial and parallel runs alternate; the median of ``--repeat`` runs counts.

    python benchmarks/parallel.py [--size 5000] [--workers 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BARE_FLAGS, PYTEST, Result, bytecode_env, run, run_measured, write_suite

#: -n 2 must be at least this much faster than serial (issue 15).
TARGET = 1.5


@dataclass
class Run:
    """One whole pytest process tree: wall and CPU seconds, and each process's marks."""

    wall: float
    cpu: float
    marks: dict[str, dict[str, float]] = field(default_factory=dict)

    def part(self, name: str, start: str, end: str) -> float:
        marks = self.marks.get(name, {})
        return marks[end] - marks[start] if start in marks and end in marks else float("nan")

    def workers(self) -> list[str]:
        return sorted(n for n in self.marks if n != "main")


def _run(folder: Path, extra: list[str], n: int, env: dict[str, str | None], tmp: Path) -> Run:
    marks_dir = tmp / "marks"
    marks_dir.mkdir(exist_ok=True)
    for old in marks_dir.glob("*.json"):
        old.unlink()
    wall, cpu, out = run_measured(
        [*PYTEST, *extra], folder, {**env, "BENCH_TIMES_DIR": str(marks_dir)}
    )
    if f"{n} passed" not in out:
        raise RuntimeError(f"expected {n} passed:\n{out[-3000:]}")
    marks = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in marks_dir.glob("*.json")}
    return Run(wall, cpu, marks)


def _median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def _breakdown(serial: Run, parallel: Run, n: int) -> list[str]:
    """CPU seconds by phase and process (in-process marks; "exit and rest" is what the process
    tree spent outside them: interpreter start-up before pytest's session, exit, finalisation,
    xdist's message threads)."""
    lines = [
        "CPU seconds by process and phase (session start = after start-up and plugin imports):",
        f"  {'process':<12} {'start-up':>9} {'collect':>8} {'run':>8} {'collect ms/scenario':>20}",
    ]

    def row(run: Run, name: str, label: str) -> float:
        startup = run.marks.get(name, {}).get("start_cpu", float("nan"))
        collect = run.part(name, "start_cpu", "collected_cpu")
        if name == "main" and "collected_cpu" not in run.marks.get(name, {}):
            collect = float("nan")  # the xdist controller does not collect
            execute = run.part(name, "start_cpu", "end_cpu")
        else:
            execute = run.part(name, "collected_cpu", "end_cpu")
        items = run.marks.get(name, {}).get("items")
        per = "" if items is None else f"{1e3 * collect / n:.3f}"
        lines.append(f"  {label:<12} {startup:9.2f} {collect:8.2f} {execute:8.2f} {per:>20}")
        parts = [x for x in (startup, collect, execute) if x == x]
        return sum(parts)

    known = row(serial, "main", "serial")
    lines.append(
        f"  {'':<12} process tree CPU {serial.cpu:.2f}s, exit and rest {serial.cpu - known:.2f}s"
    )
    known = row(parallel, "main", "controller")
    for worker in parallel.workers():
        known += row(parallel, worker, worker)
    lines.append(
        f"  {'':<12} process tree CPU {parallel.cpu:.2f}s, exit and rest {parallel.cpu - known:.2f}s"
    )
    ideal = serial.cpu / (parallel.cpu / 2)
    lines.append(
        f"  -n 2 does {parallel.cpu / serial.cpu:.2f}x the CPU work of the serial run: on 2 free"
        f" cores at best {ideal:.2f}x faster (1.5x needs at most {2 * serial.cpu / TARGET:.1f}s)"
    )
    return lines


def main(argv: list[str] | None = None) -> list[Result]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=5000, help="scenarios")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs per mode; the median counts")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep the environment's bytecode setting (each process may compile every module)",
    )
    ap.add_argument(
        "--no-bare",
        dest="bare",
        action="store_false",
        help="skip the same comparison for bare pytest-bdd (steps that do nothing, no plugin)",
    )
    args = ap.parse_args(argv)
    n = args.size
    with tempfile.TemporaryDirectory(prefix="cbsim-par-") as tmp_name:
        tmp = Path(tmp_name)
        folder = write_suite(tmp, n, "plugin")
        env: dict[str, str | None] = {} if args.no_bytecode_cache else bytecode_env(tmp / "pyc")
        run([*PYTEST, "--collect-only"], folder, env)  # warm-up: fills the bytecode cache
        serial_runs: list[Run] = []
        parallel_runs: list[Run] = []
        for _ in range(args.repeat):
            serial_runs.append(_run(folder, [], n, env, tmp))
            parallel_runs.append(_run(folder, ["-n", str(args.workers)], n, env, tmp))
        bare_ratio = None
        if args.bare:
            # The same split for bare pytest-bdd: how much of -n 2's extra work is xdist's own
            # (per-test messages, a second collection) whatever the steps do.
            bare = write_suite(tmp, n, "bare")
            run([*PYTEST, *BARE_FLAGS, "--collect-only"], bare, env)
            bare_serial = _run(bare, list(BARE_FLAGS), n, env, tmp)
            bare_parallel = _run(bare, [*BARE_FLAGS, "-n", str(args.workers)], n, env, tmp)
            bare_ratio = bare_parallel.cpu / bare_serial.cpu
    serial = statistics.median(r.wall for r in serial_runs)
    parallel = statistics.median(r.wall for r in parallel_runs)
    speedup = serial / parallel
    cache = "off (environment as is)" if args.no_bytecode_cache else "on, warmed"
    print(
        f"parallel: {n} scenarios, {os.cpu_count()} cores, bytecode cache {cache}: serial"
        f" {serial:.2f}s ({1e3 * serial / n:.2f} ms/scenario), -n {args.workers} {parallel:.2f}s"
        f" ({1e3 * parallel / n:.2f} ms/scenario); speed-up {speedup:.2f}x (parallel/serial"
        f" time ratio {parallel / serial:.2f}); median of {args.repeat}"
    )
    for line in _breakdown(_median_run(serial_runs), _median_run(parallel_runs), n):
        print(line)
    work = statistics.median(r.cpu for r in parallel_runs) / statistics.median(
        r.cpu for r in serial_runs
    )
    measured = (
        f"{parallel:.1f}s vs {serial:.1f}s = {speedup:.2f}x faster; -n 2 does {work:.2f}x the"
        f" CPU work of serial, so at best {2 / work:.2f}x on 2 free cores"
    )
    if bare_ratio is not None:
        print(
            f"bare pytest-bdd (no plugin, steps that do nothing): -n {args.workers} does"
            f" {bare_ratio:.2f}x the CPU work of serial: at best {2 / bare_ratio:.2f}x on 2 free"
            " cores"
        )
        measured += f" (bare pytest-bdd: {bare_ratio:.2f}x the work, at best {2 / bare_ratio:.2f}x)"
    result = Result(
        f"Parallel: {n} scenarios, -n {args.workers} vs serial (wall)",
        measured,
        f">= {TARGET}x (ceiling {args.workers}x on {os.cpu_count()} cores)",
        speedup >= TARGET,
        {
            "serial_s": serial,
            "parallel_s": parallel,
            "serial_cpu_s": statistics.median(r.cpu for r in serial_runs),
            "parallel_cpu_s": statistics.median(r.cpu for r in parallel_runs),
        },
    )
    result.emit()
    return [result]


if __name__ == "__main__":
    main()
