"""``--sim-cov``: which dialogs, interactions, starters, rules, choices, escalations and failure
handlers of each bot (and which platform rules) the scenarios exercised.

Each scenario's ``Simulator`` owns a collector (``simulator.coverage.Coverage``) the bot runtime
feeds. The process that runs a scenario (an xdist worker, or the only process) adds the rule ids
of the scenario's tags and of its transcripts and ships the collector as JSON in the teardown
report's ``user_properties`` (the same road as the HTML report's data: xdist carries it to the
controller); the receiving process takes it out again, merges, and at the end prints the summary,
writes ``--sim-cov-json`` and applies ``--sim-cov-fail-under``.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from simulator.coverage import Coverage, rule_ids_from_tags, rules_in_transcripts
from simulator.pytest_plugin.keys import SIM_KEY
from simulator.report.pytest_report import scenario_template

PLUGIN_NAME = "cb-simulator-coverage"
#: The ``user_properties`` name a scenario's coverage travels under (removed on arrival).
PROPERTY = "cb_simulator_coverage"


def add_coverage_options(group: pytest.OptionGroup) -> None:
    group.addoption(
        "--sim-cov",
        action="store_true",
        default=False,
        help="report which dialogs, interactions, starters, question rules, choices,"
        " escalations, failure handlers and platform rules the scenarios exercised",
    )
    group.addoption(
        "--sim-cov-json",
        action="store",
        default=None,
        metavar="PATH",
        help="write the bot coverage as JSON to PATH (implies --sim-cov)",
    )
    group.addoption(
        "--sim-cov-fail-under",
        action="store",
        default=None,
        type=float,
        metavar="PERCENT",
        help="fail the run when the bot coverage is below PERCENT (implies --sim-cov)",
    )


def coverage_wanted(config: pytest.Config) -> bool:
    return bool(
        config.getoption("--sim-cov", default=False)
        or config.getoption("--sim-cov-json", default=None)
        or config.getoption("--sim-cov-fail-under", default=None) is not None
    )


def register_coverage_plugin(config: pytest.Config) -> CoveragePlugin | None:
    """Register the coverage plugin when one of the ``--sim-cov*`` options is given."""
    if not coverage_wanted(config):
        return None
    threshold = config.getoption("--sim-cov-fail-under", default=None)
    if threshold is not None and not 0 <= float(threshold) <= 100:
        raise pytest.UsageError(
            f"--sim-cov-fail-under is a percentage between 0 and 100, got {threshold}"
        )
    existing = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if isinstance(existing, CoveragePlugin):
        return existing
    plugin = CoveragePlugin(config)
    config.pluginmanager.register(plugin, PLUGIN_NAME)
    return plugin


def scenario_tags(item: pytest.Item) -> set[str]:
    """The Gherkin tags of a pytest-bdd scenario (feature and scenario), or its mark names."""
    template = scenario_template(item)
    tags: set[str] = set()
    if template is not None:
        tags |= {str(t) for t in getattr(template, "tags", set()) or set()}
        feature = getattr(template, "feature", None)
        tags |= {str(t) for t in getattr(feature, "tags", set()) or set()}
    tags |= {mark.name for mark in item.iter_markers()}
    return tags


class CoveragePlugin:
    """Collects each scenario's coverage and reports the merged figures."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.is_worker = hasattr(config, "workerinput")
        self.total = Coverage()
        raw = config.getoption("--sim-cov-json", default=None)
        self.json_path = (
            Path(config.invocation_params.dir) / Path(str(raw)).expanduser() if raw else None
        )
        threshold = config.getoption("--sim-cov-fail-under", default=None)
        self.fail_under = None if threshold is None else float(threshold)
        self.failed_threshold = False

    # -- the running side ------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when != "teardown":
            return report
        simulator = item.stash.get(SIM_KEY, None)
        if simulator is None:
            return report
        coverage = Coverage()
        coverage.merge(simulator.coverage)
        coverage.scenarios = 1
        coverage.rules_seen(rule_ids_from_tags(scenario_tags(item)))
        coverage.rules_seen(rules_in_transcripts(simulator.conversations))
        payload = json.dumps(coverage.to_dict(), sort_keys=True)
        report.user_properties = [*report.user_properties, (PROPERTY, payload)]
        return report

    # -- the receiving side ----------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.is_worker:
            return  # xdist ships the report, properties included, to the controller
        kept = []
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.total.merge(Coverage.from_dict(json.loads(str(value))))
            else:
                kept.append((name, value))
        if len(kept) != len(report.user_properties):
            report.user_properties = kept  # junitxml and others need not carry it

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        if self.json_path is not None:
            self.json_path.parent.mkdir(parents=True, exist_ok=True)
            self.json_path.write_text(self.total.to_json(), encoding="utf-8")
        if self.fail_under is not None and self.total.percent() < self.fail_under:
            self.failed_threshold = True
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        terminalreporter.write_sep("-", "simulator bot coverage")
        for line in self.total.summary_lines():
            terminalreporter.write_line(line)
        if self.json_path is not None:
            terminalreporter.write_line(f"coverage JSON: {self.json_path}")
        if self.failed_threshold:
            terminalreporter.write_line(
                f"FAIL: bot coverage {self.total.percent():.1f}% is below the required"
                f" {self.fail_under:g}% (--sim-cov-fail-under)",
                red=True,
                bold=True,
            )


__all__ = [
    "PLUGIN_NAME",
    "CoveragePlugin",
    "add_coverage_options",
    "coverage_wanted",
    "register_coverage_plugin",
]
