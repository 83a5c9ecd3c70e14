"""Per-scenario cost of the simulator's pytest plugin against bare pytest-bdd.

For every size N it generates, in a temporary folder, two pytest projects of N six-step
scenarios (50 scenarios per feature file):

* plugin: steps of the simulator's library against a small tenant file (load the tenant, open a
  conversation, say "hi", expect "Hello!", say "I need help", expect "How can I help?");
* bare:   plain ``@given/@when/@then`` functions that do nothing, run with
  ``-p no:cb_simulator`` so the simulator plugin is not even imported.

Each suite runs in a subprocess (``python -m pytest -q -p no:randomly -p no:cacheprovider``). A
conftest written into each generated suite records in-process timestamps, so interpreter start-up
(which dominates small suites and is noisy on a shared machine) does not blur the numbers:

* exec    = CPU time of the pytest process from the end of collection to the end of the
            session, per scenario (median of several runs, plugin / bare / plugin-without-
            freezegun alternated; CPU time because the machine is shared and wall time swings
            with other load); the target is exec(plugin) / exec(bare) <= 1.3;
* wall/N  = whole subprocess wall time per scenario, start-up included (with Python's bytecode
            cache on, after a warm-up run, as on a user's machine; --no-bytecode-cache keeps
            the environment's setting);
* collect = ``--collect-only -q`` wall time, and in-process collection time; a flat marginal
            cost per scenario between sizes means collection grows linearly;
* gc      = CPU time the garbage collector ran while scenarios ran, per scenario (the cost of
            the objects a run allocates shows there, not in any function of a profile).

The plugin run also reports how often freezegun was started (the plugin starts it only around
steps that may read ``datetime.now()``: never for the library's own steps). Finally one plugin
run is profiled with cProfile on CPU time, from the end of collection to the end of the
session, and the time of running scenarios is broken down (the simulator's steps, pytest-bdd's
step look-up, pytest's phases...) with the functions of most self time.

    python benchmarks/harness_overhead.py [--sizes 100,1000,5000] [--repeat N] [--inline]
        [--no-profile] [--profile-size N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import pstats
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BARE_FLAGS, PYTEST, Result, bytecode_env, run, write_suite

TARGET = 1.3


def _timed_run(
    folder: Path, extra: list[str], n: int, env: dict[str, str | None] | None = None
) -> dict[str, float]:
    """One full run; wall time plus the in-process marks of the suite's conftest."""
    marks_file = folder / "times.json"
    wall, out = run([*PYTEST, *extra], folder, env={**(env or {}), "BENCH_TIMES": str(marks_file)})
    if f"{n} passed" not in out:
        raise RuntimeError(f"expected {n} passed scenarios in {folder}:\n{out[-3000:]}")
    marks = json.loads(marks_file.read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "collect_inproc": marks["collected"] - marks["start"],
        "exec_wall": marks["end"] - marks["collected"],
        "exec": marks["end_cpu"] - marks["collected_cpu"],
        "gc": marks.get("gc_cpu", 0.0),
        "freezegun_starts": marks.get("freezegun_starts", 0),
    }


def _measure_alternating(
    suites: list[tuple[Path, list[str], dict[str, str | None] | None]], n: int, repeat: int
) -> list[dict[str, float]]:
    """``repeat`` full runs of each suite, alternated (A, B, C, A, B, C, ...) so that a change
    in the machine's load hits every suite alike; the median of each figure counts. Then one
    ``--collect-only`` run of each."""
    runs: list[list[dict[str, float]]] = [[] for _ in suites]
    for _ in range(repeat):
        for index, (folder, extra, env) in enumerate(suites):
            runs[index].append(_timed_run(folder, extra, n, env))
    out = []
    for (folder, extra, env), suite_runs in zip(suites, runs, strict=True):
        best = {key: statistics.median(r[key] for r in suite_runs) for key in suite_runs[0]}
        collect_wall, text = run([*PYTEST, *extra, "--collect-only"], folder, env)
        if f"{n} tests collected" not in text:
            raise RuntimeError(f"expected {n} collected scenarios in {folder}:\n{text[-3000:]}")
        best["collect_wall"] = collect_wall
        out.append(best)
    return out


#: Written into the profiled suite and loaded with ``-p``: profiles (CPU time) only the run
#: phase, from the end of collection to the end of the session.
PROFILE_PLUGIN = """\
import cProfile
import os
import time

_PROFILE = cProfile.Profile(time.process_time)


def pytest_collection_finish(session):
    _PROFILE.enable()


def pytest_sessionfinish(session, exitstatus):
    _PROFILE.disable()
    _PROFILE.dump_stats(os.environ["BENCH_PROFILE"])
"""


