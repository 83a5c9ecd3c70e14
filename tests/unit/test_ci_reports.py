"""``--sim-cov`` and the reports CI reads (JUnit XML, cucumber JSON), on a small project run by a
real pytest (with and without pytest-xdist) and by ``simulator run``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simulator.pytest_plugin.ci_reports import skip_steps_after_failure

QUIET = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"]

TENANT = """\
skills: [{id: 100, name: Front door}, {id: 200, name: Humans}]
agents: [{id: 1, name: Alice, skills: [200]}]
bots:
  - name: Front
    dialogs:
      - name: Welcome
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - question: "Sales or support?"
            options: [Sales, Support]
            rules:
              - {name: sales, exact: [sales]}
              - {name: support, exact: [support]}
          - text: "Noted."
      - name: Failed transfer
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Sorry, nobody can take your call right now."
      - name: Human
        starter: {patterns: ["*agent*"]}
        interactions:
          - transfer: {skill_id: 200, message_to_user: "Connecting you with an agent."}
connectors:
  - {bot: Front, skills: [100]}
"""

FEATURE = """\
@f2
Feature: Front door
  Background:
    Given the tenant "tenant.yaml"

  @t1
  Scenario: A consumer reaches a human
    When the consumer opens a conversation with bot "Front"
    And the consumer says "agent"
    Then the conversation is assigned to agent "Alice"

  @f1
  Scenario: The transfer fails and the bot says sorry
    Given the next transfer to skill "200" fails
    When the consumer opens a conversation with bot "Front" on "chat"
    And the consumer says "agent"
    Then the bot replies "Sorry..."
    And the bot replies "Sorry, nobody can take your call right now."
    And the transcript contains "never checked"

  Scenario: Sales
    When the consumer opens a conversation with bot "Front"
    And the consumer says "hello"
    And the consumer says "Sales"
    Then the bot replies "Noted."
