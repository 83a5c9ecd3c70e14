"""``--sim-report PATH``: collect every scenario's result and write the HTML report.

Registration, either way:

* from the main plugin: ``add_report_option(group)`` in ``pytest_addoption`` and
  ``register_report_plugin(config)`` (or a plain ``config.pluginmanager.register(
  HtmlReportPlugin(config), PLUGIN_NAME)`` when ``--sim-report`` is given) in ``pytest_configure``;
* as a plugin module of its own: ``-p simulator.report.pytest_report``, through the module-level
  ``pytest_addoption`` and ``pytest_configure`` below. Both ways together are harmless.

Works with and without pytest-xdist: the process that runs a scenario (a worker, or the only
process) gathers its steps and conversations and ships them as JSON in the teardown report's
``user_properties``; the process that receives the reports (the controller, or the only
process) takes them out again and writes the file at the end of the session.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from simulator.coverage import Coverage
from simulator.pytest_plugin.keys import SIM_KEY

if TYPE_CHECKING:
    from simulator.report.html import ScenarioResult, StepResult

# The HTML side (``simulator.report.html``: result dataclasses and the renderer) is imported
# inside the functions that build results: the main plugin imports this module at every
# start-up to add ``--sim-report``, and a run without that option never needs the renderer.

OPTION = "--sim-report"
PLUGIN_NAME = "cb-simulator-html-report"
#: The coverage plugin's name (``simulator.pytest_plugin.coverage_plugin``).
COVERAGE_PLUGIN_NAME = "cb-simulator-coverage"
#: The ``user_properties`` name the scenario data travels under (removed again on arrival).
PROPERTY = "cb_simulator_report"


@dataclass
class _ScenarioState:
    """What the pytest-bdd hooks learn about the running scenario."""

    result: ScenarioResult
    step_ids: dict[int, int] = field(default_factory=dict)  # id(step) -> index in result.steps
    error: str = ""


@dataclass
class _Record:
    """What the receiving side learns about one test from its reports."""

    phases: dict[str, pytest.TestReport] = field(default_factory=dict)
    payload: str | None = None


_STATE = pytest.StashKey[_ScenarioState]()
#: The line pytest-xdist puts before a worker's failure ("[gw1] linux -- Python 3.11.7 ...").
_XDIST_HEADER = re.compile(r"^\[gw\d+\] [^\n]* -- Python [^\n]*\n", re.MULTILINE)


# -- registration ------------------------------------------------------------------------------


def _option_exists(group: pytest.OptionGroup) -> bool:
    groups: list[Any] = [group]
    parser = getattr(group, "parser", None)
    if parser is not None:  # the option may sit in another group of the same parser
        groups += [*getattr(parser, "_groups", []), getattr(parser, "_anonymous", None)]
    return any(OPTION in option.names() for g in groups if g is not None for option in g.options)


def add_report_option(group: pytest.OptionGroup) -> None:
    """Add ``--sim-report PATH`` to ``group``; does nothing if the option is already there."""
    if _option_exists(group):
        return
    with contextlib.suppress(ValueError):  # pytest's own duplicate check
        group.addoption(
            OPTION,
            action="store",
            default=None,
            metavar="PATH",
            help="write a self-contained HTML report of every scenario (steps, result,"
            " conversations drawn as chats on the virtual clock) to PATH",
        )


def register_report_plugin(config: pytest.Config) -> HtmlReportPlugin | None:
    """Register the report plugin if ``--sim-report`` was given and it is not registered yet."""
    if not config.getoption(OPTION, default=None):
        return None
    existing = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if existing is not None:
        return existing if isinstance(existing, HtmlReportPlugin) else None
    plugin = HtmlReportPlugin(config)
    config.pluginmanager.register(plugin, PLUGIN_NAME)
    return plugin


def pytest_addoption(parser: pytest.Parser) -> None:
    add_report_option(parser.getgroup("cb-simulator", "Conversation Builder simulator"))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # trylast: if the main plugin registers the report plugin itself, it has done so by now.
    register_report_plugin(config)


# -- helpers -----------------------------------------------------------------------------------


def _session_seed(config: pytest.Config) -> int | None:
    try:
        option = config.getoption("--sim-seed", default=None)
        if option is not None:
            return int(option)
        return int(str(config.getini("sim_seed")))
    except (ValueError, TypeError):
        return None


def _exception_message(error: BaseException) -> str:
    text = str(error)
    name = type(error).__name__
    return f"{name}: {text}" if text else name


def _step_result(step: Any) -> StepResult:
    from simulator.report.html import StepResult

    datatable = getattr(step, "datatable", None)
    rows: list[list[str]] | None = None
    if datatable is not None:
        try:
            rows = [[str(c) for c in row] for row in datatable.raw()]
        except Exception:
            rows = None
    docstring = getattr(step, "docstring", None)
    return StepResult(
        keyword=str(getattr(step, "keyword", "")).strip(),
        name=str(getattr(step, "name", "")),
        line=int(getattr(step, "line_number", 0) or 0),
        background=getattr(step, "background", None) is not None,
        docstring=None if docstring is None else str(docstring),
        datatable=rows,
    )


def _example_of(item: pytest.Item) -> dict[str, str]:
    callspec = getattr(item, "callspec", None)
    params = getattr(callspec, "params", {}) if callspec is not None else {}
    example = params.get("_pytest_bdd_example") if isinstance(params, dict) else None
    if isinstance(example, dict):
        return {str(k): str(v) for k, v in example.items()}
    return {}


def _new_result(item: pytest.Item, feature: Any, scenario: Any) -> ScenarioResult:
    tags = {str(t) for t in getattr(feature, "tags", set()) or set()}
    tags |= {str(t) for t in getattr(scenario, "tags", set()) or set()}
    from simulator.report.html import ScenarioResult

    return ScenarioResult(
        feature=str(getattr(feature, "name", "")),
        name=str(getattr(scenario, "name", item.name)),
        nodeid=item.nodeid,
        feature_file=str(getattr(feature, "rel_filename", "")),
        line=int(getattr(scenario, "line_number", 0) or 0),
        tags=sorted(tags),
        steps=[_step_result(s) for s in getattr(scenario, "steps", [])],
        example=_example_of(item),
    )


def scenario_template(item: pytest.Item) -> Any:
    """The pytest-bdd scenario (template) behind a test item, or None for other tests.

    pytest-bdd 8 keeps it in a registry keyed by the test function; older versions put it on
    the function as ``__scenario__``."""
    function = getattr(item, "obj", None)
    registry: Any = None
    with contextlib.suppress(ImportError):
        module = importlib.import_module("pytest_bdd.scenario")
        registry = getattr(module, "scenario_wrapper_template_registry", None)
    found: Any = None
    if registry is not None and function is not None:
        with contextlib.suppress(TypeError):  # not weak-referenceable: not a scenario function
            found = registry.get(function)
    return found if found is not None else getattr(function, "__scenario__", None)


def _state_for(item: pytest.Item) -> _ScenarioState | None:
    """The scenario state of an item; for a pytest-bdd scenario that never started (skipped,
    failed in setup) one is made from the scenario's template."""
    state = item.stash.get(_STATE, None)
    if state is not None:
        return state
    template = scenario_template(item)
    if template is None:
        return None
    scenario = template
    example = _example_of(item)
    if example:
        try:
            scenario = template.render(example)
        except Exception:
            scenario = template
    state = _ScenarioState(_new_result(item, template.feature, scenario))
    item.stash[_STATE] = state
    return state