def _profile(folder: Path, n: int) -> tuple[dict[str, float], list[tuple[float, int, str]]]:
    """Profile one plugin run; return the named costs (seconds, with ``total_run_s``) and the
    functions of most self time (seconds, calls, name)."""
    prof_file = folder / "run.prof"
    (folder / "bench_profile.py").write_text(PROFILE_PLUGIN, encoding="utf-8")
    run([*PYTEST, "-p", "bench_profile"], folder, env={"BENCH_PROFILE": str(prof_file)})
    stats = pstats.Stats(str(prof_file))
    raw = stats.stats  # type: ignore[attr-defined]

    def first_cum(filename_part: str, func: str) -> float:
        return max(
            (v[3] for k, v in raw.items() if filename_part in k[0] and k[2] == func),
            default=0.0,
        )

    def named(filename_part: str, func: str) -> float:
        return float(sum(v[3] for k, v in raw.items() if filename_part in k[0] and k[2] == func))

    total_run = first_cum("_pytest/runner.py", "runtestprotocol")
    freezegun = sum(v[2] for k, v in raw.items() if "freezegun" in k[0])
    shares = {
        "total_run_s": total_run,
        "steps: the tenant (load, cloud)": first_cum("simulator/steps/library.py", "load_tenant"),
        "steps: open a conversation": first_cum("simulator/steps/library.py", "open_with_bot"),
        "steps: the consumer says (engine)": first_cum(
            "simulator/steps/library.py", "consumer_says"
        ),
        "steps: the bot replies": first_cum("simulator/steps/library.py", "bot_replies"),
        "the scenario's Simulator built": first_cum(
            "simulator/pytest_plugin/plugin.py", "_scenario_simulator"
        ),
        "plugin hooks (before step, scenario)": named(
            "simulator/pytest_plugin/plugin.py", "pytest_bdd_before_step"
        )
        + named("simulator/pytest_plugin/plugin.py", "pytest_bdd_before_scenario")
        + named("simulator/pytest_plugin/plugin.py", "pytest_bdd_after_scenario"),
        "freezegun (self time)": freezegun,
        "pytest-bdd step look-up": first_cum("pytest_bdd/scenario.py", "get_step_function"),
        "pytest setup phase": first_cum("_pytest/runner.py", "pytest_runtest_setup"),
        "pytest teardown phase": first_cum("_pytest/runner.py", "pytest_runtest_teardown"),
    }
    top = sorted(
        ((v[2], v[0], f"{k[2]} ({Path(k[0]).name}:{k[1]})") for k, v in raw.items()),
        reverse=True,
    )[:15]
    return shares, top


