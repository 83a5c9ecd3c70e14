"""Rules and conditions as written (issue 13 item 2), API data (item 5), ``simulator show``.

Import mapping of rule conditions, the condition operators, ``[i]`` and ``length`` in API
paths, R3 warnings from ``simulator check``, and the table of contents of ``simulator show``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from simulator.bots.variables import condition_holds, render, walk
from simulator.cb_export import export_bot, import_export, parse_export
from simulator.cli import main
from simulator.cli.show import table_of_contents
from simulator.simulator import Simulator
from simulator.tenant.schema import Bot

ROOT = Path(__file__).parents[2]
RULES_BOT = ROOT / "fixtures" / "exports" / "rules-bot.json"
CORPUS = ROOT.parent / "shared" / "cb-exports"
EXPORTS = sorted((ROOT / "fixtures" / "exports").glob("*.json")) + (
    sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
)


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RULES_BOT.read_text(encoding="utf-8"))
    return data


def _message(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in doc["conversationMessage"] if m["name"] == name)
    return found


def _interaction(bot: Bot, name: str) -> Any:
    return next(i for d in bot.dialogs for i in d.interactions if i.name == name)


# -- values and operators -------------------------------------------------------------------
def test_paths_with_every_element_and_length() -> None:
    data = {"stores": [{"city": "A", "zip": 1}, {"city": "B"}], "name": "abc"}
    assert walk(data, ".stores[i].city") == ["A", "B"]
    assert walk(data, ".stores[i].zip") == [1, None]
    assert walk(data, ".stores.length") == 2
    assert walk(data, ".name.length") == 3
    assert walk(data, ".stores[1].city") == "B"
    assert walk(data, ".missing[i].city") is None


def test_custom_data_fields_render_by_integration_name() -> None:
    result = render(
        "{Stores.city} / {Stores.zip} / {Other.thing} / {$.api_Stores.stores[i].city}",
        variables={},
        user_message="",
        conversation_id="c",
        lookup=lambda root, path: (
            walk({"stores": [{"city": "A"}, {"city": "B"}]}, path) if root == "api_Stores" else None
        ),
        fields={"Stores": {"city": ["A", "B"]}},
    )
    assert result.text == "A, B /  / {Other.thing} / A, B"
    assert result.missing == ("Stores.zip",)


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    [
        ("contains", "I say Paris", "paris", True),
        ("contains", "Rome", "paris", False),
        ("not_contains", "Rome", "paris", True),
        ("equals", " Paris ", "paris", True),
        ("not_equals", "Paris", "Rome", True),
        ("greater_than", "3", "1", True),
        ("greater_than", "1", "1", False),
        ("less_than", "0.5", "1", True),
        ("less_than", "many", "1", False),
    ],
)
def test_condition_operators(op: str, left: str, right: str, expected: bool) -> None:
    assert condition_holds(op, left, right) is expected


# -- import ---------------------------------------------------------------------------------
def test_context_conditions_import_as_variable_conditions() -> None:
    bot = import_export(RULES_BOT).bot
    rules = _interaction(bot, "quiz question").rules
    assert [(c.name, c.op, c.value) for c in rules[0].conditions] == [
        ("{$userMessage}", "contains", "answer"),
        ("answer", "contains", "{$userMessage}"),
    ]
    assert rules[0].conditions_match == "any"
    assert rules[2].fallback_message == "Please answer in words, not numbers."
    assert _interaction(bot, "quiz hidden").disabled is True
    odd = _interaction(bot, "odd question").rules
    assert odd[0].unsupported == "condition ENTITY is not modelled"
    assert odd[1].exclude == ["never"]


def test_an_unknown_variable_operator_makes_the_rule_unsupported() -> None:
    doc = _doc()
    rule = _message(doc, "quiz question")["responseMatches"][0]
    rule["contextConditions"][0]["matchType"] = "SOUNDS_LIKE"
    result = parse_export(doc)
    first = _interaction(result.bot, "quiz question").rules[0]
    assert first.unsupported == "variable condition SOUNDS_LIKE on '{$userMessage}'"
    assert first.regex is None
    assert any("SOUNDS_LIKE" in n for n in result.notes)


def test_an_unknown_api_status_is_kept_as_an_unsupported_rule() -> None:
    doc = _doc()
    rule = _message(doc, "find stores")["responseMatches"][2]
    rule["conditions"][0]["apiResultsMatch"]["status"] = "TIMEOUT"
    rules = _interaction(parse_export(doc).bot, "find stores").rules
    assert rules[2].unsupported == "condition API_RESULT on an integration result"
    assert [r.api_result for r in rules[:2]] == ["success", "success"]


def test_the_rules_fixture_round_trips_through_the_exporter() -> None:
    bot = import_export(RULES_BOT).bot
    assert parse_export(json.dumps(export_bot(bot))).bot == bot


# -- running --------------------------------------------------------------------------------
def _rules_sim() -> Simulator:
    sim = Simulator(base_dir=ROOT)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(RULES_BOT))}\n")
    return sim


def test_an_unsupported_rule_is_a_transcript_error_when_evaluated() -> None:
    sim = _rules_sim()
    sim.open_conversation(bot="Rules")
    sim.say("odd")
    assert "is not run by the simulator" not in sim.transcript_text()
    sim.say("red")
    assert (
        'Rules: rule "by entity" of "odd question" is not run by the simulator (condition'
        " ENTITY is not modelled); it does not match"
    ) in sim.transcript_text()


def test_requests_are_recorded_after_substitution() -> None:
    sim = _rules_sim()
    sim.platform.api_stubs["StoreLocator"] = lambda: copy.deepcopy({"stores": []})
    sim.open_conversation(bot="Rules")
    sim.say("stores")
    [(conv, request)] = sim.platform.api_requests
    assert (request.method, request.url, request.body) == (
        "GET",
        "https://api.example.com/stores?zip=10001",
        None,
    )
    assert conv == sim.conversation().id


def test_an_unstubbed_request_names_the_steps_that_stub_it() -> None:
    sim = _rules_sim()
    sim.open_conversation(bot="Rules")
    with pytest.raises(Exception, match=r'a GET to "https://api.example.com/stores\?zip=10001"'):
        sim.say("stores")


# -- check and show -------------------------------------------------------------------------
def test_check_warns_about_what_is_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(f"bots:\n  - export: {json.dumps(str(RULES_BOT))}\n", encoding="utf-8")
    assert main(["check", str(tenant)]) == 0
    out = capsys.readouterr().out
    assert (
        'warning R3: bot "Rules", dialog "Odd", interaction "odd question": rule "by entity":'
        " condition ENTITY is not modelled; the rule never matches"
    ) in out
    assert main(["check", str(tenant), "--strict"]) == 1


def test_show_prints_the_rules_bot() -> None:
    text = table_of_contents(str(RULES_BOT))
    assert 'Bot "Rules"' in text
    assert '    1. "Quiz" (standard)\n       starter: patterns "quiz"\n' in text
    assert '"quiz hidden" text (disabled, skipped)' in text
    assert (
        '          rule "several" API success if ({$.api_StoreLocator.stores.length} greater'
        ' than "1") -> "several stores"'
    ) in text
    assert '          rule "by entity" NOT RUN (condition ENTITY is not modelled)' in text
    assert "    StoreLocator: API GET https://api.example.com/stores?zip={$botContext.zip}" in text


def test_show_lists_transfer_targets_and_served_skills() -> None:
    text = table_of_contents(str(ROOT / "fixtures" / "bank.yaml"))
    assert "  transfer targets: skill 101 (Savings), skill 200 (Human Support)\n" in text
    assert "  serves skills: 100 (Routing) on messaging\n" in text


@pytest.mark.parametrize("path", EXPORTS, ids=[p.name for p in EXPORTS])
def test_show_covers_every_dialog_and_interaction(path: Path) -> None:
    text = table_of_contents(str(path))
    assert text == table_of_contents(str(path))  # deterministic
    bot = import_export(path).bot
    for number, dialog in enumerate(bot.dialogs, 1):
        assert f"    {number}. {json.dumps(dialog.name, ensure_ascii=False)} (" in text
        for inter in dialog.interactions:
            assert f" {json.dumps(inter.name, ensure_ascii=False)} {inter.kind}" in text


def test_show_command_prints_and_a_missing_file_is_an_input_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", str(RULES_BOT)]) == 0
    assert capsys.readouterr().out == table_of_contents(str(RULES_BOT))
    assert main(["show", "no/such/file.yaml"]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_jump_to_an_unknown_id_is_a_note_warned_and_logged_when_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _doc()
    _message(doc, "quiz right")["responseMatches"][0]["action"] = {
        "name": "INTERACTION",
        "value": "no-such-message",
    }
    export = tmp_path / "rules.json"
    export.write_text(json.dumps(doc), encoding="utf-8")
    what = "jump to unknown interaction id no-such-message; it goes to the next interaction"
    assert _interaction(parse_export(doc).bot, "quiz right").notes == [what]
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(f"bots:\n  - export: {json.dumps(str(export))}\n", encoding="utf-8")
    main(["check", str(tenant)])
    assert f'dialog "Quiz", interaction "quiz right": {what}' in capsys.readouterr().out
    sim = Simulator(base_dir=tmp_path)
    sim.load(tenant)
    sim.open_conversation(bot="Rules")
    sim.say("quiz")
    assert what not in sim.transcript_text()
    sim.say("Paris")
    assert f'Rules: interaction "quiz right" is not run as written: {what}' in sim.transcript_text()
