"""The HTML report (``--sim-report``): the pure renderer on hand-made results, the pytest plugin on
the project's own suite (with and without pytest-xdist), and the page in a real headless browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.coverage import BotCoverage, Coverage
from simulator.report.html import (
    ConversationResult,
    EntryResult,
    ScenarioResult,
    StepResult,
    format_ms,
    render_report,
)

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ["-p", "simulator.report.pytest_report"]
QUIET = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"]


# -- a tiny DOM: elements with their classes and text ---------------------------------------------


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.classes = set(attrs.get("class", "").split())
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Dom(HTMLParser):
    VOID = frozenset({"meta", "input", "br", "img", "link", "hr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.open: list[_Element] = []
        self.scripts = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag == "script":
            self.scripts += 1
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.open, f"</{tag}> closes nothing"
        top = self.open.pop()
        assert top.tag == tag, f"</{tag}> closes <{top.tag}>"

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)

    def by_class(self, *classes: str) -> list[_Element]:
        return [e for e in self.elements if set(classes) <= e.classes]


# -- hand-made results -------------------------------------------------------------------------------


def _entry(ms: int, kind: str, actor: str, text: str, **details: object) -> EntryResult:
    return EntryResult(ms, kind, actor, text, dict(details))


CONVERSATION = ConversationResult(
    id="conv-0001",
    channel="messaging",
    entries=[
        _entry(0, "conversation", "conversation", "opened on messaging by consumer Ann"),
        _entry(0, "routing", "routing", 'assigned to bot "Routing" (started)', bot="Routing"),
        _entry(0, "consumer", "consumer", "I want <b>a human</b> & more"),
        _entry(300, "dialog", "dialog", 'Routing started "Human"'),
        _entry(300, "bot", "Routing", "Hold on.", note="message to user"),
        _entry(300, "fault", "fault", 'transfer to skill "200" will fail'),
        _entry(300, "transfer", "transfer", "escalation failed (F1)"),
        _entry(300, "platform", "platform", 'sent "__agent_escalation_failed__" to Routing'),
        _entry(
            300,
            "warning",
            "warning",
            'order-dependent routing: tie; candidates "A", "B"; chose "A"',
            candidates=["A", "B"],
            chosen="A",
        ),
        _entry(300, "transfer", "transfer", 'transferred to skill "201" (Other)'),
        _entry(300, "routing", "routing", 'waits in the queue of skill "201" (F5)'),
        _entry(1300, "bot", "Routing", "Late words.", note="late: sent at 00:00:00.300 (T4)"),
        _entry(3_600_000 + 1300, "routing", "routing", 'assigned to agent "Alice"', agent="Alice"),
        _entry(3_600_000 + 1300, "routing", "routing", "left the queue after 01:00:00.000"),
        _entry(3_600_000 + 1300, "agent", "Alice", "Hi, Alice here."),
        _entry(3_600_000 + 4300, "platform", "platform", 'connector sent "hi" to Savings (T9)'),
        _entry(3_600_000 + 5300, "bot", "Savings", "Savings here."),
        _entry(3_600_000 + 5300, "error", "error", "bot code failed"),
    ],
)


def _passed() -> ScenarioResult:
    return ScenarioResult(
        feature="Transfers <&>",
        name='A "quoted" <script>alert(1)</script> scenario',
        nodeid="tests/test_x.py::test_a",
        feature_file="features/x.feature",
        line=3,
        tags=["t4", "f5"],
        steps=[
            StepResult("Given", "the tenant", line=4, status="passed", background=True),
            StepResult("When", "the consumer says", line=5, status="passed", docstring="a\n<b>"),
            StepResult("Then", "it works", line=6, status="passed", datatable=[["x", "<y>"]]),
        ],
        conversations=[CONVERSATION],
        seed=42,
    )


def _failed() -> ScenarioResult:
    return ScenarioResult(
        feature="Failures",
        name="It fails",
        outcome="failed",
        nodeid="tests/test_x.py::test_b",
        feature_file="features/y.feature",
        line=9,
        message='ExpectationFailed: expected "<yes>"',
        longrepr="Traceback ...\nExpectationFailed: expected",
        steps=[
            StepResult("Then", "it fails", line=10, status="failed", message="boom <1>"),
            StepResult("And", "never runs", line=11),
        ],
        seed=42,
    )


def test_format_ms_is_hh_mm_ss_mmm_and_hours_may_exceed_a_day() -> None:
    assert format_ms(0) == "00:00:00.000"
    assert format_ms(3_723_004) == "01:02:03.004"
    assert format_ms(90 * 24 * 3_600_000 + 5) == "2160:00:00.005"


def test_the_page_is_self_contained_well_formed_and_escaped() -> None:
    html = render_report([_passed(), _failed()], seed=42)
    dom = _Dom(html)  # asserts every tag closes in order
    assert not dom.open
    assert dom.scripts == 0
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no network resources"
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "I want &lt;b&gt;a human&lt;/b&gt; &amp; more" in html
    assert "Transfers &lt;&amp;&gt;" in html
    assert "&lt;y&gt;" in html and "a\n&lt;b&gt;" in html  # datatable and docstring
    assert render_report([_passed(), _failed()], seed=42) == html  # deterministic


def test_summary_counts_seed_and_links() -> None:
    dom = _Dom(render_report([_passed(), _failed()], seed=42))
    counts = {e.text for e in dom.by_class("count")}
    assert {"2 scenarios", "1 passed", "1 failed", "1 with warnings"} <= counts
    assert "seed 42" in dom.by_class("seed")[0].text
    links = [e.attrs["href"] for e in dom.elements if e.tag == "a"]
    assert links == ["#s1", "#s2", "#rule-T4", "#rule-F5"]  # index, then the rule tags
    assert [e.attrs["id"] for e in dom.by_class("scenario")] == ["s1", "s2"]


def test_every_participant_has_its_own_bubble_colour_and_label() -> None:
    dom = _Dom(render_report([_passed()], seed=1))
    consumer = dom.by_class("bubble", "consumer")
    assert [b.text for b in consumer] == ["consumerI want <b>a human</b> & more"]
    bots = dom.by_class("bubble", "bot")
    agents = dom.by_class("bubble", "agent")
    assert {b.attrs["data-participant"] for b in bots} == {"Routing", "Savings"}
    assert [a.attrs["data-participant"] for a in agents] == ["Alice"]

    def palette(element: _Element) -> str:
        return next(c for c in element.classes if re.fullmatch(r"p\d", c))

    colours = {b.attrs["data-participant"]: palette(b) for b in bots + agents}
    assert len(set(colours.values())) == 3, colours
    assert "bot · Routing" in bots[0].text and "agent · Alice" in agents[0].text
    system = [b.text for b in dom.by_class("bubble", "system")]
    assert any("__agent_escalation_failed__" in t for t in system)
    assert any('connector sent "hi"' in t for t in system)
    assert {c.text for c in dom.by_class("chip")} >= {"consumer", "bot · Routing", "agent · Alice"}


def test_transfers_and_queue_waits_are_markers_on_the_time_axis() -> None:
    dom = _Dom(render_report([_passed()], seed=1))
    transfers = [m.text for m in dom.by_class("marker", "transfer")]
    assert any("transferred to skill" in t for t in transfers)
    queue = [m.text for m in dom.by_class("marker", "queue")]
    assert any("waits in the queue" in t for t in queue)
    assert any("left the queue" in t for t in queue)
    times = [e.text for e in dom.elements if e.tag == "time" and e.text]
    assert all(re.fullmatch(r"\d{2,}:\d{2}:\d{2}\.\d{3}", t) for t in times)
    assert "01:00:01.300" in times
    assert len(times) == len(CONVERSATION.entries)  # every bubble and marker has its time
    gaps = [g.text for g in dom.by_class("row-gap")]
    assert any("01:00:00.000 later" in g for g in gaps)


def test_warnings_late_messages_faults_and_errors_are_highlighted() -> None:
    dom = _Dom(render_report([_passed()], seed=1))
    late = dom.by_class("bubble", "late")
    assert len(late) == 1 and "Late words." in late[0].text and "late: sent" in late[0].text
    order = dom.by_class("alert", "order-dependent")
    assert len(order) == 1 and "order-dependent routing" in order[0].text
    assert dom.by_class("alert", "error") and not dom.by_class("alert", "fault")
    injected = dom.by_class("event", "fault", "injected")
    assert len(injected) == 1 and "injected fault" in injected[0].text
    assert _passed().alerts == 3  # order-dependent warning, late message, error (not the fault)
    assert dom.by_class("internal"), "dialog events are marked so the toggle can hide them"


def test_a_failed_escalation_is_drawn_apart_from_a_transfer() -> None:
    dom = _Dom(render_report([_passed()], seed=1))
    failed = dom.by_class("marker", "transfer", "failed")
    assert [m.text for m in failed] == ["✕ escalation failed (F1)"]
    done = [m for m in dom.by_class("marker", "transfer") if "failed" not in m.classes]
    assert [m.text for m in done] == ['⇄ transferred to skill "201" (Other)']


def test_rule_tags_link_to_the_rule_legend() -> None:
    dom = _Dom(render_report([_passed()], seed=1))
    links = {a.text: a.attrs["href"] for a in dom.by_class("tag", "rule")}
    assert links == {"@t4": "#rule-T4", "@f5": "#rule-F5"}
    legend = {e.attrs["id"]: e.text for e in dom.elements if e.tag == "dt"}
    assert legend["rule-T4"] == "T4" and legend["rule-F5"] == "F5" and len(legend) == 36


def test_the_failure_message_appears_once() -> None:
    result = _failed()
    result.steps[0].message = result.message
    html = render_report([result], seed=1)
    assert html.count("expected &quot;&lt;yes&gt;&quot;") == 1
    dom = _Dom(html)
    assert dom.by_class("step")[0].classes == {"step", "failed"}
    assert not dom.by_class("step-error")


def test_the_coverage_section_highlights_what_was_not_exercised() -> None:
    coverage = Coverage()
    bot = coverage.bots.setdefault("Front", BotCoverage())
    bot.items["dialogs"] |= {"Welcome", "Human"}
    bot.hit["dialogs"].add("Human")
    coverage.rules_seen({"F1"})
    dom = _Dom(render_report([_passed()], seed=1, coverage=coverage))
    assert dom.by_class("cov-total")[0].text == "50.0%"
    assert [e.text for e in dom.by_class("cov-item", "uncovered")] == ["Welcome"]
    assert [e.text for e in dom.by_class("cov-item", "covered")] == ["Human"]
    assert dom.by_class("cov-figure", "low")[0].text == "1/2"
    touched = [e for e in dom.elements if e.tag == "dt" and "untouched" not in e.classes]
    assert [e.text for e in touched] == ["F1"]


def test_a_failure_shows_its_message_and_the_step_statuses() -> None:
    dom = _Dom(render_report([_failed()], seed=1))
    section = dom.by_class("scenario", "failed")[0]
    assert section.attrs["data-outcome"] == "failed"
    assert dom.by_class("failure-message")[0].text == 'ExpectationFailed: expected "<yes>"'
    assert dom.by_class("longrepr")[0].text.startswith("Traceback")
    assert [s.classes for s in dom.by_class("step")] == [{"step", "failed"}, {"step", "not-run"}]
    assert dom.by_class("step-error")[0].text == "boom <1>"
    assert dom.by_class("empty")[0].text == "No conversation was started."


def test_results_travel_as_json() -> None:
    result = _passed()
    assert ScenarioResult.from_json(result.to_json()) == result
    assert render_report([], seed=None).count('class="scenario') == 0


# -- the plugin on the project's own suite ----------------------------------------------------------


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _summary_counts(output: str) -> dict[str, int]:
    last = output.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error)", last)}


@pytest.fixture(scope="module")
def suite_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The project's own suite, run once with the report (no xdist): its output and report."""
    report = tmp_path_factory.mktemp("suite") / "report.html"
    run = _run(["tests/test_features.py", *QUIET, *PLUGIN, "--sim-report", str(report)], ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout, report


def test_the_projects_suite_gives_one_section_per_scenario(
    suite_report: tuple[str, Path],
) -> None:
    output, report = suite_report
    assert f"simulator HTML report: {report}" in output
    counts = _summary_counts(output)
    html = report.read_text(encoding="utf-8")
    dom = _Dom(html)
    sections = dom.by_class("scenario")
    assert len(sections) == sum(counts.values())
    outcomes = [s.attrs["data-outcome"] for s in sections]
    assert outcomes.count("passed") == counts.get("passed", 0)
    names = {e.text for e in dom.by_class("scenario-name")}
    for feature in sorted((ROOT / "features").rglob("*.feature")):
        for line in feature.read_text(encoding="utf-8").splitlines():
            found = re.match(r"\s*Scenario(?: Outline)?:\s*(.+?)\s*$", line)
            if found:
                assert found.group(1) in names, found.group(1)
    assert dom.by_class("bubble", "consumer") and dom.by_class("bubble", "bot")
    assert dom.by_class("bubble", "agent") and dom.by_class("bubble", "system")
    assert dom.by_class("marker", "transfer") and dom.by_class("marker", "queue")
    assert dom.by_class("bubble", "late") and dom.by_class("alert", "order-dependent")
    assert "seed 20261123" in dom.by_class("seed")[0].text


def test_under_xdist_the_controller_writes_the_same_report(
    suite_report: tuple[str, Path], tmp_path: Path
) -> None:
    pytest.importorskip("xdist")
    _, serial = suite_report
    parallel = tmp_path / "parallel.html"
    run = _run(
        ["tests/test_features.py", *QUIET, *PLUGIN, "-n", "2", "--sim-report", str(parallel)], ROOT
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert parallel.read_text(encoding="utf-8") == serial.read_text(encoding="utf-8")


# -- a small project with a failing scenario, in a real browser ------------------------------------

TENANT = """\
skills: [{id: 1, name: Bots}, {id: 2, name: People}, {id: 200, name: Nobody}]
agents: [{id: 3, name: Pat, skills: [2]}]
bots:
  - name: Hasty
    dialogs:
      - name: Human
        starter: {patterns: ["agent"]}
        interactions:
          - text: "First, a few words."
          - text: "Our hours are 9 to 5 <b>&</b>."
          - name: transfer at once
            transfer: {skill_id: 2, message_to_user: "Connecting you now."}
      - name: Broken
        starter: {patterns: ["broken"]}
        interactions:
          - name: to nobody
            transfer: {skill_id: 200, message_to_user: "Trying."}
      - name: Transfer failed
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Sorry, no transfer."
connectors:
  - {bot: Hasty, skills: [1]}
"""

FEATURE = """\
Feature: Report demo
  @late
  Scenario: Late messages are flagged
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Hasty"
    And the consumer says "agent"
    Then the transcript contains "arrived after the transfer (T4)"
    When agent "Pat" says "Hi, Pat here."

  Scenario: A failing expectation
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Hasty"
    And the consumer says "agent"
    Then the bot replies "Something the bot never says"
    And the transcript contains "never checked"

  Scenario: A failed escalation
    Given the tenant "tenant.yaml"
    And the next transfer to skill "200" fails
    When the consumer opens a conversation with bot "Hasty"
    And the consumer says "broken"
    Then the bot replies "Sorry, no transfer."
"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("report_demo")
    (project / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    (project / "report_demo.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_report_demo.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("report_demo.feature")\n', encoding="utf-8"
    )
    run = _run([*QUIET, *PLUGIN, "--sim-report", "out/report.html"], project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 2 passed" in run.stdout
    return project / "out" / "report.html"


def test_a_failing_project_reports_the_failure(demo_report: Path) -> None:
    dom = _Dom(demo_report.read_text(encoding="utf-8"))
    failed = dom.by_class("scenario", "failed")
    assert len(failed) == 1 and "A failing expectation" in failed[0].text
    message = dom.by_class("failure-message")[0].text
    assert 'expected the bot to reply "Something the bot never says"' in message
    steps = [(s.classes - {"step"}, s.text) for s in dom.by_class("step")]
    assert ({"failed"}, steps[8][1]) == steps[8] and "Something the bot never says" in steps[8][1]
    assert steps[9][0] == {"not-run"}
    assert any("Our hours are 9 to 5 <b>&</b>." in b.text for b in dom.by_class("bubble", "late"))


def test_the_plugin_registers_once_when_the_main_plugin_also_registers_it(tmp_path: Path) -> None:
    (tmp_path / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    (tmp_path / "report_demo.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "test_report_demo.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("report_demo.feature")\n', encoding="utf-8"
    )
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            from simulator.report.pytest_report import HtmlReportPlugin, add_report_option

            def pytest_addoption(parser):
                add_report_option(parser.getgroup("cb-simulator"))

            def pytest_configure(config):
                if config.getoption("--sim-report"):
                    config.pluginmanager.register(
                        HtmlReportPlugin(config), "cb-simulator-html-report"
                    )
            """
        ),
        encoding="utf-8",
    )
    for extra in ([], PLUGIN):
        report = tmp_path / f"report{len(extra)}.html"
        run = _run([*QUIET, *extra, "--sim-report", str(report)], tmp_path)
        assert run.returncode == 1, run.stdout + run.stderr
        assert run.stdout.count("simulator HTML report:") == 1
        assert len(_Dom(report.read_text(encoding="utf-8")).by_class("scenario")) == 3


def test_the_report_renders_in_a_headless_browser(demo_report: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip(
            "chromium is not installed (apt-get install -y chromium); browser check skipped"
        )
    run = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            demo_report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    dom = _Dom(run.stdout)
    names = {e.text for e in dom.by_class("scenario-name")}
    assert names == {"Late messages are flagged", "A failing expectation", "A failed escalation"}
    assert dom.by_class("bubble", "consumer") and dom.by_class("bubble", "agent")
    assert any(b.attrs.get("data-participant") == "Hasty" for b in dom.by_class("bubble", "bot"))
    late = dom.by_class("bubble", "late")
    assert late and all("late: sent at" in b.text for b in late)
    system = [b.text for b in dom.by_class("bubble", "system")]
    assert any("__agent_escalation_failed__" in t for t in system)
    assert dom.by_class("marker", "transfer")
    assert dom.by_class("marker", "transfer", "failed"), "a failed escalation is drawn apart"
    assert any(e.attrs.get("id") == "rule-F1" for e in dom.elements), "the rule legend"
    failure = dom.by_class("failure-message")
    assert len(failure) == 1
    assert 'expected the bot to reply "Something the bot never says"' in failure[0].text
    assert "1 failed" in {e.text for e in dom.by_class("count")}
