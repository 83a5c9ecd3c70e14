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
* wall/N  = whole subprocess wall time per scenario, start-up included;
* collect = ``--collect-only -q`` wall time, and in-process collection time; a flat marginal
            cost per scenario between sizes means collection grows linearly.

The plugin suite also runs with freezegun replaced by a no-op (the conftest swaps the plugin's
``frozen_at`` for that run only; the plugin is not changed), which gives freezegun's share of a
scenario without profiler distortion. Finally one plugin run is profiled with cProfile and the
time of running scenarios is broken down (freezegun, tenant loading, Faker, the engine, ...).

    python benchmarks/harness_overhead.py [--sizes 100,1000,5000] [--inline] [--no-profile]
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

from _common import BARE_FLAGS, PYTEST, Result, run, write_suite

TARGET = 1.3


def _timed_run(
    folder: Path, extra: list[str], n: int, env: dict[str, str] | None = None
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
    }


def _measure_alternating(
    suites: list[tuple[Path, list[str], dict[str, str] | None]], n: int, repeat: int
) -> list[dict[str, float]]:
    """``repeat`` full runs of each suite, alternated (A, B, C, A, B, C, ...) so that a change
    in the machine's load hits every suite alike; the median of each figure counts. Then one
    ``--collect-only`` run of each."""
    runs: list[list[dict[str, float]]] = [[] for _ in suites]
    for _ in range(repeat):
        for index, (folder, extra, env) in enumerate(suites):
            runs[index].append(_timed_run(folder, extra, n, env))
    out = []
    for (folder, extra, _env), suite_runs in zip(suites, runs, strict=True):
        best = {key: statistics.median(r[key] for r in suite_runs) for key in suite_runs[0]}
        collect_wall, text = run([*PYTEST, *extra, "--collect-only"], folder)
        if f"{n} tests collected" not in text:
            raise RuntimeError(f"expected {n} collected scenarios in {folder}:\n{text[-3000:]}")
        best["collect_wall"] = collect_wall
        out.append(best)
    return out


