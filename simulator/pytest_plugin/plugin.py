"""pytest plugin (entry point ``pytest11``): a user's project needs no conftest.

One pytest-bdd step definition, matching any keyword, forwards every step the library knows to
the library's own matcher. Keeping pytest-bdd's registry at one entry keeps its per-step lookup
cheap; unknown steps fall through to pytest-bdd's lookup error, which this plugin turns into a
message with the nearest known steps.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from pytest_bdd import parsers, step
from pytest_bdd.exceptions import GherkinParseError

import simulator.steps.library
import simulator.steps.routing  # noqa: F401
from simulator.errors import (
    CorpusUnavailable,
    ExpectationFailed,
    SimulatorError,
    StepError,
)
from simulator.explore import ScriptedChooser, explore
from simulator.pytest_plugin.ci_reports import register_ci_reports
from simulator.pytest_plugin.coverage_plugin import add_coverage_options, register_coverage_plugin
from simulator.pytest_plugin.keys import DOCS_KEY, FAILED_STEP_KEY, FAKER_KEY, FREEZE_KEY, SIM_KEY
from simulator.report.pytest_report import add_report_option, register_report_plugin
from simulator.simulator import DEFAULT_SEED, Simulator
from simulator.steps import load_library
from simulator.steps.registry import REGISTRY, Match, call
from simulator.tenant.loader import DocumentCache
from simulator.timefreeze import SharedFreeze

load_library()


class LibraryParser(parsers.StepParser):
    """Matches exactly the steps of the library; hands the match to the step function."""

    def __init__(self) -> None:
        super().__init__("<cb-simulator step library>")

    def is_matching(self, name: str) -> bool:
        return REGISTRY.match(name) is not None

    def parse_arguments(self, name: str) -> dict[str, Any]:
        return {"sim_step": REGISTRY.match(name)}


@step(LibraryParser())
def _simulator_step(
    sim_step: Match,
    sim: Simulator,
    datatable: list[list[str]] | None = None,
    docstring: str | None = None,
) -> None:
    sim.scratch.setdefault("_replay", []).append((sim_step, datatable, docstring))
    try:
        call(sim_step, sim, datatable, docstring)
    except CorpusUnavailable as exc:
        pytest.skip(str(exc))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cb-simulator", "Conversation Builder simulator")
    group.addoption(
        "--sim-seed",
        action="store",
        default=None,
        type=int,
        help=f"seed of every random choice in scenarios (ini: sim_seed; default {DEFAULT_SEED})",
    )
    group.addoption(
        "--sim-all-orders",
        action="store_true",
        default=False,
        help="run every scenario under every order-dependent outcome (group store order,"
        " intent ties); scenarios tagged @all-orders always are",
    )
    group.addoption(
        "--sim-transcripts",
        action="store",
        default=None,
        metavar="DIR",
        help="write every scenario's transcript to DIR (one .txt per scenario)",
    )
    add_report_option(group)
    add_coverage_options(group)
    parser.addini("sim_seed", "seed of every random choice in scenarios", default=str(DEFAULT_SEED))


def _seed(config: pytest.Config) -> int:
    option = config.getoption("--sim-seed")
    if option is not None:
        return int(option)
    raw = config.getini("sim_seed")
    try:
        return int(str(raw))
    except ValueError:
        raise pytest.UsageError(f'sim_seed must be an integer, got "{raw}"') from None


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """The scenario's simulator: a fresh fake cloud, clock and seeded generator."""
    config = request.config
    root = Path(str(config.rootpath))
    simulator = Simulator(
        seed=_seed(config),
        base_dir=root,
        faker=_shared_faker(config),
        document_cache=_documents(config),
    )
    feature_dir = getattr(request.node, "_sim_feature_dir", None)
    simulator.search_dirs = [d for d in (feature_dir, root) if d is not None]
    request.node.stash[SIM_KEY] = simulator
    _freeze(config).follow(simulator)
    yield simulator
    out = request.config.getoption("--sim-transcripts")
    if out and simulator.conversations:
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        from simulator.pytest_plugin.feature_files import transcript_file_name

        path = target / transcript_file_name(request.node.nodeid)
        path.write_text(simulator.all_transcripts() + "\n", encoding="utf-8")


def _freeze(config: pytest.Config) -> SharedFreeze:
    freeze = config.stash.get(FREEZE_KEY, None)
    if freeze is None:
        freeze = config.stash[FREEZE_KEY] = SharedFreeze()
    return freeze


def _documents(config: pytest.Config) -> DocumentCache:
    cache = config.stash.get(DOCS_KEY, None)
    if cache is None:
        cache = config.stash[DOCS_KEY] = DocumentCache()
    return cache


