"""The bad-input corpus (issue 8, item 4): every malformed input fails with one clear UserError.

Each file under ``tenants/``, ``exports/``, ``features/`` and ``steps/`` is one case; its
expected message fragment is in ``expected.yaml`` (see README.md). Tenant and export files load
through the Simulator API and must raise ``simulator.errors.UserError`` (never another exception
type) whose message holds the fragment, names the file and shows no Python traceback. Feature
files run through pytest (pytester) and the fragment must be in its output, with no traceback.
Huge files and alias bombs are generated at test time in ``tmp_path``. Nothing in the corpus
folder may change while this module runs, and loading must not create files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

import simulator.steps.imports
import simulator.steps.library
import simulator.steps.routing  # noqa: F401
from simulator.errors import UserError
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY, call

CORPUS = Path(__file__).parent
KINDS = ("tenants", "exports", "features", "steps")
SUFFIXES = {
    "tenants": (".yaml", ".yml", ".json"),
    "exports": (".json",),
    "features": (".feature",),
    "steps": (".yaml",),
}


def _load_expected() -> dict[str, Any]:
    """``expected.yaml`` plus any ``expected_*.yaml`` beside it (one per group of cases)."""
    merged: dict[str, Any] = {}
    for sidecar in sorted(CORPUS.glob("expected*.yaml")):
        part = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        twice = sorted(part.keys() & merged.keys())
        assert not twice, f"{sidecar.name} repeats cases declared elsewhere: {twice}"
        merged.update(part)
    return merged


EXPECTED: dict[str, Any] = _load_expected()

#: What Python or pytest print for a traceback: the header, or pytest's "file.py:12: in f" and
#: "file.py:12: ValueError" frame lines.
TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*File \"[^\"]+\", line \d+"
    r"|^\S+\.py:\d+: (?:in \S+|\w*(?:Error|Exception)\b)",
    re.MULTILINE,
)


def _entries(kind: str) -> list[Path]:
    folder = CORPUS / kind
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(SUFFIXES[kind]))


def _key(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _expect(path: Path) -> tuple[str, str]:
    """The expected fragment and the name of the file the message must name."""
    value = EXPECTED[_key(path)]
    if isinstance(value, dict):
        return str(value["expect"]), Path(str(value["names"])).name
    return str(value), path.name


def _params(kind: str) -> list[Any]:
    return [pytest.param(p, id=p.name) for p in _entries(kind)]


# -- the corpus folder must not change ---------------------------------------------------
def _snapshot() -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every corpus file (bytecode caches excepted)."""
    result: dict[str, tuple[str, int]] = {}
    for root, dirs, files in os.walk(CORPUS):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", ".pytest_cache")]
        for name in files:
            path = Path(root) / name
            data = path.read_bytes()
            result[_key(path)] = (hashlib.sha256(data).hexdigest(), path.stat().st_mtime_ns)
    return result


@pytest.fixture(scope="module", autouse=True)
def corpus_unchanged() -> Iterator[dict[str, tuple[str, int]]]:
    before = _snapshot()
    yield before
    after = _snapshot()
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    assert after.keys() == before.keys() and not changed, (
        f"the corpus changed on disk: created {sorted(after.keys() - before.keys())},"
        f" deleted {sorted(before.keys() - after.keys())}, modified {changed}"
    )


