"""Run every benchmark and print a markdown table of the results.

Each benchmark runs in its own subprocess (so memory and imports do not mix) and reports its
rows as ``BENCH_RESULT {json}`` lines. The table is printed and, unless ``--no-write``, written to
docs/benchmarks.md together with the command that produced it, the date and each benchmark's
own output.

    python benchmarks/run_all.py [--sizes 1000,5000] [--parallel-size 5000]
        [--conversations 10000,100000] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, perf_counter

HERE = Path(__file__).resolve().parent
DOC = ROOT / "docs" / "benchmarks.md"


def _benchmarks(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    return [
        ("harness_overhead", ["--sizes", args.sizes]),
        ("engine_throughput", ["--messages", str(args.messages)]),
        ("virtual_time", []),
        ("long_scenario", []),
        ("pattern_matching", []),
        ("memory", ["--conversations", args.conversations]),
        ("parallel", ["--size", str(args.parallel_size)]),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| What | Measured | Target | Met? |", "|---|---|---|---|"]
    for r in rows:
        met = r.get("met")
        mark = "yes" if met is True else "**no**" if met is False else "n/a"
        lines.append(
            f"| {_cell(str(r['what']))} | {_cell(str(r['measured']))} | "
            f"{_cell(str(r['target']))} | {mark} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000", help="harness_overhead sizes")
    ap.add_argument("--messages", type=int, default=20_000, help="engine_throughput messages")
    ap.add_argument("--parallel-size", type=int, default=5000, help="parallel.py suite size")
    ap.add_argument("--conversations", default="10000,100000", help="memory.py sizes")
    ap.add_argument("--only", nargs="*", help="run only these benchmarks (by script name)")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    args = ap.parse_args(argv)

    rows: list[dict[str, object]] = []
    outputs: list[tuple[str, str, float]] = []
    failed = False
    for name, extra in _benchmarks(args):
        if args.only and name not in args.only:
            continue
        cmd = [sys.executable, str(HERE / f"{name}.py"), *extra]
        print(f"== {name}: {' '.join(shlex.quote(c) for c in cmd[1:])}", flush=True)
        start = perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        elapsed = perf_counter() - start
        text_lines = []
        for line in (proc.stdout + proc.stderr).splitlines():
            if line.startswith("BENCH_RESULT "):
                rows.append(json.loads(line[len("BENCH_RESULT ") :]))
            else:
                text_lines.append(line)
        text = "\n".join(text_lines)
        print(text, flush=True)
        print(f"   ({elapsed:.0f}s)", flush=True)
        if proc.returncode != 0:
            failed = True
            rows.append(
                {
                    "what": name,
                    "measured": f"FAILED (exit {proc.returncode})",
                    "target": "",
                    "met": False,
                }
            )
        outputs.append((name, text, elapsed))

    md = table(rows)
    print("\n" + md)
    if not args.no_write:
        cmd_line = "python benchmarks/run_all.py" + (
            " " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
            if (argv if argv is not None else sys.argv[1:])
            else ""
        )
        now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        parts = [
            "# Benchmarks",
            "",
            f"Produced by `{cmd_line}` on {now}",
            f"(Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}).",
            "The machine may be shared with other work; wall-clock numbers vary by tens of"
            " percent from run to run.",
            "",
            md,
            "",
            "## How each number is measured",
            "",
            "* **Harness overhead** (`benchmarks/harness_overhead.py`): N generated six-step"
            " scenarios run with the plugin (library steps against a small tenant file) and with"
            " bare pytest-bdd (`@given/@when/@then` functions that do nothing, `-p"
            " no:cb_simulator`), each in `python -m pytest -q -p no:randomly -p"
            " no:cacheprovider`. Per-scenario time is the CPU time measured in-process from the"
            " end of collection to the end of the session (interpreter start-up excluded); whole"
            " process wall time counts start-up, with Python's bytecode cache on after a warm-up"
            " run (as on a user's machine). The two suites are alternated and the median of the"
            " runs counts; a CPU profile of the run phase names what the time goes to.",
            "* **Engine throughput** (`benchmarks/engine_throughput.py`): `sim.say(...)` directly"
            " on one core, 40% pattern hits / 40% intent hits / 20% fallbacks, conversations"
            " reused, CPU time. Each case runs twice: as a suite runs (routing answers are"
            " remembered per text and the mix repeats its texts) and with those memos off (the"
            " cost of a text never seen); the target counts as met only when both reach it. A"
            " cProfile breakdown is printed when below target.",
            "* **Virtual time** (`benchmarks/virtual_time.py`): 129,600 recurring timer events"
            " (`sim.clock.call_later`) over 90 days vs the same number over 1 minute, advanced"
            " with `sim.advance`.",
            "* **Long scenario** (`benchmarks/long_scenario.py`): N turns of say / Then steps run"
            " through the step functions; CPU time per turn at N/10 and N turns (linear = same"
            " cost per turn).",
            "* **Memory** (`benchmarks/memory.py`): 10,000 and 100,000 open conversations on"
            " `fixtures/bank.yaml`, two consumer messages each; peak RSS from"
            " `resource.getrusage`, tracemalloc peak from a separate run (first size only).",
            "* **Parallel** (`benchmarks/parallel.py`): the generated plugin suite serially and"
            " with `pytest -n 2`, alternated, medians; whole-process wall time, and the CPU time"
            " of the whole process tree by process and phase (start-up, collection, run), which"
            " gives the best speed-up two cores allow for the work each run does.",
            "* **Determinism** is a test, not a benchmark: `pytest tests/test_determinism.py`"
            " runs the feature suite in two random orders and on two xdist workers and compares"
            " every transcript byte for byte.",
            "",
            "## Output of each benchmark",
            "",
        ]
        for name, text, elapsed in outputs:
            parts += [f"### {name} ({elapsed:.0f}s)", "", "```text", text.rstrip(), "```", ""]
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text("\n".join(parts), encoding="utf-8")
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
