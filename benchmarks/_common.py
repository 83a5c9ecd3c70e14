"""Shared helpers of the benchmark scripts: generated tenants, timing, result records.

Everything here is deterministic (no clock reads in the generated data, fixed word lists), so two
runs of a benchmark exercise exactly the same work.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# freezegun, while started, fakes time.perf_counter and rebinds every module attribute that is
# the real function; a function kept inside a tuple escapes that scan, so timings stay real.
_REAL_TIMER = (time.perf_counter, time.process_time)


def perf_counter() -> float:
    """Wall-clock seconds, real even while freezegun is active."""
    return _REAL_TIMER[0]()


def cpu_time() -> float:
    """CPU seconds of this process: on a shared machine, steadier than wall time."""
    return _REAL_TIMER[1]()


_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def word(n: int) -> str:
    """A distinct pronounceable pseudo-word for every n >= 0 (no stop words, no digits)."""
    parts = []
    n += 1
    while n:
        n, r = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        parts.append(_CONSONANTS[r // len(_VOWELS)] + _VOWELS[r % len(_VOWELS)])
    # A fixed three-letter tail keeps every word a content token that the stemmer leaves alone.
    return "".join(parts) + "vok"


@dataclass
class Result:
    """One row of the results table."""

    what: str
    measured: str
    target: str
    met: bool | None  # None: informational only
    details: dict[str, Any] | None = None

    def emit(self) -> None:
        """Print a machine-readable line that run_all.py picks up."""
        print("BENCH_RESULT " + json.dumps(asdict(self)), flush=True)


def run(
    cmd: list[str], cwd: Path, env: Mapping[str, str | None] | None = None
) -> tuple[float, str]:
    """Run a command, return (wall seconds, combined output); raise if it failed.

    ``env`` adds variables to this process's environment; a value of None removes one."""
    wall, _cpu, out = run_measured(cmd, cwd, env)
    return wall, out


def run_measured(
    cmd: list[str], cwd: Path, env: Mapping[str, str | None] | None = None
) -> tuple[float, float, str]:
    """Like ``run``, also returning the CPU seconds (user + system) of the whole process tree:
    the command and every process it waited for (pytest-xdist workers included). On a machine
    shared with other work the CPU total is far steadier than the wall time."""
    full_env = dict(os.environ)
    full_env.pop("PYTEST_ADDOPTS", None)
    full_env.pop("PYTEST_XDIST_WORKER", None)
    full_env["PYTHONHASHSEED"] = "0"
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True)
    elapsed = perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out[-4000:]}")
    return elapsed, cpu, out


def bytecode_env(cache_dir: Path) -> dict[str, str | None]:
    """Environment for timing whole pytest processes as a user's machine runs them.

    Python caches compiled modules (and pytest its assertion-rewritten plugin modules) unless
    PYTHONDONTWRITEBYTECODE is set; a development sandbox may set it, and then every process
    compiles every module it imports again: for the simulator, pytest-bdd, Faker and hypothesis
    about a second of CPU, paid by each of the three processes of ``pytest -n 2`` but once by a
    serial run. The cache goes to ``cache_dir`` (PYTHONPYCACHEPREFIX), so no source tree gets
    ``__pycache__`` folders; run a warm-up process first so every measured run finds it full."""
    return {"PYTHONDONTWRITEBYTECODE": None, "PYTHONPYCACHEPREFIX": str(cache_dir)}


