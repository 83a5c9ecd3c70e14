"""Jumps between dialogs and interactions, and the loop guard."""

from __future__ import annotations

import pytest

from simulator.errors import FixtureError
from simulator.simulator import Simulator

TENANT = """
bots:
  - name: Jumper
    dialogs:
      - name: Start
        starter: {patterns: ["go"]}
        interactions:
          - {text: "starting", next: "dialog:Other#middle"}
      - name: Other
        interactions:
          - {name: first, text: "other first"}
          - {name: middle, text: "other middle"}
          - {name: last, text: "other last"}
      - name: Loop
        starter: {patterns: ["loop"]}
        interactions:
          - {name: again, text: "round", next: again}
"""


def test_jump_into_the_middle_of_another_dialog() -> None:
    sim = Simulator()
    sim.load_text(TENANT)
    sim.open_conversation(bot="Jumper")
    sim.say("go")
    assert [t for _, t in sim.visible()] == ["starting", "other middle", "other last"]


def test_a_jump_loop_is_stopped_and_reported() -> None:
    sim = Simulator()
    sim.load_text(TENANT)
    sim.open_conversation(bot="Jumper")
    sim.say("loop")
    assert len(sim.visible()) == 500
    assert "without waiting for the consumer; stopped (a jump loop?)" in sim.transcript_text()


def test_a_jump_to_an_unknown_interaction_is_a_load_error() -> None:
    with pytest.raises(FixtureError, match='unknown interaction "midle" of dialog "Other"'):
        Simulator().load_text(TENANT.replace("Other#middle", "Other#midle"))


def test_dialog_names_with_a_hash_still_work() -> None:
    tenant = TENANT.replace("name: Other", 'name: "Opt #1"').replace(
        "Other#middle", "Opt #1#middle"
    )
    sim = Simulator()
    sim.load_text(
        tenant + "      - name: Plain\n        starter: {patterns: ['plain']}\n"
        "        interactions:\n          - {text: p, next: 'dialog:Opt #1'}\n"
    )
    sim.open_conversation(bot="Jumper")
    sim.say("go")
    assert [t for _, t in sim.visible()] == ["starting", "other middle", "other last"]
    sim.say("plain")
    assert [t for _, t in sim.visible()][-4:] == ["p", "other first", "other middle", "other last"]
