"""`simulator chat` shows every event as it happens and `/save` pins what happened.

The round trip drives a chat through standard input (a choice tapped by number, a dropped
escalation whose 3-minute F4 timer fires, a failure message, a queue and an agent), saves it,
runs the saved feature (it passes) and runs it again against a changed bot (it fails): the
saved Then steps pin the behaviour, not only the consumer's actions.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from simulator.cli import main

TENANT = """\
skills:
  - {id: 100, name: Front}
  - {id: 200, name: Humans}
agents:
  - {id: 1, name: Cale, skills: [200], available: false}
bots:
  - name: Front
    dialogs:
      - name: Failed
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Sorry, nobody can take over right now."
      - name: Welcome
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - question: "Hi! Pick one"
            options: [Agent, Nothing]
            save_as: pick
          - text: "You picked {$botContext.pick}."
      - name: Human
        starter: {patterns: ["*(agent|human)*"]}
        interactions:
          - transfer: {skill_id: 200, message_to_user: "Connecting you now."}
      - name: Fallback
        type: fallback
        interactions:
          - text: "Did not understand."
connectors:
  - {bot: Front, skills: [100]}
"""

SESSION = [
    "hi",
    "2",  # taps "Nothing" by its number
    "/drop Humans",
    "agent please",
    "/wait 3 minutes",
    "human",  # the F4 timer fires first, at 00:03:02.901
    "/agent Cale available",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _chat(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    return main(["chat", "tenant.yaml", "--bot", "Front"])


def test_commands_show_what_they_set_off_in_clock_order(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _chat(monkeypatch, SESSION) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    # /agent shows the assignment it caused, right after its own line.
    agent_at = lines.index("agent Cale is now available")
    assert 'assigned to agent "Cale"' in lines[agent_at + 1]
    assert "[routing] left the queue" in lines[agent_at + 2]
    # The F4 timer, the platform message and the queue show with their virtual time.
    assert any(
        line.startswith("00:03:02.901  [transfer] escalation failed") and "(F4)" in line
        for line in lines
    )
    assert '00:03:02.901  [platform] sent "__agent_escalation_failed__" to Front' in out
    assert "waits in the queue of skill" in out
    stamps = [line[:12] for line in lines if line[:2].isdigit() and line[2] == ":"]
    assert stamps == sorted(stamps)  # in the order of the virtual clock


def test_a_wait_shows_the_timers_that_fired(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _chat(monkeypatch, ["/drop Humans", "agent please", "/wait 4 minutes"]) == 0
    out = capsys.readouterr().out
    after_wait = out.split("[fault] the chat server dropped the escalation")[1]
    assert "escalation failed: no response to the escalation for 180000 ms" in after_wait
    assert "Sorry, nobody can take over right now." in after_wait


def test_the_same_input_prints_the_same_session(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _chat(monkeypatch, SESSION) == 0
    first = capsys.readouterr()
    assert _chat(monkeypatch, SESSION) == 0
    second = capsys.readouterr()
    assert first.out == second.out and first.err == second.err


def test_saved_session_pins_behaviour_and_fails_when_the_bot_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    assert _chat(monkeypatch, [*SESSION, "/save session.feature"]) == 0
    captured = capfd.readouterr()
    saved = (project / "session.feature").read_text(encoding="utf-8")
    steps = [line.strip() for line in saved.splitlines()]
    for expected in (
        'When the consumer taps "Nothing"',
        'And the bot offers choices "Agent", "Nothing"',
        'Then the bot replies "You picked Nothing."',
        "When 3 minutes pass",
        'And at 00:03:03.200 the conversation is transferred to skill "200"',
        'And the bot replies "Sorry, nobody can take over right now."',
        'And the bot received "__agent_escalation_failed__" 1 time',
        'And the conversation waits in the queue of skill "200"',
        'Then the conversation is assigned to agent "Cale"',
    ):
        assert expected in steps, expected
    # What no step can express is listed, in the file and on the terminal.
    assert "# not checked: [fault] the chat server dropped the escalation" in saved
    assert "could not be saved as steps" in captured.err
    assert "not checked: [transfer] escalation failed" in captured.err

    assert main(["run", "session.feature", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out

    changed = TENANT.replace("Sorry, nobody can take over", "Sorry, nobody is free")
    (project / "tenant.yaml").write_text(changed, encoding="utf-8")
    assert main(["run", "session.feature", "-q"]) != 0
    assert 'the bot replies "Sorry, nobody can take over right now."' in capfd.readouterr().out


def test_save_never_creates_folders_nor_overwrites_silently(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "kept.feature").write_text("keep me\n", encoding="utf-8")
    lines = [
        "hi",
        "/save missing/folder/a.feature",
        "/save kept.feature",
        "/save",
        "/save! replaced.feature",
    ]
    assert _chat(monkeypatch, lines) == 0
    captured = capsys.readouterr()
    assert "the folder" in captured.err and "does not exist; create it first" in captured.err
    assert not (project / "missing").exists()
    assert "the file exists; use /save! kept.feature to replace it" in captured.err
    assert (project / "kept.feature").read_text(encoding="utf-8") == "keep me\n"
    assert "usage: /save FILE.feature" in captured.err
    assert (project / "replaced.feature").is_file()
    assert "Traceback" not in captured.err

    assert _chat(monkeypatch, ["hi", "/save! kept.feature"]) == 0
    assert "Feature:" in (project / "kept.feature").read_text(encoding="utf-8")


def test_auto_close_shows_when_it_fires_and_is_pinned(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    closing = TENANT.replace("skills:", "platform:\n  auto_close_after_minutes: 60\nskills:", 1)
    (project / "tenant.yaml").write_text(closing, encoding="utf-8")
    assert _chat(monkeypatch, ["hi", "/wait 2 hours", "/save closed.feature"]) == 0
    out = capfd.readouterr().out
    assert "01:00:00.000  [conversation] closed: no consumer message for 60 minutes" in out
    saved = (project / "closed.feature").read_text(encoding="utf-8")
    assert "When 2 hours pass\n    Then the conversation is closed\n" in saved
    assert main(["run", "closed.feature", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out
