"""A tenant file is compiled once per process and shared by scenarios (issue 15).

Counted with ``WORLDS.builds`` / ``WORLDS.hits``, not timed. The cache must also be invisible:
an edit to the file or to a file it includes rebuilds, and one scenario's changes to its
cloud (a connector switched off) do not reach the next scenario.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.simulator import WORLDS, Simulator

MAIN = """\
include: [bots.yaml]
skills:
  - {id: 1, name: EchoSkill}
connectors:
  - {bot: Echo, skills: [1]}
"""

BOTS = """\
bots:
  - name: Echo
    dialogs:
      - name: Greeting
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - text: "Hello!"
      - name: Fallback
        type: fallback
        interactions:
          - text: "Sorry?"
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    WORLDS.clear()
    yield
    WORLDS.clear()


def _tenant(tmp_path: Path) -> Path:
    (tmp_path / "bots.yaml").write_text(BOTS, encoding="utf-8")
    main = tmp_path / "tenant.yaml"
    main.write_text(MAIN, encoding="utf-8")
    return main


def _reply(sim: Simulator, text: str) -> str:
    sim.open_conversation(bot="Echo")
    sim.say(text)
    return sim.visible()[-1][1]


def test_the_same_file_is_compiled_once(tmp_path: Path) -> None:
    main = _tenant(tmp_path)
    builds, hits = WORLDS.builds, WORLDS.hits
    worlds = []
    for _ in range(5):
        sim = Simulator(base_dir=tmp_path)
        worlds.append(sim.load("tenant.yaml"))
        assert _reply(sim, "hi") == "Hello!"
    assert WORLDS.builds - builds == 1
    assert WORLDS.hits - hits == 4
    assert all(w is worlds[0] for w in worlds)
    assert main.exists()


def test_an_edited_include_rebuilds(tmp_path: Path) -> None:
    _tenant(tmp_path)
    first = Simulator(base_dir=tmp_path)
    first.load("tenant.yaml")
    assert _reply(first, "hello") == "Hello!"
    bots = tmp_path / "bots.yaml"
    stat = bots.stat()
    bots.write_text(BOTS.replace('"Hello!"', '"Howdy!"'), encoding="utf-8")
    # Same size, and a modification time moved on explicitly, as a fast edit might not.
    os.utime(bots, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = Simulator(base_dir=tmp_path)
    second.load("tenant.yaml")
    assert second.world is not first.world
    assert _reply(second, "hello") == "Howdy!"


def test_a_scenario_cannot_change_the_next_one(tmp_path: Path) -> None:
    _tenant(tmp_path)
    first = Simulator(base_dir=tmp_path)
    first.load("tenant.yaml")
    first.platform.set_connector_active("Echo", False)
    second = Simulator(base_dir=tmp_path)
    second.load("tenant.yaml")
    assert second.world is first.world
    assert _reply(second, "hi") == "Hello!"


def test_inline_text_is_compiled_once() -> None:
    text = "bots:\n" + "\n".join("  " + line for line in BOTS.splitlines()[1:]) + "\n"
    builds = WORLDS.builds
    for _ in range(3):
        sim = Simulator()
        sim.load_text(text)
    assert WORLDS.builds - builds == 1


def test_a_broken_file_is_not_cached(tmp_path: Path) -> None:
    main = _tenant(tmp_path)
    main.write_text(MAIN.replace("Echo", "Nobody"), encoding="utf-8")
    hits = WORLDS.hits
    for _ in range(2):
        with pytest.raises(Exception, match="Nobody"):
            Simulator(base_dir=tmp_path).load("tenant.yaml")
    assert WORLDS.hits == hits
