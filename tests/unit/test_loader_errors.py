"""Every loader error names the file, the line, the field and the nearest valid names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.errors import FixtureError, UnknownNameError
from simulator.simulator import Simulator


def load(tmp_path: Path, text: str, name: str = "tenant.yaml") -> Simulator:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    sim = Simulator()
    sim.load(path)
    return sim


def error(tmp_path: Path, text: str, name: str = "tenant.yaml") -> str:
    with pytest.raises(FixtureError) as info:
        load(tmp_path, text, name)
    return str(info.value)


def test_misspelt_key_points_at_line_and_suggests(tmp_path: Path) -> None:
    text = "skills:\n  - {id: 1, name: A}\nbots:\n  - name: X\n    dialgs: []\n"
    message = error(tmp_path, text)
    assert "tenant.yaml:5" in message
    assert 'unknown key "dialgs"' in message
    assert 'did you mean "dialogs"' in message


def test_unknown_skill_in_connector(tmp_path: Path) -> None:
    text = "skills: [{id: 1, name: Sales}]\nbots: [{name: X}]\nconnectors:\n  - {bot: X, skills: [Sale]}\n"
    message = error(tmp_path, text)
    assert 'unknown skill "Sale"' in message
    assert '"Sales"' in message
    assert "tenant.yaml:4" in message


def test_unknown_bot_in_group_and_double_membership(tmp_path: Path) -> None:
    assert 'did you mean "Alpha"' in error(
        tmp_path, "bots: [{name: Alpha}]\ngroups: [{name: G, members: [Alpa]}]\n"
    )
    message = error(
        tmp_path,
        "bots: [{name: A}]\ngroups:\n  - {name: G1, members: [A]}\n  - {name: G2, members: [A]}\n",
    )
    assert 'in group "G1" and in group "G2"' in message


def test_malformed_pattern_is_a_load_error(tmp_path: Path) -> None:
    text = (
        "bots:\n  - name: X\n    dialogs:\n      - name: D\n"
        "        starter: {patterns: ['(hi|hello']}\n"
        "        interactions: [{text: hey}]\n"
    )
    message = error(tmp_path, text)
    assert "malformed pattern" in message
    assert "starter.patterns[0]" in message


def test_jump_to_unknown_interaction(tmp_path: Path) -> None:
    text = (
        "bots:\n  - name: X\n    dialogs:\n      - name: D\n        interactions:\n"
        "          - {name: ask, question: 'Name', next: thank}\n"
        "          - {name: thanks, text: Thanks}\n"
    )
    message = error(tmp_path, text)
    assert 'next "thank"' in message
    assert 'did you mean "thanks"' in message


def test_transfer_without_message_to_user_says_blank_message(tmp_path: Path) -> None:
    text = (
        "bots:\n  - name: X\n    dialogs:\n      - name: D\n        interactions:\n"
        "          - transfer: {skill_id: 1}\n"
    )
    assert "BLANK_MESSAGE" in error(tmp_path, text)


def test_interaction_needs_exactly_one_kind(tmp_path: Path) -> None:
    text = (
        "bots:\n  - name: X\n    dialogs:\n      - name: D\n        interactions:\n"
        "          - {text: a, question: b}\n"
    )
    message = error(tmp_path, text)
    assert "exactly one of text, question" in message
    assert "tenant.yaml:6" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"skills: [\n", "invalid YAML"),
        (b"- a\n- b\n", "expected a mapping"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"skills: 1\nskills: 2\n", 'key "skills" appears twice'),
    ],
)
def test_broken_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(content)
    with pytest.raises(FixtureError, match=expected):
        Simulator().load(path)


def test_invalid_json_points_at_line(tmp_path: Path) -> None:
    message = error(tmp_path, '{"skills": [\n  {"id": 1,}\n]}', name="t.json")
    assert "t.json:" in message


def test_missing_file_suggests_siblings(tmp_path: Path) -> None:
    (tmp_path / "bank.yaml").write_text("{}", encoding="utf-8")
    with pytest.raises(FixtureError, match=re.escape('did you mean "bank.yaml"')):
        Simulator().load(tmp_path / "bnak.yaml")


def test_includes_merge_and_cycles_are_errors(tmp_path: Path) -> None:
    (tmp_path / "bots.yaml").write_text("bots: [{name: B}]\n", encoding="utf-8")
    sim = load(tmp_path, "include: [bots.yaml]\nskills: [{id: 1, name: S}]\n")
    assert sim.platform.world.bots.keys() == {"B"}
    (tmp_path / "a.yaml").write_text("include: [b.yaml]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("include: [a.yaml]\n", encoding="utf-8")
    with pytest.raises(FixtureError, match="include cycle"):
        Simulator().load(tmp_path / "a.yaml")


def test_unknown_names_in_the_api(tmp_path: Path) -> None:
    sim = load(tmp_path, "skills: [{id: 1, name: Sales}]\nbots: [{name: Routing}]\n")
    with pytest.raises(UnknownNameError, match='did you mean "Routing"'):
        sim.open_conversation(bot="Routng")
    with pytest.raises(UnknownNameError, match='did you mean "Sales"'):
        sim.open_conversation(skill="Sale")


def test_camel_case_connector_settings_are_accepted(tmp_path: Path) -> None:
    sim = load(
        tmp_path,
        "skills: [{id: 1, name: S}]\nbots: [{name: B}]\n"
        "connectors: [{bot: B, skills: [1], settings: {fallbackEscalationTime: 5000}}]\n",
    )
    assert sim.platform.connectors["B"].settings.fallback_escalation_time_ms == 5000


def test_duplicate_names_that_steps_use_are_errors(tmp_path: Path) -> None:
    assert 'both named "Sales"' in error(
        tmp_path, "skills: [{id: 1, name: Sales}, {id: 2, name: Sales}]\n"
    )
    assert 'two agents are named "Ann"' in error(
        tmp_path, "agents: [{id: 1, name: Ann}, {id: 2, name: Ann}]\n"
    )
    assert "'A' more than once" in error(
        tmp_path, "bots: [{name: A}]\ngroups: [{name: G, members: [A, A]}]\n"
    )


def test_a_transfer_to_a_skill_the_tenant_lacks_is_a_lint_warning(tmp_path: Path) -> None:
    sim = load(
        tmp_path,
        "skills: [{id: 1, name: S}]\nbots:\n  - name: B\n    dialogs:\n      - name: D\n"
        "        interactions:\n          - {name: go, transfer: {skill_id: 999, message_to_user: x}}\n",
    )
    assert any('targets skill "999"' in w for w in sim.platform.world.warnings)


def test_lint_finds_unreachable_dialogs_and_shadowed_starters(tmp_path: Path) -> None:
    sim = load(
        tmp_path,
        "bots:\n  - name: B\n    dialogs:\n"
        "      - {name: One, starter: {patterns: [hi]}, interactions: [{text: a}]}\n"
        "      - {name: Two, starter: {patterns: [HI]}, interactions: [{text: b}]}\n"
        "      - {name: Orphan, interactions: [{text: c}]}\n"
        "      - {name: Target, interactions: [{text: d}]}\n"
        "      - {name: Jumper, starter: {patterns: [go]}, interactions: [{text: e, next: 'dialog:Target'}]}\n",
    )
    warnings = sim.platform.world.warnings
    assert any('dialog "Orphan" has no dialog starter' in w for w in warnings)
    assert not any('dialog "Target" has no dialog starter' in w for w in warnings)
    assert any('pattern "HI" of dialog "Two" also starts dialog "One"' in w for w in warnings)