def _shared_faker(config: pytest.Config) -> Any:
    faker = config.stash.get(FAKER_KEY, None)
    if faker is None:
        from faker import Faker

        faker = config.stash[FAKER_KEY] = Faker("en_US")
    return faker


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests that are not scenarios see real time: give it back if a scenario froze it.

    Scenarios ask for ``sim`` only when a step runs, so they are recognised by pytest-bdd's
    own parameter instead."""
    names = getattr(item, "fixturenames", ())
    if "sim" not in names and "_pytest_bdd_example" not in names:
        _freeze(item.config).release()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Real time again before pytest reports the session's duration."""
    freeze = session.config.stash.get(FREEZE_KEY, None)
    if freeze is not None:
        freeze.release()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    request.node._sim_feature_dir = Path(feature.filename).parent


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception
) -> None:
    request.node.stash[FAILED_STEP_KEY] = (
        f"{feature.rel_filename}:{step.line_number}: {step.keyword} {step.name}"
    )


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception
) -> None:
    suggestions = REGISTRY.suggestions(step.name)
    hint = (
        "\nThe nearest steps of the library are:\n  " + "\n  ".join(suggestions)
        if suggestions
        else "\nRun `simulator steps` for the catalogue."
    )
    raise StepError(
        f'undefined step "{step.keyword} {step.name}" at {feature.rel_filename}:{step.line_number}'
        f' (scenario "{scenario.name}").{hint}'
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    simulator = item.stash.get(SIM_KEY, None)
    if simulator is None or report.when != "call":
        return report
    if report.failed:
        text = simulator.all_transcripts() or "(no conversation was started)"
        report.sections.append(("simulator transcript", text))
        error = call.excinfo.value if call.excinfo is not None else None
        if isinstance(error, (SimulatorError, ExpectationFailed)):
            # The message says everything (a user's mistake, or a named platform failure such
            # as ConversationClosedError); a traceback into the library would only hide it.
            where = item.stash.get(FAILED_STEP_KEY, "")
            heading = f"step failed: {where}\n" if where else ""
            report.longrepr = f"{heading}{type(error).__name__}: {error}"
    return report


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Let go of the scenario's simulator once its three reports are made.

    The item outlives its test (pytest keeps every collected item to the end of the session), so
    a simulator left in its stash kept every scenario's cloud, bots and transcripts alive: at
    5,000 scenarios some 600,000 objects that the garbage collector walked again and again
    during the run and the interpreter freed one by one at exit (a sixth of a serial run's CPU,
    growing faster than the number of scenarios)."""
    try:
        return (yield)
    finally:
        if SIM_KEY in item.stash:
            del item.stash[SIM_KEY]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    simulator = item.stash.get(SIM_KEY, None)
    wanted = item.config.getoption("--sim-all-orders") or item.get_closest_marker("all_orders")
    if simulator is None or not wanted or not simulator.scratch.get("_replay"):
        return result
    _explore_orders(item, simulator)
    return result


def _explore_orders(item: pytest.Item, original: Simulator) -> None:
    steps = original.scratch["_replay"]

    def run(chooser: ScriptedChooser) -> None:
        replay = Simulator(
            seed=original.seed,
            base_dir=original.base_dir,
            faker=_shared_faker(item.config),
            document_cache=_documents(item.config),
        )
        replay.search_dirs = original.search_dirs
        replay.chooser = chooser
        _freeze(item.config).follow(replay)
        for match, table, doc in steps:
            call(match, replay, table, doc)

    outcomes = explore(run)
    failed = [o for o in outcomes if o.error is not None]
    summary = "\n".join(f"  {'FAILED' if o.error else 'passed'}: {o.describe()}" for o in outcomes)
    item.add_report_section("call", "all orders", f"{len(outcomes)} outcome(s):\n{summary}")
    if failed:
        first = failed[0]
        raise ExpectationFailed(
            f"the scenario depends on the order the platform happens to use: it fails in"
            f" {len(failed)} of {len(outcomes)} outcomes.\n{summary}\nfirst failure"
            f" ({first.describe()}): {first.error}"
        )


def _cpu_cores() -> int:
    """CPU cores this process may run on (its affinity where the platform tells it)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Cap ``-n N`` (pytest-xdist) at the CPU cores, with a warning line.

    Scenarios are CPU-bound (no I/O, no sleeping), so workers beyond the cores only add start-up
    time and memory: ``-n 64`` on 2 cores is slower than ``-n 2``. Runs before xdist's own
    hook, which turns the number into worker processes."""
    requested = getattr(config.option, "numprocesses", None)
    if not isinstance(requested, int) or isinstance(requested, bool):
        return  # no xdist, no -n, or "auto"/"logical" (xdist counts the cores itself)
    cores = _cpu_cores()
    if requested <= cores:
        return
    config.option.numprocesses = cores
    sys.stderr.write(
        f"cb-simulator: warning: -n {requested} asks for {requested} workers but this machine"
        f" has {cores} CPU core(s); running {cores} workers (scenarios are CPU-bound, more"
        " workers than cores only slow the run)\n"
    )


def pytest_configure(config: pytest.Config) -> None:
    _check_outputs(config)
    register_report_plugin(config)
    register_coverage_plugin(config)
    register_ci_reports(config)
    config.addinivalue_line("markers", "all_orders: run under every order-dependent outcome")


def _check_outputs(config: pytest.Config) -> None:
    """A bad --sim-transcripts or --sim-report path is a usage error before anything runs."""
    from simulator.errors import OutputPathError
    from simulator.files import check_output_dir, check_output_path

    base = Path(config.invocation_params.dir)
    try:
        out = config.getoption("--sim-transcripts", default=None)
        if out:
            check_output_dir(base / Path(str(out)).expanduser(), what="--sim-transcripts")
        for option in ("--sim-report", "--sim-cov-json"):
            report = config.getoption(option, default=None)
            if report:
                target = base / Path(str(report)).expanduser()
                check_output_path(target, what=option, create_folders=True)
    except OutputPathError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> bool:
    """Gherkin tags are labels (rule ids like @t3); register them so pytest does not warn."""
    name = tag.replace("-", "_")
    if not name:
        return True  # "@" alone: reported by check_feature_text when the file is parsed
    config = getattr(pytest.mark, "_config", None)
    if config is not None and name not in _registered_tags(config):
        # Once per tag name, not once per tagged scenario: every line lengthens the ini list
        # that pytest scans for each new mark name (and lists under --markers).
        _registered_tags(config).add(name)
        config.addinivalue_line("markers", f"{name}: Gherkin tag")
    mark = getattr(pytest.mark, name)
    mark(function)
    return True


_TAGS_KEY = pytest.StashKey[set[str]]()


def _registered_tags(config: pytest.Config) -> set[str]:
    tags = config.stash.get(_TAGS_KEY, None)
    if tags is None:
        tags = config.stash[_TAGS_KEY] = set()
    return tags


def _feature_file_in(tb: TracebackType | None) -> str | None:
    """The feature file pytest-bdd was reading when it failed (from its frames' locals)."""
    found = None
    while tb is not None:
        name = tb.tb_frame.f_locals.get("abs_filename")
        if isinstance(name, str):
            found = name
        tb = tb.tb_next
    return found


def feature_error_message(exc: BaseException) -> str | None:
    """What a failure of pytest-bdd while reading a feature file means, as one line that names
    the file and, where known, the line; None when ``exc`` is not such a failure."""
    if isinstance(exc, GherkinParseError):
        # pytest-bdd wraps messages it does not recognise in "Unknown parsing error: Parser
        # errors:\n(7:0): ..."; the position is already in file:line, the rest is noise.
        message = re.sub(r"^Unknown parsing error: Parser errors:\s*", "", exc.message)
        message = re.sub(r"^\(\d+:\d+\): ", "", message)
        return f"{exc.filename}:{exc.line}: {message}: {exc.line_content.strip()!r}"
    file = _feature_file_in(exc.__traceback__)
    if file is None:
        return None
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"{file}: the feature file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}"
            f" at offset {exc.start}); save it as UTF-8"
        )
    if isinstance(exc, KeyError):
        return f"{file}: the feature file is empty or has no Feature: line"
    if isinstance(exc, RecursionError):
        return f"{file}: the feature file is nested too deeply to parse"
    return None


class FeatureAwareModule(pytest.Module):
    """A test module whose ``scenarios(...)`` call reads feature files.

    pytest-bdd parses feature files while the module is imported, so a broken feature file
    would surface as a traceback from deep inside it. This turns those failures into one
    collection error that names the file, the line and what is wrong.
    """

    def _getobj(self) -> Any:
        # Importing it wraps pytest-bdd's feature parser (byte-order mark, repeated scenario
        # names, steps lost in descriptions) before the module's scenarios() reads a file.
        import simulator.pytest_plugin.feature_files  # noqa: F401

        try:
            return super()._getobj()  # type: ignore[no-untyped-call]
        except (GherkinParseError, UnicodeDecodeError, KeyError, RecursionError) as exc:
            message = feature_error_message(exc)
            if message is None:
                raise
            raise self.CollectError(message) from None


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    if module_path.name == "__init__.py":
        return None
    return FeatureAwareModule.from_parent(parent, path=module_path)