def _listing(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


def _check_user_error(error: BaseException, fragment: str, file_name: str | None) -> None:
    assert isinstance(error, UserError), (
        f"expected a UserError, got {type(error).__name__}: {error}"
    )
    message = str(error)
    assert fragment in message, f"expected {fragment!r} in the message:\n{message}"
    if file_name is not None:
        assert file_name in message, f"the message does not name {file_name}:\n{message}"
    assert not TRACEBACK.search(message), f"traceback text in the message:\n{message}"


def _load_raises(path: Path, tmp_path: Path) -> BaseException:
    """Load a tenant file and return what it raised; nothing may appear on disk."""
    corpus_before = _listing(CORPUS)
    tmp_before = _listing(tmp_path)
    try:
        Simulator(base_dir=tmp_path).load(path)
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        error: BaseException = exc
    else:
        pytest.fail(f"{path.name} loaded without an error")
    assert _listing(CORPUS) == corpus_before, "loading created files in the corpus"
    assert _listing(tmp_path) == tmp_before, "loading created files"
    return error


# -- bookkeeping -------------------------------------------------------------------------
def test_every_corpus_file_declares_one_expected_fragment() -> None:
    files = {_key(p) for kind in KINDS for p in _entries(kind)}
    assert sorted(files - EXPECTED.keys()) == [], "corpus files without an expected fragment"
    assert sorted(EXPECTED.keys() - files) == [], "expected.yaml names files that do not exist"
    for key, value in EXPECTED.items():
        fragment = value["expect"] if isinstance(value, dict) else value
        assert isinstance(fragment, str) and fragment.strip(), key
    assert len(files) >= 60


# -- tenant files ------------------------------------------------------------------------
@pytest.mark.parametrize("path", _params("tenants"))
def test_bad_tenant(path: Path, tmp_path: Path) -> None:
    fragment, names = _expect(path)
    _check_user_error(_load_raises(path, tmp_path), fragment, names)


# -- Conversation Builder exports --------------------------------------------------------
def _load_export_raises(path: Path, tmp_path: Path) -> BaseException:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(f"bots:\n  - export: {json.dumps(str(path))}\n", encoding="utf-8")
    return _load_raises(tenant, tmp_path)


@pytest.mark.parametrize("path", _params("exports"))
def test_bad_export(path: Path, tmp_path: Path) -> None:
    fragment, names = _expect(path)
    _check_user_error(_load_export_raises(path, tmp_path), fragment, names)


# -- step arguments, run in-process ------------------------------------------------------
@pytest.mark.parametrize("path", _params("steps"))
def test_bad_step_argument(path: Path) -> None:
    fragment, names = _expect(path)
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    corpus_before = _listing(CORPUS)
    sim = Simulator(base_dir=path.parent)
    sim.search_dirs = [path.parent]
    if spec.get("tenant"):
        sim.load(path.parent / spec["tenant"])
    steps = [s if isinstance(s, dict) else {"step": s} for s in spec["steps"]]
    for index, step in enumerate(steps):
        match = REGISTRY.match(step["step"])
        assert match is not None, f'the corpus uses an undefined step "{step["step"]}"'
        last = index == len(steps) - 1
        try:
            call(match, sim, step.get("table"), step.get("docstring"))
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)) or not last:
                raise
            _check_user_error(
                exc, fragment, names if isinstance(EXPECTED[_key(path)], dict) else None
            )
            break
        else:
            if last:
                pytest.fail(f'the last step "{step["step"]}" did not raise')
    assert _listing(CORPUS) == corpus_before, "running the steps created files in the corpus"


# -- feature files, run through pytest ---------------------------------------------------
def _stem(path: Path) -> str:
    return "test_" + re.sub(r"\W", "_", path.stem)


