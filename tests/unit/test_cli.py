"""The ``simulator`` command, end to end: every sub-command through ``main`` in-process, and
the installed console script once in a subprocess."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.cli.chat import duration_words
from simulator.cli.run import tags_to_marks

TENANT = """\
skills:
  - {id: 100, name: Routing}
  - {id: 101, name: Savings}
  - {id: 200, name: Humans}
agents:
  - {id: 1, name: Alice, skills: [200]}
bots:
  - name: Routing
    intents:
      - name: savings
        phrases: ["open a savings account", "savings account"]
    dialogs:
      - name: Welcome
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - text: "Hello! I am the routing bot."
          - question: "What is your name?"
            save_as: name
          - text: "Nice to meet you {$botContext.name}"
      - name: Savings
        starter: {intent: savings}
        interactions:
          - text: "Let me get the savings bot."
          - transfer: {skill_id: 101, message_to_user: "Transferring you now"}
            delay_ms: 2000
      - name: Failed
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Sorry, nobody can take over right now."
      - name: Fallback
        type: fallback
        interactions:
          - text: "Sorry, I did not get that."
  - name: Savings
    intents:
      - name: savings
        phrases: ["open a savings account"]
    dialogs:
      - name: Open account
        starter: {intent: savings}
        interactions:
          - text: "Which kind of savings account?"
connectors:
  - {bot: Routing, skills: [100]}
  - {bot: Savings, skills: [101]}
"""

#: An escalation right after a message without delay (T4) and no failure dialog (F2).
LINTY_TENANT = """\
skills:
  - {id: 200, name: Humans}
bots:
  - name: Hasty
    dialogs:
      - name: Human
        starter: {patterns: ["(human|person)"]}
        interactions:
          - text: "One moment."
          - transfer: {skill_id: 200, message_to_user: BLANK_MESSAGE}
connectors:
  - {bot: Hasty, skills: [200]}
"""

BROKEN_TENANT = """\
skills:
  - {id: 100, name: Routing}
bots:
  - name: Routing
    dialogz: []
"""

FEATURE = """\
Feature: Greeting

  Background:
    Given the tenant "fixtures/bank.yaml"

  @smoke
  Scenario: The routing bot greets
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    Then the bot replies "Hello! I am the routing bot."
    And the bot replies "What is your name?"

  @slow-path
  Scenario: A name is remembered
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    And the consumer says "Ann"
    Then the bot replies "Nice to meet you Ann"
