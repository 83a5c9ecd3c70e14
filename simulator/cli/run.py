"""``simulator run``: feature files through pytest, without a test module in the user's project.

A throw-away test module in a temporary folder calls ``pytest_bdd.scenarios`` with the absolute
path of each feature file or folder; pytest then runs in a child process (so nothing of one run
leaks into the next) with the user's folder as rootdir, which is where the plugin resolves
relative paths of steps such as ``Given the tenant "fixtures/bank.yaml"``.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_FEATURES = "features"

#: pytest's own exit codes (pytest.ExitCode) and what ``simulator run`` returns for them.
_PYTEST_OK, _PYTEST_FAILED, _PYTEST_NO_TESTS = 0, 1, 5

_TAG_WORD = re.compile(r"@?(\w[\w\-.]*)")
_OPERATORS = {"and", "or", "not"}
_TAG_TOKEN = re.compile(r"\s*(?:(?P<paren>[()])|(?P<word>@?\w[\w\-.]*)|(?P<other>\S))")


@dataclass
class Summary:
    tests: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0

    @property
    def passed(self) -> int:
        return self.tests - self.failed - self.errors - self.skipped

    def render(self) -> str:
        noun = "scenario" if self.tests == 1 else "scenarios"
        parts = [f"{self.passed} passed"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.errors:
            parts.append(f"{self.errors} errors")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return f"{self.tests} {noun}: " + ", ".join(parts)


def tags_to_marks(expr: str) -> str:
    """``@smoke and not @slow-path`` -> ``smoke and not slow_path`` (pytest-bdd's mark names)."""

    def word(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.lower() in _OPERATORS and not m.group(0).startswith("@"):
            return name.lower()
        return name.replace("-", "_")  # as the plugin names the mark (dots stay)

    return _TAG_WORD.sub(word, expr)


def check_tag_expression(expr: str) -> None:
    """Refuse a malformed ``--tags`` expression before pytest sees it, with the column and
    what was expected there (pytest's own ``-m`` error names marks, not the user's tags).

    Grammar: ``expr := term (("and" | "or") term)*``, ``term := "not" term | "(" expr ")" |
    TAG``; a tag is ``@name`` or a bare name (letters, digits, ``_``, ``-``, ``.``)."""
    tokens: list[tuple[str, str, int]] = []  # (kind, text, column)
    for m in _TAG_TOKEN.finditer(expr):
        column = m.start(m.lastgroup or 0) + 1
        if m.group("other") is not None:
            raise UserError(
                f'--tags "{expr}": unexpected character "{m.group("other")}" at column {column}'
                " (a tag is @name with letters, digits, _, - or .; combine tags with and, or,"
                " not and parentheses)"
            )
        text = m.group("paren") or m.group("word")
        low = text.lower()
        kind = text if text in "()" else ("op" if low in _OPERATORS else "tag")
        tokens.append((kind, low if kind == "op" else text, column))
    pos = 0

    def fail(expected: str) -> UserError:
        if pos < len(tokens):
            _, text, column = tokens[pos]
            found = f'found "{text}" at column {column}'
        else:
            found = "the expression ends there"
        return UserError(f'--tags "{expr}": expected {expected}, but {found}')

    def term() -> None:
        nonlocal pos
        if pos < len(tokens) and tokens[pos][:2] == ("op", "not"):
            pos += 1
            term()
        elif pos < len(tokens) and tokens[pos][0] == "(":
            pos += 1
            expression()
            if pos >= len(tokens) or tokens[pos][0] != ")":
                raise fail('")" to close the "("')
            pos += 1
        elif pos < len(tokens) and tokens[pos][0] == "tag":
            pos += 1
        else:
            raise fail('a tag (like @smoke), "not" or "("')

    def expression() -> None:
        nonlocal pos
        term()
        while pos < len(tokens) and tokens[pos][0] == "op" and tokens[pos][1] != "not":
            pos += 1
            term()

    if not tokens:
        raise UserError('--tags "": the expression is empty; give tags like "@smoke and not @slow"')
    expression()
    if pos < len(tokens):
        raise fail('"and" or "or" between two tags')


def feature_targets(paths: list[str], cwd: Path) -> list[Path]:
    """Check the given paths and return them absolute; default to features/."""
    if not paths:
        default = cwd / DEFAULT_FEATURES
        if not default.is_dir():
            raise UserError(
                f"no {DEFAULT_FEATURES}/ folder in {cwd}: give the feature files or folders to"
                " run, e.g. simulator run path/to/scenarios"
            )
        paths = [DEFAULT_FEATURES]
    targets: list[Path] = []
    for raw in paths:
        path = Path(raw)
        full = _feature_path(raw, path if path.is_absolute() else cwd / path)
        if full.is_dir():
            if not any(full.rglob("*.feature")):
                raise UserError(f"{raw}: the folder holds no .feature files")
        elif full.suffix != ".feature":
            raise UserError(
                f"{raw}: not a feature file (expected a .feature file or a folder of them)"
            )
        targets.append(full)
    return targets


def _feature_path(raw: str, path: Path) -> Path:
    """The absolute path of a feature file or folder; anything else is one clear error.

    A FIFO or device named ``x.feature`` would make pytest block or read forever, and a
    symbolic-link loop would surface as a Python error; they are refused here.
    """
    from simulator.files import kind_of

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"{raw}: no such file or folder") from None
    except OSError as exc:
        problem = "a symbolic link loop" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
        raise UserError(f"{raw}: cannot read it: {problem}") from None
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise UserError(
            f"{raw}: expected a .feature file or a folder, but this is {kind_of(info.st_mode)}"
        )
    return Path(os.path.realpath(path))


def find_config(cwd: Path) -> Path | None:
    """The pytest configuration file of the user's project, as pytest would find it."""
    for folder in (cwd, *cwd.parents):
        for name, marker in (
            ("pytest.ini", None),
            (".pytest.ini", None),
            ("pyproject.toml", "[tool.pytest"),
            ("tox.ini", "[pytest]"),
            ("setup.cfg", "[tool:pytest]"),
        ):
            candidate = folder / name
            if not candidate.is_file():
                continue
            if marker is None:
                return candidate
            try:
                if marker in candidate.read_text(encoding="utf-8", errors="replace"):
                    return candidate
            except OSError:
                continue
    return None


#: A tiny plugin of the child pytest that records each scenario's outcome for the summary.
SUMMARY_PLUGIN = "_simulator_run_summary"
SUMMARY_ENV = "SIMULATOR_RUN_SUMMARY"
_SUMMARY_SOURCE = f'''"""Generated by `simulator run`: outcome of each scenario, for the summary line."""

import json
import os

_OUTCOMES = {{}}
_RANK = {{"passed": 0, "skipped": 1, "failed": 2, "error": 3}}


def pytest_runtest_logreport(report):
    if report.when == "call" or report.failed or report.skipped:
        if report.failed:
            outcome = "failed" if report.when == "call" else "error"
        elif report.skipped:
            outcome = "skipped"
        else:
            outcome = "passed"
        old = _OUTCOMES.get(report.nodeid)
        if old is None or _RANK[outcome] > _RANK[old]:
            _OUTCOMES[report.nodeid] = outcome


def pytest_collection_modifyitems(items):
    # The test module is a temporary file: name each test after its feature file instead, so
    # the terminal, JUnit XML (classname) and --sim-report say where the scenario lives.
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry as registry
    except ImportError:
        registry = {{}}
    try:
        from _pytest.nodeid import coerce_node_id as _coerce
    except ImportError:
        _coerce = None
    for item in items:
        function = getattr(item, "obj", None)
        try:
            scenario = registry.get(function) or getattr(function, "__scenario__", None)
        except TypeError:
            scenario = None
        feature = getattr(scenario, "feature", None)
        where = getattr(feature, "rel_filename", None)
        if where:
            nodeid = where.replace(os.sep, "/") + "::" + item.name
            if _coerce is not None and hasattr(item, "_id"):
                item._id = _coerce(nodeid)  # pytest 9: a structured id
            else:
                item._nodeid = nodeid


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller sees every report
    target = os.environ.get("{SUMMARY_ENV}")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            json.dump(_OUTCOMES, out)
'''


def write_test_module(folder: Path, targets: list[Path], cwd: Path) -> Path:
    (folder / f"{SUMMARY_PLUGIN}.py").write_text(_SUMMARY_SOURCE, encoding="utf-8")
    module = folder / "test_simulator_features.py"
    listed = ",\n".join(f"    {str(t)!r}" for t in targets)
    module.write_text(
        '"""Generated by `simulator run`; collects the given feature files."""\n\n'
        "from pytest_bdd import scenarios\n\n"
        f"scenarios(\n{listed},\n    features_base_dir={str(cwd)!r},\n)\n",
        encoding="utf-8",
    )
    return module


def pytest_command(
    args: argparse.Namespace, module: Path, config: Path, cwd: Path, extra: list[str]
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(module),
        "--rootdir",
        str(cwd),
        "-c",
        str(config),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-p",
        SUMMARY_PLUGIN,
    ]
    if args.quiet:
        command += ["-q", "--no-header"]
    else:
        command += ["--gherkin-terminal-reporter", "-v"]
    if (cwd / "conftest.py").is_file():
        # The temporary test module is outside the project, so pytest would not find the
        # project's conftest.py (custom steps, fixtures); load it as a plugin instead.
        command += ["-p", "conftest"]
    if args.tags and args.tags.strip():
        command += ["-m", tags_to_marks(args.tags)]
    if args.seed is not None:
        command += ["--sim-seed", str(args.seed)]
    if args.workers is not None:
        command += ["-n", str(args.workers)]
    if args.transcripts:
        out = Path(args.transcripts)
        command += ["--sim-transcripts", str(out if out.is_absolute() else cwd / out)]
    return command + coverage_options(args, cwd) + extra


def coverage_options(args: argparse.Namespace, cwd: Path) -> list[str]:
    """``--cov``, ``--cov-json PATH`` and ``--cov-fail-under PERCENT`` as the plugin's
    ``--sim-cov*`` options (see ``simulator.pytest_plugin.coverage_plugin``)."""
    options: list[str] = []
    if getattr(args, "cov", False):
        options.append("--sim-cov")
    cov_json = getattr(args, "cov_json", None)
    if cov_json:
        out = Path(cov_json).expanduser()
        options.append(f"--sim-cov-json={out if out.is_absolute() else cwd / out}")
    fail_under = getattr(args, "cov_fail_under", None)
    if fail_under is not None:
        options.append(f"--sim-cov-fail-under={fail_under:g}")
    return options


def read_summary(path: Path) -> Summary | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts = Counter(str(v) for v in data.values())
    return Summary(
        tests=sum(counts.values()),
        failed=counts["failed"],
        errors=counts["error"],
        skipped=counts["skipped"],
    )


def _option_values(extra: list[str], option: str) -> list[str]:
    """Values of ``option`` among the pytest arguments (``--opt V`` or ``--opt=V``)."""
    found: list[str] = []
    for index, arg in enumerate(extra):
        if arg == option and index + 1 < len(extra):
            found.append(extra[index + 1])
        elif arg.startswith(option + "="):
            found.append(arg.split("=", 1)[1])
    return found


def check_outputs(args: argparse.Namespace, extra: list[str], cwd: Path) -> None:
    """Check every output path before pytest starts, so a bad one is one error, not a crash
    after the whole run (policy: ``simulator.files``)."""
    from simulator.files import check_output_dir, check_output_path

    def absolute(raw: str) -> Path:
        path = Path(raw).expanduser()
        return path if path.is_absolute() else cwd / path

    if args.transcripts:
        check_output_dir(absolute(args.transcripts), what="--transcripts")
    for raw in _option_values(extra, "--sim-transcripts"):
        check_output_dir(absolute(raw), what="--sim-transcripts")
    for raw in _option_values(extra, "--sim-report"):
        check_output_path(absolute(raw), what="--sim-report", create_folders=True)
    for raw in _option_values(extra, "--sim-cov-json"):
        check_output_path(absolute(raw), what="--sim-cov-json", create_folders=True)
    cov_json = getattr(args, "cov_json", None)
    if cov_json:
        check_output_path(absolute(cov_json), what="--cov-json", create_folders=True)


def run_command(args: argparse.Namespace, extra: list[str]) -> int:
    cwd = Path.cwd()
    if args.tags and args.tags.strip():
        check_tag_expression(args.tags)
    targets = feature_targets(list(args.paths), cwd)
    check_outputs(args, extra, cwd)
    if args.workers is not None and importlib.util.find_spec("xdist") is None:
        raise UserError(
            "-n needs pytest-xdist, which is not installed: pip install pytest-xdist"
            ' (or pip install "cb-simulator[test]"), or run without -n'
        )
    folder = Path(tempfile.mkdtemp(prefix="simulator-run-"))
    try:
        module = write_test_module(folder, targets, cwd)
        report = folder / "summary.json"
        config = find_config(cwd)
        if config is None:
            # An empty configuration, so pytest does not pick up one above the temp folder.
            config = folder / "pytest.ini"
            config.write_text("[pytest]\n", encoding="utf-8")
        command = pytest_command(args, module, config, cwd, extra)
        env = dict(os.environ)
        env.pop("PYTEST_ADDOPTS", None)
        env[SUMMARY_ENV] = str(report)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(folder), str(cwd), env.get("PYTHONPATH", "")) if p
        )
        started = time.monotonic()
        sys.stdout.flush()
        sys.stderr.flush()
        code = subprocess.call(command, cwd=cwd, env=env)
        elapsed = time.monotonic() - started
        summary = read_summary(report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seed = f", seed {args.seed}" if args.seed is not None else ""
    collected_nothing = summary is not None and summary.tests == 0 and code == _PYTEST_OK
    if code == _PYTEST_NO_TESTS or collected_nothing:
        why = f' matched --tags "{args.tags}"' if args.tags else " was found"
        print(f"simulator run: no scenario{why}", file=sys.stderr)
        return EXIT_USAGE
    if summary is not None and (summary.tests or code in (_PYTEST_OK, _PYTEST_FAILED)):
        print(f"simulator run: {summary.render()} in {elapsed:.2f}s{seed}")
    if code == _PYTEST_OK:
        return EXIT_OK
    if code == _PYTEST_FAILED:
        return EXIT_FAILED
    print(
        f"simulator run: pytest stopped with exit code {code} (usage error, interruption or"
        " collection error: see above)",
        file=sys.stderr,
    )
    return EXIT_USAGE
