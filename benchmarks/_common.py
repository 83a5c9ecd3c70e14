"""Shared helpers of the benchmark scripts: generated tenants, timing, result records.

Everything here is deterministic (no clock reads in the generated data, fixed word lists), so two
runs of a benchmark exercise exactly the same work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# freezegun, while started, fakes time.perf_counter and rebinds every module attribute that is
# the real function; a function kept inside a tuple escapes that scan, so timings stay real.
_REAL_TIMER = (time.perf_counter,)


def perf_counter() -> float:
    """Wall-clock seconds, real even while freezegun is active."""
    return _REAL_TIMER[0]()


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


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run a command, return (wall seconds, combined output); raise if it failed."""
    full_env = dict(os.environ)
    full_env.pop("PYTEST_ADDOPTS", None)
    full_env.pop("PYTEST_XDIST_WORKER", None)
    full_env["PYTHONHASHSEED"] = "0"
    if env:
        full_env.update(env)
    start = perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True)
    elapsed = perf_counter() - start
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out[-4000:]}")
    return elapsed, out


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