# -- generated tenants -----------------------------------------------------------------------
def bot_with_starters(
    index: int, n_starters: int = 50, *, with_fallback: bool = True
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A bot with ``n_starters`` dialogs: half pattern starters, half intent starters.

    Returns the bot and sample messages: {"pattern": [...], "intent": [...], "fallback": [...]}.
    Words are unique per (bot, dialog), so a message meant for one dialog hits only that one.
    """
    name = f"Bot{index}"
    dialogs: list[dict[str, Any]] = []
    intents: list[dict[str, Any]] = []
    samples: dict[str, list[str]] = {"pattern": [], "intent": [], "fallback": []}
    base = index * 1000
    n_pattern = n_starters // 2
    for d in range(n_starters):
        w1, w2, w3 = word(base + d * 3), word(base + d * 3 + 1), word(base + d * 3 + 2)
        dialog: dict[str, Any] = {
            "name": f"D{d}",
            "interactions": [{"text": f"{name} answers D{d}"}],
        }
        if d < n_pattern:
            dialog["starter"] = {"patterns": [f"({w1}|{w2})*", f"*{w3} please*"]}
            samples["pattern"].append(f"{w1} is what I am after")
        else:
            intent = f"i{index}_{d}"
            intents.append(
                {
                    "name": intent,
                    "phrases": [
                        f"{w1} my {w2}",
                        f"I would like to {w1} the {w2}",
                        f"how do I {w1} {w3}",
                        f"{w2} {w3} today",
                        f"can you {w1} {w2} {w3}",
                    ],
                }
            )
            dialog["starter"] = {"intent": intent}
            samples["intent"].append(f"please {w1} my {w2}")
        dialogs.append(dialog)
    if with_fallback:
        dialogs.append(
            {"name": "Fallback", "type": "fallback", "interactions": [{"text": "Sorry?"}]}
        )
    samples["fallback"] = [
        "tell me something about the weather",
        "zzz qqq",
        "what time does the shop open on sunday",
        "ok",
    ]
    return {"name": name, "intents": intents, "dialogs": dialogs}, samples


def single_bot_tenant(n_starters: int = 50) -> tuple[str, dict[str, list[str]]]:
    bot, samples = bot_with_starters(0, n_starters)
    tenant = {
        "skills": [{"id": 100, "name": "S0"}],
        "bots": [bot],
        "connectors": [{"bot": bot["name"], "skills": [100]}],
    }
    return yaml.safe_dump(tenant, sort_keys=False), samples


def group_tenant(n_bots: int = 15, n_starters: int = 50) -> tuple[str, list[dict[str, list[str]]]]:
    bots, all_samples = [], []
    for i in range(n_bots):
        bot, samples = bot_with_starters(i, n_starters)
        bots.append(bot)
        all_samples.append(samples)
    tenant = {
        "skills": [{"id": 100 + i, "name": f"S{i}"} for i in range(n_bots)],
        "bots": bots,
        "connectors": [{"bot": b["name"], "skills": [100 + i]} for i, b in enumerate(bots)],
        "groups": [{"name": "G", "collaboration": True, "members": [b["name"] for b in bots]}],
    }
    return yaml.safe_dump(tenant, sort_keys=False), all_samples


ECHO_TENANT = """\
skills:
  - {id: 1, name: EchoSkill}
bots:
  - name: Echo
    intents:
      - name: help
        phrases: ["I need help", "can you help me"]
    dialogs:
      - name: Greeting
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - text: "Hello!"
      - name: Help
        starter: {intent: help}
        interactions:
          - text: "How can I help?"
      - name: Fallback
        type: fallback
        interactions:
          - text: "Sorry?"
connectors:
  - {bot: Echo, skills: [1]}
"""


# -- generated pytest-bdd suites ---------------------------------------------------------------
SCENARIOS_PER_FEATURE = 50

#: Written into every generated suite: records in-process timestamps (session start, end of
#: collection, end of session) to $BENCH_TIMES, so start-up noise does not blur the per-scenario
#: numbers (and, with $BENCH_TIMES_DIR, one file per process, xdist workers included); with
#: $BENCH_NO_FREEZEGUN set, replaces the plugin's freezegun context by a no-op (an
#: A/B measurement of freezegun's share; the plugin itself is untouched).
SUITE_CONFTEST = """\
import contextlib
import json
import os
import time

_TIMER = (time.perf_counter, time.process_time)  # in a tuple: freezegun does not rebind it
_MARKS = {}


def pytest_sessionstart(session):
    _MARKS["start"] = _TIMER[0]()
    _MARKS["start_cpu"] = _TIMER[1]()


def pytest_collection_finish(session):
    _MARKS["collected"] = _TIMER[0]()
    _MARKS["collected_cpu"] = _TIMER[1]()
    _MARKS["items"] = len(session.items)


def pytest_sessionfinish(session, exitstatus):
    _MARKS["end"] = _TIMER[0]()
    _MARKS["end_cpu"] = _TIMER[1]()
    target = os.environ.get("BENCH_TIMES")
    if target and not hasattr(session.config, "workerinput"):
        with open(target, "w", encoding="utf-8") as fh:
            json.dump(_MARKS, fh)
    folder = os.environ.get("BENCH_TIMES_DIR")  # one file per process: xdist workers too
    if folder:
        name = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(_MARKS, fh)


if os.environ.get("BENCH_NO_FREEZEGUN"):
    from simulator.timefreeze import SharedFreeze

    def _no_freeze(self, sim):
        return None

    SharedFreeze.follow = _no_freeze
"""

PLUGIN_TEST_MODULE = """\
from pytest_bdd import scenarios

scenarios("features")
"""

BARE_TEST_MODULE = """\
from pytest_bdd import given, scenarios, then, when

scenarios("features")


@given("a bare precondition")
def _bare_given():
    pass


@when("the bare user acts")
def _bare_when_one():
    pass


@when("the bare user acts again")
def _bare_when_two():
    pass


@then("a bare outcome holds")
def _bare_then_one():
    pass


@then("another bare outcome holds")
def _bare_then_two():
    pass
"""


def _plugin_scenario(i: int, tenant: Path, inline: bool) -> str:
    if inline:
        setup = (
            '    Given a bot "Echo" with dialogs:\n'
            "      | dialog   | patterns  | intent | phrases                     | replies         | type     |\n"
            "      | Greeting | hi, hello |        |                             | Hello!          |          |\n"
            "      | Help     |           | help   | I need help; can you help me | How can I help? |          |\n"
            "      | Fallback |           |        |                             | Sorry?          | fallback |\n"
        )
    else:
        setup = f'    Given the tenant "{tenant}"\n'
    return (
        f"  Scenario: Echo {i}\n"
        + setup
        + '    When the consumer opens a conversation with bot "Echo"\n'
        '    And the consumer says "hi"\n'
        '    Then the bot replies "Hello!"\n'
        '    When the consumer says "I need help"\n'
        '    Then the bot replies "How can I help?"\n\n'
    )


def _bare_scenario(i: int) -> str:
    return (
        f"  Scenario: Bare {i}\n"
        "    Given a bare precondition\n"
        "    When the bare user acts\n"
        "    And the bare user acts again\n"
        "    Then a bare outcome holds\n"
        "    When the bare user acts\n"
        "    Then another bare outcome holds\n\n"
    )


def write_suite(root: Path, n: int, kind: str, *, inline: bool = False) -> Path:
    """Write a self-contained pytest project with ``n`` six-step scenarios; return its folder.

    kind "plugin": steps of the simulator's library against a small tenant file;
    kind "bare": plain pytest-bdd steps that do nothing (run with ``-p no:cb_simulator``).
    """
    folder = root / f"{kind}_{n}{'_inline' if inline else ''}"
    features = folder / "features"
    features.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    tenant = folder / "echo.yaml"
    tenant.write_text(ECHO_TENANT, encoding="utf-8")
    module = PLUGIN_TEST_MODULE if kind == "plugin" else BARE_TEST_MODULE
    (folder / "test_suite.py").write_text(module, encoding="utf-8")
    (folder / "conftest.py").write_text(SUITE_CONFTEST, encoding="utf-8")
    for f, start in enumerate(range(0, n, SCENARIOS_PER_FEATURE)):
        count = min(SCENARIOS_PER_FEATURE, n - start)
        parts = [f"Feature: Generated {kind} {f}\n\n"]
        for i in range(start, start + count):
            parts.append(
                _plugin_scenario(i, tenant, inline) if kind == "plugin" else _bare_scenario(i)
            )
        (features / f"f{f:04d}.feature").write_text("".join(parts), encoding="utf-8")
    return folder


PYTEST = [PYTHON, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
BARE_FLAGS = ["-p", "no:cb_simulator"]