def _step_index(state: _ScenarioState, step: Any) -> int:
    index = state.step_ids.get(id(step))
    if index is not None:
        return index
    name = str(getattr(step, "name", ""))
    line = int(getattr(step, "line_number", 0) or 0)
    for i, known in enumerate(state.result.steps):
        if known.name == name and known.line == line and known.status == "not run":
            state.step_ids[id(step)] = i
            return i
    state.result.steps.append(_step_result(step))
    state.step_ids[id(step)] = len(state.result.steps) - 1
    return len(state.result.steps) - 1


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(getattr(report, "wasxfail", "") or "")


def _outcome(phases: dict[str, pytest.TestReport]) -> tuple[str, pytest.TestReport | None]:
    """The scenario's outcome and the report that decided it."""
    ordered = [phases[w] for w in ("setup", "call", "teardown") if w in phases]
    for report in ordered:
        if report.failed:
            return ("failed" if report.when == "call" else "error"), report
    for report in ordered:
        if hasattr(report, "wasxfail"):
            return ("xfailed" if report.skipped else "xpassed"), report
    for report in ordered:
        if report.skipped:
            return "skipped", report
    return "passed", None


def _run_coverage(config: pytest.Config) -> Coverage | None:
    """The merged bot coverage of the run, when ``--sim-cov`` collects it (else None)."""
    plugin = config.pluginmanager.get_plugin(COVERAGE_PLUGIN_NAME)
    total = getattr(plugin, "total", None)
    return total if isinstance(total, Coverage) else None


# -- the plugin --------------------------------------------------------------------------------