@pytest.fixture(scope="module")
def feature_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Run every corpus feature in one pytest subprocess (one test module per feature, in a
    temporary project) and return what pytest reported for each, keyed by feature file name."""
    project = tmp_path_factory.mktemp("feature_project")
    features = _entries("features")
    for path in features:
        (project / f"{_stem(path)}.py").write_text(
            f"from pytest_bdd import scenarios\n\nscenarios({str(path)!r})\n", encoding="utf-8"
        )
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    report = project / "report.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--continue-on-collection-errors",
            f"--junitxml={report}",
            "-o",
            "junit_family=xunit1",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.exists(), done.stdout + done.stderr
    root = ElementTree.parse(report).getroot()
    outputs: dict[str, list[str]] = {p.name: [] for p in features}
    by_module = {_stem(p): p.name for p in features}
    for case in root.iter("testcase"):
        module = (case.get("classname") or case.get("name") or "").split(".")[0]
        name = by_module.get(module)
        if name is None:
            continue
        for child in case:
            outputs[name].append(f"[{child.tag}] {child.get('message') or ''}\n{child.text or ''}")
    # The terminal report has the same texts; keep it for the "nothing reported" case.
    return {
        name: "\n".join(texts) if texts else f"(nothing reported)\n{done.stdout}"
        for name, texts in outputs.items()
    }


@pytest.mark.parametrize("path", _params("features"))
def test_bad_feature(path: Path, feature_runs: dict[str, str]) -> None:
    fragment, _ = _expect(path)
    output = feature_runs[path.name]
    assert "[failure]" in output or "[error]" in output, f"{path.name} passed:\n{output}"
    assert fragment in output, f"expected {fragment!r} in the pytest output:\n{output}"
    found = TRACEBACK.search(output)
    assert found is None, f"traceback text ({found.group(0)!r}) in the pytest output:\n{output}"


# -- generated at test time: huge files, alias bombs, paths that are not files --------------
def test_huge_tenant_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("name: huge\n")
        line = "# " + "x" * 1000 + "\n"
        for _ in range(6 * 1024):
            out.write(line)
    assert path.stat().st_size > 5 * 1024 * 1024
    _check_user_error(_load_raises(path, tmp_path), "tenant files are limited to", path.name)


def test_huge_export_file(tmp_path: Path) -> None:
    path = tmp_path / "huge-export.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"bot": {"name": "Huge"}, "padding": "')
        chunk = "x" * (1024 * 1024)
        for _ in range(21):
            out.write(chunk)
        out.write('"}\n')
    _check_user_error(_load_export_raises(path, tmp_path), "exports are limited to", path.name)


def test_export_between_the_tenant_and_export_limits(tmp_path: Path) -> None:
    """A 6 MB export is within the 20 MB export limit: its real problem must be reported."""
    path = tmp_path / "six-mb-export.json"
    path.write_text(
        json.dumps({"groups": [], "padding": "x" * (6 * 1024 * 1024)}), encoding="utf-8"
    )
    _check_user_error(_load_export_raises(path, tmp_path), 'the key "bot" is missing', path.name)


def _alias_bomb(tmp_path: Path) -> Path:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("name: *a6")
    path = tmp_path / "alias-bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_yaml_alias_bomb_stops_after_a_bounded_number_of_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few hundred bytes of nested aliases expand to 10**7 values: refuse early.

    The bound is counted (values built), not timed, so machine load cannot make it flaky.
    """
    from simulator.tenant import yaml_source

    path = _alias_bomb(tmp_path)
    built = 0
    original = yaml_source._Builder.build

    def counting(self: Any, node: Any, where: Any) -> Any:
        nonlocal built
        built += 1
        return original(self, node, where)

    monkeypatch.setattr(yaml_source._Builder, "build", counting)
    with pytest.raises(UserError) as caught:
        Simulator().load(str(path))
    assert "alias" in str(caught.value) and path.name in str(caught.value)
    assert built <= yaml_source.MAX_VALUES + 1, f"built {built} values before refusing"


def test_yaml_alias_bomb_does_not_hang_a_process(tmp_path: Path) -> None:
    """The same load in a fresh process ends with the UserError (the timeout only guards)."""
    path = _alias_bomb(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        from simulator.errors import UserError
        from simulator.simulator import Simulator
        try:
            Simulator().load({str(path)!r})
        except UserError as exc:
            print("USERERROR", exc)
            sys.exit(0)
        print("NO USERERROR")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "alias" in done.stdout and path.name in done.stdout, done.stdout


def test_tenant_path_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "bank.yaml").write_text("{}\n", encoding="utf-8")
    error = _load_raises(tmp_path / "bnak.yaml", tmp_path)
    _check_user_error(error, 'file not found (did you mean "bank.yaml"?)', "bnak.yaml")


def test_tenant_path_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tenant.yaml"
    folder.mkdir()
    error = _load_raises(folder, tmp_path)
    _check_user_error(error, "expected a file but this is a folder", "tenant.yaml")
