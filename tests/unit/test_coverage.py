"""Bot coverage (``simulator.coverage``): the collector each Simulator owns, fed by the runtime."""

from __future__ import annotations

import json
from pathlib import Path

from simulator import Simulator
from simulator.coverage import (
    RULE_TITLES,
    Coverage,
    rule_ids_from_tags,
    rule_ids_from_text,
    rules_in_transcripts,
)

ROOT = Path(__file__).resolve().parents[2]


def _bank(seed: int = 1) -> Simulator:
    sim = Simulator(seed=seed, base_dir=ROOT)
    sim.load("fixtures/bank.yaml")
    return sim


def _hit(sim: Simulator, bot: str, category: str) -> set[str]:
    return sim.coverage.bots[bot].hit[category]


def test_loading_a_tenant_registers_every_item_and_nothing_is_hit() -> None:
    sim = _bank()
    routing = sim.coverage.bots["Routing"]
    assert routing.items["dialogs"] == {
        "Welcome",
        "Savings",
        "Transfer failed",
        "Human",
        "Fallback",
    }
    assert routing.items["failure_handlers"] == {"Transfer failed"}
    assert routing.items["escalations"] == {"Savings › to savings", "Human › to humans"}
    assert 'Savings › intent "savings"' in routing.items["starters"]
    assert 'Human › pattern "*(agent|human|person)*"' in routing.items["starters"]
    savings = sim.coverage.bots["Savings"]
    assert savings.items["choices"] == {
        "Open account › Open account #1 › Regular",
        "Open account › Open account #1 › Gold",
    }
    assert savings.items["rules"] == {"Open account › Open account #1 › 1. a kind we offer"}
    assert sim.coverage.totals()[0] == 0


def test_a_transfer_to_a_human_covers_its_dialog_starter_and_escalation() -> None:
    sim = _bank()
    sim.open_conversation(bot="Routing")
    sim.say("I want an agent")
    assert _hit(sim, "Routing", "dialogs") == {"Human"}
    assert _hit(sim, "Routing", "starters") == {'Human › pattern "*(agent|human|person)*"'}
    assert _hit(sim, "Routing", "interactions") == {"Human › to humans"}
    assert _hit(sim, "Routing", "escalations") == {"Human › to humans"}
    assert _hit(sim, "Routing", "failure_handlers") == set()


def test_a_failed_escalation_covers_the_failure_handler() -> None:
    sim = _bank()
    sim.fail_transfers("200")
    sim.open_conversation(bot="Routing")
    sim.say("agent please")
    assert _hit(sim, "Routing", "failure_handlers") == {"Transfer failed"}
    assert 'Transfer failed › pattern "__agent_escalation_failed__"' in _hit(
        sim, "Routing", "starters"
    )
    assert "F1" in rules_in_transcripts(sim.conversations)


def test_an_answer_covers_the_rule_and_the_choice_it_picked() -> None:
    sim = _bank()
    sim.open_conversation(bot="Routing")
    sim.say("I want a savings account")
    assert _hit(sim, "Routing", "starters") == {'Savings › intent "savings"'}
    assert 'Open account › intent "savings"' in _hit(sim, "Savings", "starters")
    sim.say("gold")
    assert _hit(sim, "Savings", "rules") == {"Open account › Open account #1 › 1. a kind we offer"}
    assert _hit(sim, "Savings", "choices") == {"Open account › Open account #1 › Gold"}
    assert "Open account › Open account #2" in _hit(sim, "Savings", "interactions")


def test_each_simulator_owns_its_collector() -> None:
    first, second = _bank(), _bank()
    first.open_conversation(bot="Routing")
    first.say("hello")
    assert first.coverage is not second.coverage
    assert _hit(first, "Routing", "dialogs") == {"Welcome"}
    assert _hit(second, "Routing", "dialogs") == set()


def test_merging_and_the_json_form_round_trip_deterministically() -> None:
    a, b = _bank(), _bank()
    a.open_conversation(bot="Routing")
    a.say("hello")
    b.open_conversation(bot="Routing")
    b.say("agent")
    total = Coverage()
    for one in (a.coverage, b.coverage):
        total.merge(Coverage.from_dict(json.loads(json.dumps(one.to_dict()))))
    total.rules_seen({"T1"})
    assert total.bots["Routing"].hit["dialogs"] == {"Welcome", "Human"}
    data = total.to_dict()
    assert data["bots"]["Routing"]["dialogs"] == {
        "covered": 2,
        "total": 5,
        "hit": ["Human", "Welcome"],
        "missed": ["Fallback", "Savings", "Transfer failed"],
    }
    assert data["platform_rules"]["touched"] == ["T1"]
    assert len(data["platform_rules"]["untouched"]) == len(RULE_TITLES) - 1
    assert Coverage.from_dict(data).to_json() == total.to_json()
    covered, items = total.totals()
    assert data["percent"] == round(100 * covered / items, 2)


def test_summary_lines_name_what_was_not_exercised() -> None:
    sim = _bank()
    sim.open_conversation(bot="Routing")
    sim.say("hello")
    lines = sim.coverage.summary_lines()
    assert lines[0].startswith("Routing: dialogs 1/5, interactions 2/8")
    assert any(
        line.startswith("  not exercised failure handlers: Transfer failed") for line in lines
    )
    assert lines[-1].startswith("total: ") and lines[-1].endswith("%")


def test_rule_ids_from_tags_and_transcript_text() -> None:
    assert rule_ids_from_tags(["@t3", "f4", "smoke", "all-orders", "x99", "@B7"]) == {
        "T3",
        "F4",
        "B7",
    }
    assert rule_ids_from_text('skill "x" is not numeric (T2); see (Z1) and (F4)') == {"T2", "F4"}


def test_an_empty_run_is_full_coverage_not_a_division_by_zero() -> None:
    assert Coverage().percent() == 100.0
    assert Coverage().to_dict()["total"] == 0


def test_structured_choices_count_by_title_and_match_by_value() -> None:
    from types import SimpleNamespace

    from simulator.coverage import offered_choices

    button = SimpleNamespace(title="Gold card", value="GOLD")
    card = SimpleNamespace(buttons=[SimpleNamespace(title="Details", value=None)])
    definition = SimpleNamespace(options=["Regular"], buttons=[button], cards=[card])
    assert [c if isinstance(c, str) else c.title for c in offered_choices(definition)] == [
        "Regular",
        "Gold card",
        "Details",
    ]
    sim = _bank()
    savings = sim.world.bots["Savings"] if sim.world else None
    assert savings is not None
    dialog = savings.dialog_by_name["Open account"]
    inter = dialog.interactions[0]
    inter_like = SimpleNamespace(name=inter.name, definition=definition, rules=[])
    sim.coverage.answer(savings, dialog, inter_like, "gold")  # type: ignore[arg-type]
    assert _hit(sim, "Savings", "choices") == {"Open account › Open account #1 › Gold card"}