class HtmlReportPlugin:
    """Collects scenario results through pytest-bdd's hooks and writes ``--sim-report PATH``."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        target = config.getoption(OPTION, default=None) or "sim-report.html"
        self.path = Path(config.invocation_params.dir) / Path(str(target)).expanduser()
        self.is_worker = hasattr(config, "workerinput")
        self.records: dict[str, _Record] = {}
        self.written: Path | None = None

    # -- pytest-bdd: the running scenario ---------------------------------------------------
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: Any, scenario: Any
    ) -> None:
        item = request.node
        state = _ScenarioState(_new_result(item, feature, scenario))
        state.step_ids = {id(s): i for i, s in enumerate(getattr(scenario, "steps", []))}
        item.stash[_STATE] = state

    def _state(self, request: pytest.FixtureRequest) -> _ScenarioState | None:
        node = request.node
        return _state_for(node) if isinstance(node, pytest.Item) else None

    def pytest_bdd_before_step(
        self, request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any
    ) -> None:
        state = self._state(request)
        if state is not None:
            _step_index(state, step)

    def pytest_bdd_after_step(
        self, request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any
    ) -> None:
        state = self._state(request)
        if state is not None:
            state.result.steps[_step_index(state, step)].status = "passed"

    def pytest_bdd_step_error(
        self,
        request: pytest.FixtureRequest,
        feature: Any,
        scenario: Any,
        step: Any,
        exception: BaseException,
    ) -> None:
        state = self._state(request)
        if state is not None:
            result = state.result.steps[_step_index(state, step)]
            result.status = "failed"
            result.message = _exception_message(exception)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_func_lookup_error(
        self,
        request: pytest.FixtureRequest,
        feature: Any,
        scenario: Any,
        step: Any,
        exception: BaseException,
    ) -> None:
        state = self._state(request)
        if state is not None:
            result = state.result.steps[_step_index(state, step)]
            result.status = "failed"
            result.message = f"undefined step: {step.keyword} {step.name}"

    def pytest_bdd_after_scenario(
        self, request: pytest.FixtureRequest, feature: Any, scenario: Any
    ) -> None:
        pass  # steps never reached keep "not run"; the outcome comes from the reports

    # -- the running side: attach the scenario to its teardown report -----------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        state = _state_for(item)
        if state is None:
            return report
        if call.excinfo is not None and not state.error and report.failed:
            state.error = _exception_message(call.excinfo.value)
        if report.when == "teardown":
            result = state.result
            simulator = item.stash.get(SIM_KEY, None)
            if simulator is not None:
                from simulator.report.html import ConversationResult

                result.seed = int(simulator.seed)
                result.conversations = [
                    ConversationResult.from_conversation(c) for c in simulator.conversations
                ]
            else:
                result.seed = _session_seed(item.config)
            result.message = state.error
            report.user_properties = [*report.user_properties, (PROPERTY, result.to_json())]
        return report

    # -- the receiving side ------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.is_worker:
            return  # xdist ships the report, properties included, to the controller
        record = self.records.setdefault(report.nodeid, _Record())
        if report.when == "setup":  # a rerun starts over
            record.phases = {}
        record.phases[str(report.when)] = report
        kept = []
        for name, value in report.user_properties:
            if name == PROPERTY:
                record.payload = str(value)
            else:
                kept.append((name, value))
        if len(kept) != len(report.user_properties):
            report.user_properties = kept  # junitxml and others need not carry it

    def results(self) -> list[ScenarioResult]:
        from simulator.report.html import ScenarioResult

        results = []
        for record in self.records.values():
            if record.payload is None:
                continue
            result = ScenarioResult.from_json(record.payload)
            outcome, decider = _outcome(record.phases)
            result.outcome = outcome
            if decider is not None and outcome in ("failed", "error", "xpassed"):
                longrepr = decider.longrepr
                text = decider.longreprtext
                if isinstance(longrepr, str) and longrepr:
                    result.message = longrepr  # the main plugin's already-short message
                elif not result.message and text:
                    lines = [line for line in text.splitlines() if line.strip()]
                    result.message = lines[-1] if lines else ""
                result.longrepr = _XDIST_HEADER.sub("", text)
            elif decider is not None:
                result.message = _skip_reason(decider)
            else:
                result.message = ""
            results.append(result)
        results.sort(key=ScenarioResult.sort_key)
        return results

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        from simulator.report.html import render_report

        html = render_report(
            self.results(), _session_seed(self.config), coverage=_run_coverage(self.config)
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(html, encoding="utf-8")
        self.written = self.path

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.written is not None:
            terminalreporter.write_sep("-", f"simulator HTML report: {self.written}")


__all__ = [
    "OPTION",
    "PLUGIN_NAME",
    "HtmlReportPlugin",
    "add_report_option",
    "register_report_plugin",
]
