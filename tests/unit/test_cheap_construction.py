"""Shortcuts that make a ``Simulator`` cheap to build behave like what they replace (issue 15).

A scenario builds one simulator; its generator is seeded only when first drawn from, its tenant
path is joined from cached parts, and it records bot coverage only when asked. Each shortcut
must be invisible: the same draws, states and copies as ``random.Random(seed)``, the same file
found (existence is still asked every time), the same coverage when recording.
"""

from __future__ import annotations

import copy
import pickle
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simulator.simulator import Simulator


def _shuffled(rng: random.Random) -> list[int]:
    items = list(range(20))
    rng.shuffle(items)
    return items


USES: dict[str, Callable[[random.Random], Any]] = {
    "random": lambda r: [r.random() for _ in range(3)],
    "choice": lambda r: [r.choice("abcdef") for _ in range(5)],
    "shuffle": _shuffled,
    "sample": lambda r: r.sample(range(100), 5),
    "randrange": lambda r: [r.randrange(1000) for _ in range(5)],
    "gauss": lambda r: [r.gauss(0, 1) for _ in range(3)],
    "getstate": lambda r: r.getstate(),
    "setstate": lambda r: (r.setstate(random.Random(3).getstate()), r.random()),
    "seed": lambda r: (r.seed(9), r.random()),
    "deepcopy": lambda r: (copy.deepcopy(r).random(), r.random()),
    "pickle": lambda r: (pickle.loads(pickle.dumps(r)).random(), r.random()),
    "randbytes": lambda r: r.randbytes(8),
}


@pytest.mark.parametrize("use", sorted(USES))
def test_the_simulators_generator_is_random_random_of_its_seed(use: str) -> None:
    rng = Simulator(seed=20261123).rng
    assert USES[use](rng) == USES[use](random.Random(20261123))
    assert type(rng) is random.Random  # seeded on first use, then a plain generator


def test_resolve_still_asks_the_file_system_each_time(tmp_path: Path) -> None:
    feature_dir, root = tmp_path / "features", tmp_path
    feature_dir.mkdir()
    (root / "t.yaml").write_text("bots: []\n", encoding="utf-8")
    sim = Simulator(base_dir=root)
    sim.search_dirs = [feature_dir, root]
    assert sim.resolve("t.yaml") == root / "t.yaml"
    (feature_dir / "t.yaml").write_text("bots: []\n", encoding="utf-8")
    assert sim.resolve("t.yaml") == feature_dir / "t.yaml"  # the nearer file, now it exists
    assert sim.resolve(str(root / "t.yaml")) == root / "t.yaml"


TENANT = """\
skills: [{id: 1, name: S}]
connectors: [{bot: B, skills: [1]}]
bots:
  - name: B
    dialogs:
      - name: Hi
        starter: {patterns: ["hi*"]}
        interactions: [{text: "Hello"}]
      - {name: F, type: fallback, interactions: [{text: "?"}]}
"""


def test_coverage_is_recorded_only_when_asked() -> None:
    recorded, skipped = Simulator(), Simulator(coverage=False)
    for sim in (recorded, skipped):
        sim.load_text(TENANT)
        sim.open_conversation(bot="B")
        sim.say("hi")
    assert recorded.coverage.bots["B"].counts("dialogs") == (1, 2)
    assert skipped.coverage.bots == {}
    assert [t for _, t in skipped.visible()] == [t for _, t in recorded.visible()]