"""


def _run(args: list[str], cwd: Path, *, module: str = "pytest") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ci_project")
    (root / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    (root / "features").mkdir()
    (root / "features" / "front.feature").write_text(FEATURE, encoding="utf-8")
    (root / "test_front.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("features")\n', encoding="utf-8"
    )
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "out").mkdir()
    return root


@pytest.fixture(scope="module")
def serial_run(project: Path) -> subprocess.CompletedProcess[str]:
    run = _run(
        [
            *QUIET,
            "--sim-cov-json=out/cov.json",
            "--junitxml=out/junit.xml",
            "--cucumberjson=out/cucumber.json",
            "--sim-report=out/report.html",
        ],
        project,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 2 passed" in run.stdout
    return run


def test_the_terminal_summary_lists_coverage_per_bot(
    serial_run: subprocess.CompletedProcess[str],
) -> None:
    out = serial_run.stdout
    assert "simulator bot coverage" in out
    assert (
        "Front: dialogs 3/3, interactions 4/4, starters 3/3, rules 1/2, choices 1/2,"
        " escalations 1/1, failure handlers 1/1" in out
    )
    assert "  not exercised rules: Welcome › Welcome #1 › 2. support" in out
    assert "  not exercised choices: Welcome › Welcome #1 › Support" in out
    assert "platform rules touched: 3/36 (T1 F1 F2)" in out
    assert "total: 14/16 items, 87.5%" in out


def test_the_json_file_has_the_same_figures(
    project: Path, serial_run: subprocess.CompletedProcess[str]
) -> None:
    data = json.loads((project / "out" / "cov.json").read_text(encoding="utf-8"))
    assert data["percent"] == 87.5 and data["covered"] == 14 and data["total"] == 16
    assert data["scenarios"] == 3
    front = data["bots"]["Front"]
    assert front["failure_handlers"] == {
        "covered": 1,
        "total": 1,
        "hit": ["Failed transfer"],
        "missed": [],
    }
    assert front["choices"]["missed"] == ["Welcome › Welcome #1 › Support"]
    assert data["platform_rules"]["touched"] == ["T1", "F1", "F2"]


def test_under_xdist_the_controller_merges_the_same_coverage(
    project: Path, serial_run: subprocess.CompletedProcess[str]
) -> None:
    pytest.importorskip("xdist")
    run = _run(
        [*QUIET, "-n", "2", "--sim-cov-json=out/cov-xdist.json", "--junitxml=out/junit-xdist.xml"],
        project,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    outs = [c.find("system-out") for c in ET.parse(project / "out" / "junit-xdist.xml").iter()]
    assert [o.text.splitlines()[0] for o in outs if o is not None and o.text] == [
        "simulator transcript"
    ]
    serial = (project / "out" / "cov.json").read_text(encoding="utf-8")
    assert (project / "out" / "cov-xdist.json").read_text(encoding="utf-8") == serial
    assert "total: 14/16 items, 87.5%" in run.stdout


def test_fail_under_fails_a_green_run_with_the_figure(project: Path) -> None:
    selection = ["-k", "not transfer_fails"]
    below = _run([*QUIET, *selection, "--sim-cov-fail-under=95"], project)
    assert below.returncode == 1, below.stdout + below.stderr
    assert "2 passed" in below.stdout
    assert "FAIL: bot coverage 62.5% is below the required 95% (--sim-cov-fail-under)" in (
        below.stdout
    )
    above = _run([*QUIET, *selection, "--sim-cov-fail-under=62.5"], project)
    assert above.returncode == 0, above.stdout + above.stderr
    assert "FAIL: bot coverage" not in above.stdout
    bad = _run([*QUIET, "--sim-cov-fail-under=140"], project)
    assert bad.returncode == 4 and "between 0 and 100, got 140" in bad.stderr


def test_junit_failures_carry_the_transcript(
    project: Path, serial_run: subprocess.CompletedProcess[str]
) -> None:
    tree = ET.parse(project / "out" / "junit.xml")
    cases = {c.get("name"): c for c in tree.iter("testcase")}
    failed = cases["test_the_transfer_fails_and_the_bot_says_sorry"]
    failure = failed.find("failure")
    assert failure is not None and 'expected the bot to reply "Sorry..."' in (failure.text or "")
    out = failed.find("system-out")
    assert out is not None and out.text is not None
    assert "simulator transcript" in out.text
    assert "[transfer] escalation failed" in out.text and "__agent_escalation_failed__" in out.text
    passed = cases["test_a_consumer_reaches_a_human"]
    assert passed.find("system-out") is None and passed.find("failure") is None
    assert all(p.get("name") != "cb_simulator_coverage" for p in tree.iter("property"))


def test_cucumber_json_marks_steps_after_a_failure_as_skipped(
    project: Path, serial_run: subprocess.CompletedProcess[str]
) -> None:
    features = json.loads((project / "out" / "cucumber.json").read_text(encoding="utf-8"))
    elements = {e["name"]: e for f in features for e in f["elements"]}
    steps = elements["The transfer fails and the bot says sorry"]["steps"]
    statuses = [s["result"]["status"] for s in steps]
    assert statuses == ["passed", "passed", "passed", "passed", "failed", "skipped", "skipped"]
    assert 'expected the bot to reply "Sorry..."' in steps[4]["result"]["error_message"]
    assert all("error_message" not in s["result"] for s in steps[5:])
    assert {s["result"]["status"] for s in elements["Sales"]["steps"]} == {"passed"}


def test_skip_steps_after_failure_only_touches_what_follows_a_failure() -> None:
    document = [
        {
            "elements": [
                {"steps": [{"result": {"status": "passed"}}, {"result": {"status": "passed"}}]},
                {
                    "steps": [
                        {"result": {"status": "failed", "error_message": "boom"}},
                        {"result": {"status": "failed", "error_message": ""}},
                    ]
                },
            ]
        }
    ]
    assert skip_steps_after_failure(document) == 1
    steps = document[0]["elements"][1]["steps"]
    assert steps == [
        {"result": {"status": "failed", "error_message": "boom"}},
        {"result": {"status": "skipped"}},
    ]
    assert skip_steps_after_failure("not a report") == 0


def test_the_html_report_shows_coverage_and_failed_escalations(
    project: Path, serial_run: subprocess.CompletedProcess[str]
) -> None:
    html = (project / "out" / "report.html").read_text(encoding="utf-8")
    assert '<section class="coverage" id="coverage">' in html
    assert '<span class="cov-item uncovered">Welcome › Welcome #1 › Support</span>' in html
    assert 'class="marker transfer failed"' in html
    assert '<a class="tag rule" href="#rule-F1"' in html and '<dt id="rule-F1">' in html
    assert html.count("with warnings") == 0  # the injected fault is no warning
    assert html.count("expected the bot to reply &quot;Sorry...&quot;") == 1


def test_simulator_run_names_tests_after_their_feature_file(project: Path) -> None:
    run = _run(
        ["run", "-q", "--cov-json", "out/run-cov.json", "--", "--junitxml=out/run.xml"],
        project,
        module="simulator",
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED features/front.feature::test_the_transfer_fails" in run.stdout
    classnames = {
        c.get("classname") for c in ET.parse(project / "out" / "run.xml").iter("testcase")
    }
    assert classnames == {"features.front.feature"}
    data = json.loads((project / "out" / "run-cov.json").read_text(encoding="utf-8"))
    assert data["covered"] == 14 and data["total"] == 16


def test_a_scenario_skipped_before_it_starts_still_has_its_section(tmp_path: Path) -> None:
    (tmp_path / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    (tmp_path / "skip.feature").write_text(
        'Feature: Skipping\n  @skip\n  Scenario: Not today\n    Given the tenant "tenant.yaml"\n',
        encoding="utf-8",
    )
    (tmp_path / "test_skip.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("skip.feature")\n', encoding="utf-8"
    )
    run = _run([*QUIET, "--sim-report=report.html"], tmp_path)
    assert run.returncode == 0 and "1 skipped" in run.stdout, run.stdout + run.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('data-outcome="skipped"') == 1 and "Not today" in html