def _profile(folder: Path, n: int) -> dict[str, float]:
    """Profile one plugin run; return shares (0..1) of the scenario-running time."""
    prof_file = folder / "run.prof"
    run(
        [sys.executable, "-m", "cProfile", "-o", str(prof_file), "-m", "pytest", *PYTEST[3:]],
        folder,
    )
    stats = pstats.Stats(str(prof_file))
    raw = stats.stats  # type: ignore[attr-defined]

    def cum(pred: object) -> float:
        # Sum of cumulative time of the matching functions (callers of each other excluded by
        # choosing functions that do not nest: start/stop/move_to/fake_* are leaves for us).
        return sum(v[3] for k, v in raw.items() if pred(k))  # type: ignore[operator]

    def first_cum(filename_part: str, func: str) -> float:
        return max(
            (v[3] for k, v in raw.items() if filename_part in k[0] and k[2] == func),
            default=0.0,
        )

    total_run = first_cum("_pytest/runner.py", "runtestprotocol")
    freeze_start = first_cum("freezegun/api.py", "start")
    freeze_stop = first_cum("freezegun/api.py", "stop")
    move_to = first_cum("freezegun/api.py", "move_to")
    freezegun_self = sum(v[2] for k, v in raw.items() if "freezegun" in k[0])
    # Everything freezegun costs: its start/stop (module scans), moving it on every tick, and the
    # self time of its fake datetime/time functions.
    freezegun_total = freeze_start + freeze_stop + move_to
    freezegun_total = max(freezegun_total, freezegun_self)
    tenant_load = first_cum("simulator/tenant/loader.py", "load_tenant")
    build_world = first_cum("simulator/world.py", "build_world")
    faker = first_cum("simulator/simulator.py", "faker")
    say = first_cum("simulator/simulator.py", "say")
    open_conv = first_cum("simulator/simulator.py", "open_conversation")
    bdd_step_lookup = first_cum("pytest_bdd/scenario.py", "find_fixturedefs_for_step")
    match = first_cum("simulator/steps/registry.py", "match")
    setup = first_cum("_pytest/runner.py", "pytest_runtest_setup")
    teardown = first_cum("_pytest/runner.py", "pytest_runtest_teardown")
    shares = {
        "total_run_s": total_run,
        "freezegun start": freeze_start,
        "freezegun stop": freeze_stop,
        "freezegun move_to (per tick)": move_to,
        "freezegun (all, incl. fakes)": freezegun_total,
        "tenant load (load_tenant)": tenant_load,
        "build_world": build_world,
        "Faker (first use per scenario)": faker,
        "open_conversation": open_conv,
        "say (engine)": say,
        "step matching (REGISTRY.match)": match,
        "pytest-bdd step lookup": bdd_step_lookup,
        "pytest setup phase (fixtures)": setup,
        "pytest teardown phase": teardown,
    }
    return shares


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
            p, b, nf = _measure_alternating(
                [
                    (plugin_dir, [], None),
                    (bare_dir, BARE_FLAGS, None),
                    (plugin_dir, [], {"BENCH_NO_FREEZEGUN": "1"}),
                ],
                n,
                repeat,
            )
            rows.append((n, p, b, nf))
            print(
                f"  N={n}: plugin wall {p['wall']:.2f}s, bare wall {b['wall']:.2f}s, "
                f"plugin without freezegun wall {nf['wall']:.2f}s",
                flush=True,
            )

        print(
            "\nharness overhead per scenario (exec = in-process CPU time from end of collection to"
            " end of session; median of the alternated runs)"
        )
        print(
            f"  {'N':>6} | {'plugin':>8} {'bare':>8} {'ratio':>6} | {'no-freezegun':>12} "
            f"{'ratio':>6} {'fg share':>8} | {'wall/N plugin':>13} {'wall/N bare':>11}"
        )
        for n, p, b, nf in rows:
            ratio = p["exec"] / b["exec"]
            share = (p["exec"] - nf["exec"]) / p["exec"]
            print(
                f"  {n:>6} | {1e3 * p['exec'] / n:6.2f}ms {1e3 * b['exec'] / n:6.2f}ms "
                f"{ratio:5.2f}x | {1e3 * nf['exec'] / n:10.2f}ms {nf['exec'] / b['exec']:5.2f}x "
                f"{100 * share:7.0f}% | {1e3 * p['wall'] / n:11.2f}ms {1e3 * b['wall'] / n:9.2f}ms"
            )
        print(
            "\ncollection (--collect-only -q wall time, and in-process collection time of the"
            " full run)"
        )
        print(
            f"  {'N':>6} | {'plugin wall':>11} {'in-proc':>8} {'per sc.':>8} | "
            f"{'bare wall':>9} {'in-proc':>8} {'per sc.':>8}"
        )
        for n, p, b, _ in rows:
            print(
                f"  {n:>6} | {p['collect_wall']:10.2f}s {p['collect_inproc']:7.2f}s "
                f"{1e3 * p['collect_inproc'] / n:6.2f}ms | {b['collect_wall']:8.2f}s "
                f"{b['collect_inproc']:7.2f}s {1e3 * b['collect_inproc'] / n:6.2f}ms"
            )
        for (na, pa, ba, _), (nb, pb, bb, _) in itertools.pairwise(rows):
            mp = (pb["collect_inproc"] - pa["collect_inproc"]) / (nb - na)
            mb = (bb["collect_inproc"] - ba["collect_inproc"]) / (nb - na)
            print(
                f"  marginal collection cost N={na}->{nb}: plugin {1e3 * mp:.2f} ms/scenario, "
                f"bare {1e3 * mb:.2f} ms/scenario (flat marginal cost = linear growth)"
            )

        for n, p, b, nf in rows:
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
                    f" (without freezegun: {nf['exec'] / b['exec']:.2f}x)",
                    "<= 1.3x",
                    ratio <= TARGET,
                    {"n": n, "plugin": p, "bare": b, "plugin_no_freezegun": nf},
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
            shares = _profile(folder, n)
            total = shares.pop("total_run_s")
            print(
                f"\ncProfile of one plugin run (N={n}); share of the time spent running "
                f"scenarios ({total:.2f}s profiled, {1e3 * total / n:.2f} ms/scenario under the "
                "profiler):"
            )
            for name, value in shares.items():
                print(
                    f"  {name:<34} {100 * value / total:5.1f}%  ({1e3 * value / n:.3f} ms/scenario)"
                )
            fg = shares["freezegun (all, incl. fakes)"]
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