def main(argv: list[str] | None = None) -> list[Result]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="100,1000", help="comma separated scenario counts")
    ap.add_argument(
        "--inline",
        action="store_true",
        help='plugin scenarios define the bot inline ("Given a bot ... with dialogs:")',
    )
    ap.add_argument("--no-profile", dest="profile", action="store_false")
    ap.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per suite, alternated, the median counts (default: 3 for N <= 1000, else 1)",
    )
    ap.add_argument("--profile-size", type=int, default=100, help="scenarios in the profiled run")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep the environment's bytecode setting (each process may compile every module)",
    )
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    rows = []
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="cbsim-bench-") as tmp:
        root = Path(tmp)
        for n in sizes:
            plugin_dir = write_suite(root, n, "plugin", inline=args.inline)
            bare_dir = write_suite(root, n, "bare")
            repeat = args.repeat or (3 if n <= 1000 else 1)
            # Whole-process wall time counts start-up, which is what a user's machine pays:
            # with the bytecode cache (see _common.bytecode_env), filled by a warm-up run.
            env = None if args.no_bytecode_cache else bytecode_env(root / "pyc")
            for folder, extra in ((plugin_dir, []), (bare_dir, BARE_FLAGS)):
                run([*PYTEST, *extra, "--collect-only"], folder, env)  # warm-up
            p, b = _measure_alternating(
                [(plugin_dir, [], env), (bare_dir, BARE_FLAGS, env)], n, repeat
            )
            rows.append((n, p, b))
            print(
                f"  N={n}: plugin wall {p['wall']:.2f}s, bare wall {b['wall']:.2f}s, "
                f"freezegun started {p['freezegun_starts']:.0f} time(s) in the plugin run",
                flush=True,
            )

        print(
            "\nharness overhead per scenario (exec = in-process CPU time from end of collection to"
            " end of session; median of the alternated runs)"
        )
        print(
            f"  {'N':>6} | {'plugin':>8} {'bare':>8} {'ratio':>6} | {'gc plugin':>9} "
            f"{'gc bare':>8} | {'wall/N plugin':>13} {'wall/N bare':>11} {'ratio':>6}"
        )
        for n, p, b in rows:
            ratio = p["exec"] / b["exec"]
            print(
                f"  {n:>6} | {1e3 * p['exec'] / n:6.2f}ms {1e3 * b['exec'] / n:6.2f}ms "
                f"{ratio:5.2f}x | {1e3 * p['gc'] / n:7.3f}ms {1e3 * b['gc'] / n:6.3f}ms | "
                f"{1e3 * p['wall'] / n:11.2f}ms {1e3 * b['wall'] / n:9.2f}ms "
                f"{p['wall'] / b['wall']:5.2f}x"
            )
        print(
            "\ncollection (--collect-only -q wall time, and in-process collection time of the"
            " full run)"
        )
        print(
            f"  {'N':>6} | {'plugin wall':>11} {'in-proc':>8} {'per sc.':>8} | "
            f"{'bare wall':>9} {'in-proc':>8} {'per sc.':>8}"
        )
        for n, p, b in rows:
            print(
                f"  {n:>6} | {p['collect_wall']:10.2f}s {p['collect_inproc']:7.2f}s "
                f"{1e3 * p['collect_inproc'] / n:6.2f}ms | {b['collect_wall']:8.2f}s "
                f"{b['collect_inproc']:7.2f}s {1e3 * b['collect_inproc'] / n:6.2f}ms"
            )
        for (na, pa, ba), (nb, pb, bb) in itertools.pairwise(rows):
            mp = (pb["collect_inproc"] - pa["collect_inproc"]) / (nb - na)
            mb = (bb["collect_inproc"] - ba["collect_inproc"]) / (nb - na)
            print(
                f"  marginal collection cost N={na}->{nb}: plugin {1e3 * mp:.2f} ms/scenario, "
                f"bare {1e3 * mb:.2f} ms/scenario (flat marginal cost = linear growth)"
            )

        for n, p, b in rows:
            ratio = p["exec"] / b["exec"]
            wall_ratio = p["wall"] / b["wall"]
            results.append(
                Result(
                    f"Harness overhead, N={n}: whole-process wall time (start-up included)",
                    f"{p['wall']:.1f}s vs {b['wall']:.1f}s = {wall_ratio:.2f}x",
                    "<= 1.3x",
                    wall_ratio <= TARGET,
                )
            )
            results.append(
                Result(
                    f"Harness overhead, N={n}: plugin vs bare pytest-bdd, per 6-step scenario",
                    f"{1e3 * p['exec'] / n:.2f} ms vs {1e3 * b['exec'] / n:.2f} ms = {ratio:.2f}x"
                    f" (garbage collection {1e3 * p['gc'] / n:.2f} vs {1e3 * b['gc'] / n:.2f} ms;"
                    f" freezegun started {p['freezegun_starts']:.0f} time(s))",
                    "<= 1.3x",
                    ratio <= TARGET,
                    {"n": n, "plugin": p, "bare": b},
                )
            )
        results.append(
            Result(
                "Collection time (plugin suite, in-process), N="
                + ", ".join(str(r[0]) for r in rows),
                ", ".join(
                    f"{r[1]['collect_inproc']:.2f}s ({1e3 * r[1]['collect_inproc'] / r[0]:.2f}"
                    " ms/scenario)"
                    for r in rows
                ),
                "linear in N",
                None,
            )
        )

        if args.profile:
            n = args.profile_size
            folder = write_suite(root, n, "plugin", inline=args.inline)
            shares, top = _profile(folder, n)
            total = shares.pop("total_run_s")
            print(
                f"\ncProfile (CPU time) of one plugin run (N={n}), from the end of collection to"
                f" the end of the session; share of the time spent running scenarios ({total:.2f}s"
                f" profiled, {1e3 * total / n:.2f} ms/scenario under the profiler):"
            )
            for name, value in shares.items():
                print(
                    f"  {name:<38} {100 * value / total:5.1f}%  ({1e3 * value / n:.3f} ms/scenario)"
                )
            print("  functions of most self time:")
            for self_time, calls, name in top:
                print(f"    {100 * self_time / total:5.1f}%  {calls:>8} calls  {name}")
            fg = shares["freezegun (self time)"]
            results.append(
                Result(
                    "freezegun share of scenario run time (cProfile)",
                    f"{100 * fg / total:.0f}% ({1e3 * fg / n:.2f} ms/scenario profiled)",
                    "informational",
                    None,
                )
            )
    for r in results:
        r.emit()
    return results


if __name__ == "__main__":
    main()