"""

FAILING_FEATURE = """\
Feature: Wrong expectation

  Scenario: The bot says something else
    Given the tenant "fixtures/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    Then the bot replies "Good morning"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with only a feature file and a tenant fixture; the current directory."""
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "bank.yaml").write_text(TENANT, encoding="utf-8")
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "greeting.feature").write_text(FEATURE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


# -- top level -------------------------------------------------------------------------
def test_help_lists_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("run", "check", "steps", "schema", "chat"):
        assert command in out
    assert "exit codes" in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: simulator" in capsys.readouterr().out


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "TENANT" in capsys.readouterr().err


def test_extra_arguments_only_for_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps", "--", "-x"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


# -- run ---------------------------------------------------------------------------------
def test_run_defaults_to_features_folder_without_a_test_module(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 0
    out = capfd.readouterr().out
    assert "Scenario: The routing bot greets PASSED" in out  # Gherkin-style progress
    assert _last_line(out).startswith("simulator run: 2 scenarios: 2 passed")
    assert not list(project.glob("test_*.py"))
    assert not (project / ".pytest_cache").exists()


def test_run_exits_1_when_a_scenario_fails(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (project / "wrong.feature").write_text(FAILING_FEATURE, encoding="utf-8")
    assert main(["run", "wrong.feature", "features", "--seed", "7"]) == 1
    out = capfd.readouterr().out
    assert 'expected the bot to reply "Good morning"' in out
    assert "simulator run: 3 scenarios: 2 passed, 1 failed" in out
    assert "seed 7" in _last_line(out)


def test_run_selects_scenarios_by_tag(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--tags", "@slow-path", "-q"]) == 0
    assert "simulator run: 1 scenario: 1 passed" in capfd.readouterr().out


def test_run_with_no_matching_tag_is_an_input_error(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--tags", "nothing_has_this", "-q"]) == 2
    assert 'no scenario matched --tags "nothing_has_this"' in capfd.readouterr().err


def test_run_writes_transcripts_and_passes_extra_pytest_arguments(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "features/greeting.feature", "--transcripts", "out", "--", "-k", "greets"])
    assert code == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out
    written = list((project / "out").glob("*.txt"))
    assert len(written) == 1
    assert "Hello! I am the routing bot." in written[0].read_text(encoding="utf-8")


def test_run_loads_the_projects_conftest(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (project / "conftest.py").write_text(
        "from pytest_bdd import parsers, then\n\n\n"
        "@then(parsers.parse('the custom check \"{x}\" holds'))\n"
        "def custom(x):\n"
        "    assert x == 'ok'\n",
        encoding="utf-8",
    )
    (project / "custom.feature").write_text(
        'Feature: Custom\n  Scenario: A custom step\n    Then the custom check "ok" holds\n',
        encoding="utf-8",
    )
    assert main(["run", "custom.feature", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out


def test_run_in_parallel_with_xdist(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("xdist")
    assert main(["run", "-n", "2", "-q"]) == 0
    assert "2 scenarios: 2 passed" in capfd.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.feature"], "missing.feature: no such file or folder"),
        (["run", "fixtures/bank.yaml"], "not a feature file"),
        (["run", "fixtures"], "holds no .feature files"),
    ],
)
def test_run_input_errors(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_run_without_features_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    assert "no features/ folder" in capsys.readouterr().err


def test_tags_become_mark_expressions() -> None:
    assert tags_to_marks("@smoke and not @slow-path") == "smoke and not slow_path"
    assert tags_to_marks("(t3 or f1)") == "(t3 or f1)"


# -- check -----------------------------------------------------------------------------
def test_check_clean_tenant(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "fixtures/bank.yaml", "--strict"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ok, no warnings" in captured.err


def test_check_warnings_fail_only_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hasty.yaml").write_text(LINTY_TENANT, encoding="utf-8")
    assert main(["check", "hasty.yaml"]) == 0
    out = capsys.readouterr().out
    assert "warning T4:" in out and "warning F2:" in out
    for line in out.splitlines():
        assert line.startswith("hasty.yaml:4: warning ")
    assert main(["check", "hasty.yaml", "--strict"]) == 1


def test_check_broken_tenant_points_at_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(BROKEN_TENANT, encoding="utf-8")
    assert main(["check", "broken.yaml"]) == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("broken.yaml:5: error: ")
    assert 'did you mean "dialogs"' in out


def test_check_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hasty.yaml").write_text(LINTY_TENANT, encoding="utf-8")
    Path("broken.yaml").write_text(BROKEN_TENANT, encoding="utf-8")
    assert main(["check", "hasty.yaml", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert sorted(w["code"] for w in report["warnings"]) == ["F2", "T4"]
    assert main(["check", "broken.yaml", "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0]["line"] == 5


def test_check_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "nope.yaml"]) == 2
    assert capsys.readouterr().out.startswith("nope.yaml: error: file not found")


# -- steps -------------------------------------------------------------------------------
def test_steps_markdown_is_grouped_and_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps", "--format", "markdown"]) == 0
    first = capsys.readouterr().out
    assert main(["steps", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == first
    assert first.startswith("# Step catalogue\n")
    assert "## Setting up the tenant" in first
    assert '### `the consumer says "<text>"`' in first
    assert '```gherkin\nWhen the consumer says "hi"\n```' in first
    assert first.index("## Setting up the tenant") < first.index("## Talking")


def test_steps_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    assert "Time\n====" in out
    assert "<amount> pass" in out
    assert "When 3 minutes pass" in out


# -- schema ------------------------------------------------------------------------------
def test_schema_is_json_schema_of_tenants(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "bots" in schema["properties"]
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"]


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "schemas" / "tenant.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert "bots" in json.loads(target.read_text(encoding="utf-8"))["properties"]


# -- chat --------------------------------------------------------------------------------
def _chat(monkeypatch: pytest.MonkeyPatch, args: list[str], lines: list[str]) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    return main(["chat", *args])


def test_chat_session_saved_as_feature_passes_with_run(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "hi",
        "Ann",
        "/vars",
        "/fail Savings",
        "open a savings account",
        "/wait 3 minutes",
        "/context",
        "/transcript",
        "/save regressions/bug_42.feature",
        "/quit",
        "never read",
    ]
    (project / "regressions").mkdir()  # /save never creates folders
    assert _chat(monkeypatch, ["fixtures/bank.yaml", "--bot", "Routing"], lines) == 0
    out = capfd.readouterr().out
    assert re.search(r"^00:00:0\d\.\d{3}  Routing: Hello! I am the routing bot\.$", out, re.M)
    assert '[dialog] Routing started "Welcome"' in out
    assert 'name = "Ann"' in out
    assert "[transfer]" in out
    assert "Sorry, nobody can take over right now." in out
    assert "saved " in out and "never read" not in out

    saved = (project / "regressions" / "bug_42.feature").read_text(encoding="utf-8")
    assert 'Given the tenant "../fixtures/bank.yaml"' in saved
    assert 'When the consumer opens a conversation with bot "Routing" on "messaging"' in saved
    assert '    When the consumer says "hi"\n' in saved
    assert 'Then the bot replies "Nice to meet you Ann"' in saved
    assert 'the next transfer to skill "Savings" fails' in saved
    assert "3 minutes pass" in saved
    comments = [line for line in saved.split("Feature:")[1].splitlines() if "#" in line]
    # every action became a library step; only events no step expresses are comments
    assert all(line.strip().startswith("# not checked: [") for line in comments)

    assert main(["run", "regressions/bug_42.feature", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out


def test_chat_commands_never_crash(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "/bogus",
        "/wait",
        "/wait soon",
        "/fail NoSuchSkill",
        "/agent Alice",
        "/agent Bob away",
        "/agent Alice away",
        "/channel fax",
        "/channel chat",
        "/save notes.txt",
        "/help",
    ]  # then end of input, like Ctrl-D
    assert _chat(monkeypatch, ["fixtures/bank.yaml", "--skill", "100"], lines) == 0
    captured = capsys.readouterr()
    assert 'unknown command "/bogus"' in captured.err
    assert "/wait DURATION" in captured.out  # help printed for the unknown command
    assert 'cannot read "soon" as a duration' in captured.err
    assert 'unknown skill "NoSuchSkill"' in captured.err
    assert "usage: /agent NAME available|away" in captured.err
    assert "usage: /channel chat|messaging" in captured.err
    assert "must end with .feature" in captured.err
    assert "agent Alice is now away" in captured.out
    assert "new conversation" in captured.out
    assert "Traceback" not in captured.err
    assert captured.out.rstrip().endswith("bye")


def test_chat_with_unknown_bot_is_a_user_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _chat(monkeypatch, ["fixtures/bank.yaml", "--bot", "Routng"], ["hi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Routing" in err
    assert len(err.strip().splitlines()) == 1


def test_chat_needs_bot_or_skill(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "t.yaml"]) == 2
    assert "--bot" in capsys.readouterr().err


def test_duration_words() -> None:
    from datetime import timedelta

    assert duration_words(timedelta(minutes=3)) == "3 minutes"
    assert duration_words(timedelta(days=1)) == "1 day"
    assert duration_words(timedelta(milliseconds=2500)) == "2500 ms"


# -- the installed console script ----------------------------------------------------------
def test_console_script(project: Path) -> None:
    script = Path(sys.executable).parent / "simulator"
    if not script.exists():
        pytest.skip("the simulator console script is not installed next to this Python")
    (project / "broken.yaml").write_text(BROKEN_TENANT, encoding="utf-8")
    done = subprocess.run(
        [str(script), "check", "broken.yaml"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout.startswith("broken.yaml:5: error: ")
    chat = subprocess.run(
        [str(script), "chat", "fixtures/bank.yaml", "--bot", "Routing"],
        input="hello\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert chat.returncode == 0
    assert "Routing: What is your name?" in chat.stdout


def test_python_dash_m_simulator_runs_the_cli() -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "simulator", "--help"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0
    assert "run" in run.stdout and "chat" in run.stdout


def test_soak_runs_and_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["soak", "--conversations", "300", "--seed", "3"]) == 0
    first = capsys.readouterr().out
    assert "300 conversations" in first
    assert "invariants held for every conversation" in first
    assert "transfers" in first and "fallbacks" in first
    assert main(["soak", "--conversations", "300", "--seed", "3"]) == 0
    again = capsys.readouterr().out
    assert first.splitlines()[:-1] == again.splitlines()[:-1]  # same run, same summary


def test_chat_picks_a_choice_by_number(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    (project / "fixtures" / "choices.yaml").write_text(
        textwrap.dedent(
            """
            bots:
              - name: Savings
                dialogs:
                  - name: Open account
                    starter: {patterns: ["*savings*"]}
                    interactions:
                      - question: "Which kind of savings account would you like?"
                        options: [Regular, Gold]
                        save_as: accountType
                        rules:
                          - {exact: [Regular, Gold]}
                      - text: "A {$botContext.accountType} account, great choice."
            """
        ),
        encoding="utf-8",
    )
    lines = [
        "open a savings account",
        "7",
        "2",
        "/save regressions/choice.feature",
    ]
    (project / "regressions").mkdir()
    assert _chat(monkeypatch, ["fixtures/choices.yaml", "--bot", "Savings"], lines) == 0
    captured = capfd.readouterr()
    assert 'quick replies: "Regular" | "Gold"' in captured.out
    assert 'choose by number: 1 "Regular" · 2 "Gold"' in captured.out
    assert "there is no choice 7: choose 1 to 2, or /say 7" in captured.err
    assert "Savings: A Gold account, great choice." in captured.out
    saved = (project / "regressions" / "choice.feature").read_text(encoding="utf-8")
    assert 'When the consumer taps "Gold"' in saved
    assert main(["run", "regressions/choice.feature", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out
