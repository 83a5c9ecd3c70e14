"""The walk (simulator/walk.py) on the project's own fixture exports: no shared corpus needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.tenant.schema import ApiIntegration
from simulator.walk import explain, walk_export
from simulator.walk_stubs import stub_data

FIXTURES = Path(__file__).parents[2] / "fixtures" / "exports"


def test_escalation_bot_is_walked_whole_and_clean() -> None:
    walk = walk_export(FIXTURES / "escalation-bot.json")
    assert (len(walk.interactions), len(walk.reached), len(walk.clean)) == (9, 9, 9)


def test_an_unmodelled_rule_is_an_unexplained_error() -> None:
    walk = walk_export(FIXTURES / "rules-bot.json")
    assert "Odd / odd question" in walk.unexplained
    assert walk.why_unreached("Quiz / quiz hidden") == "the interaction is disabled in the export"


def test_stub_data_follows_custom_fields_and_code() -> None:
    api = ApiIntegration(
        name="S", custom_data={"c": "{$.api_S.stores[i].city}", "z": "{$.api_S.stores[i].zip}"}
    )
    assert stub_data(api) == {"stores": [{"city": "city", "zip": "zip"}] * 2}
    code = (
        "var r = JSON.parse(x.jsonData).api_Q; var c = r[0].category.title;"
        " c[0].toUpperCase(); botContext.setBotVariable('p', r, true, false);"
        " var p = botContext.getBotVariable('p'); p[0].answer;"
    )
    data = stub_data(ApiIntegration(name="Q"), code)
    assert data == [{"category": {"title": "title"}, "answer": "answer"}] * 2


def test_explained_errors_name_the_export() -> None:
    assert explain('B: setTriggerNextMessage("x") names no interaction of this bot') is not None
    assert explain("B: JavaScript error in preProcessMessage") is None


def test_cli_walk_json_and_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "conformance.md"
    code = main(["walk", str(FIXTURES / "escalation-bot.json"), "--json", "--markdown", str(out)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["reached"] == data[0]["clean"] == 9
    assert "| escalation-bot.json | Escalator |" in out.read_text(encoding="utf-8")


def test_cli_walk_exit_1_on_a_gap(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walk", str(FIXTURES / "rules-bot.json")]) == 1
    assert "not explained: a simulator gap" in capsys.readouterr().out


def test_cli_walk_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walk", str(tmp_path / "nope.json")]) == 2
    assert "no such export file" in capsys.readouterr().err


def test_crawl_writes_passing_features_and_a_change_shows_a_diff(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 item 2: the crawl's feature files pass under `simulator run`, the same export
    gives the same files, and a changed bot gives different ones."""
    export = tmp_path / "bot.json"
    export.write_text((FIXTURES / "escalation-bot.json").read_text(encoding="utf-8"))
    out = tmp_path / "generated"
    assert main(["crawl", str(export), "--out", str(out), "--max-features", "4"]) == 0
    first = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.feature"))}
    assert len(first) == 4
    assert "cap: feature cap 4 hit" in capfd.readouterr().out
    assert all("Then the bot replies" in t for t in first.values())
    assert main(["run", str(out)]) == 0
    assert "4 scenarios: 4 passed" in capfd.readouterr().out

    assert main(["crawl", str(export), "--out", str(out), "--max-features", "4"]) == 0
    again = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.feature"))}
    assert again == first

    changed = export.read_text(encoding="utf-8").replace(
        "Let me find an agent for you.", "One moment, finding an agent."
    )
    assert changed != export.read_text(encoding="utf-8")
    export.write_text(changed, encoding="utf-8")
    assert main(["crawl", str(export), "--out", str(out), "--max-features", "4"]) == 0
    after = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.feature"))}
    diff = [name for name in first if first[name] != after[name]]
    assert diff
    assert any("One moment, finding an agent." in after[name] for name in diff)
