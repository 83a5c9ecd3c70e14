"""Feature files, ``simulator run`` options and ``simulator chat`` input that used to crash or
lose work silently (issue 11, section 4): a byte-order mark, repeated scenario names,
colliding transcript file names, malformed ``--tags``, a closed standard input, ``/save`` of
what a step cannot express."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.cli.run import check_tag_expression, tags_to_marks
from simulator.errors import UserError
from simulator.pytest_plugin.feature_files import transcript_file_name

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
BANK = (ROOT / "tests" / "bad_inputs" / "features" / "_support" / "bank.yaml").read_text(
    encoding="utf-8"
)

GREETING = """\
Feature: Greeting
  Scenario: {name}
    Given the tenant "bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    Then the bot replies "{reply}"
"""


def _project(folder: Path, features: dict[str, str], *, bom: bool = False) -> Path:
    (folder / "bank.yaml").write_text(BANK, encoding="utf-8")
    (folder / "features").mkdir(exist_ok=True)
    for name, text in features.items():
        data = text.encode("utf-8")
        (folder / "features" / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    (folder / "test_bad_input_project.py").write_text(  # a name no suite module uses
        "from pytest_bdd import scenarios\n\nscenarios('features')\n", encoding="utf-8"
    )
    return folder


# -- a UTF-8 byte-order mark -----------------------------------------------------------------
def test_a_feature_file_with_a_byte_order_mark_runs_under_pytest(pytester: pytest.Pytester) -> None:
    feature = GREETING.format(name="hello", reply="Hello! I am the routing bot.")
    _project(pytester.path, {"bom.feature": feature}, bom=True)
    assert (pytester.path / "features" / "bom.feature").read_bytes().startswith(b"\xef\xbb\xbf")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)


def test_a_feature_file_with_a_byte_order_mark_runs_with_simulator_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    feature = GREETING.format(name="hello", reply="Hello! I am the routing bot.")
    _project(tmp_path, {"bom.feature": feature}, bom=True)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "features", "-q"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out


# -- two scenarios with the same name ----------------------------------------------------------
TWINS = """\
Feature: Twins
  Background:
    Given the tenant "bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"

  Scenario: Greeting
    Then the bot replies "this reply never comes"

  Scenario: Greeting
    Then the bot replies "Hello! I am the routing bot."
"""


def test_scenarios_with_the_same_name_both_run_with_distinct_ids(
    pytester: pytest.Pytester,
) -> None:
    _project(pytester.path, {"twins.feature": TWINS})
    result = pytester.runpytest("-p", "no:randomly", "-v")
    # Before: pytest-bdd kept only the last one, so the failing first scenario was never run.
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_greeting FAILED*", "*test_greeting_line_10 PASSED*"], consecutive=False
    )


def test_three_scenarios_with_the_same_name_all_run(pytester: pytest.Pytester) -> None:
    body = "".join(
        f'\n  Scenario: Same\n    Then the bot replies "{reply}"\n'
        for reply in ("Hello! I am the routing bot.", "What is your name?", "nope")
    )
    feature = TWINS.split("\n  Scenario:")[0] + "\n" + body
    _project(pytester.path, {"three.feature": feature})
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2, failed=1)


# -- transcript file names ----------------------------------------------------------------------
COLLIDING = ["a b", "a_b", "a/b", "A B", "a.b", "x" * 300]


def _colliding_feature() -> str:
    scenarios = "".join(
        f'\n  Scenario: {name}\n    Given the tenant "bank.yaml"\n'
        '    When the consumer opens a conversation with bot "Routing"\n'
        f'    And the consumer says "hi {index}"\n'
        for index, name in enumerate(COLLIDING)
    )
    return "Feature: Names\n" + scenarios


def test_transcript_file_names_are_unique_stable_and_short() -> None:
    ids = [f"test_x.py::test_{n}" for n in ("a_b", "a_b_1", "A_B")] + ["t.py::" + "y" * 500]
    names = [transcript_file_name(i) for i in ids]
    assert len(set(names)) == len(names)
    assert len({n.lower() for n in names}) == len(names)  # case-insensitive file systems
    assert names == [transcript_file_name(i) for i in ids]  # deterministic
    assert all(len(n) < 128 and "/" not in n for n in names)
    # the same slug, different ids: the hash keeps them apart
    assert transcript_file_name("a/b").startswith("a_b-")
    assert transcript_file_name("a/b") != transcript_file_name("a_b")


@pytest.mark.parametrize("workers", [None, "2"])
def test_colliding_scenario_names_get_one_transcript_each(
    tmp_path: Path, workers: str | None
) -> None:
    project = _project(tmp_path, {"names.feature": _colliding_feature()})
    runs = []
    for label in ("first", "second"):
        out = project / label
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += ["-n", workers] if workers else ["-p", "no:xdist"]
        done = subprocess.run(
            [*command, f"--sim-transcripts={out}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        files = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
        assert len(files) == len(COLLIDING), sorted(files)
        said = sorted(
            line.split("consumer: ")[1]
            for text in files.values()
            for line in text.splitlines()
            if "consumer: hi" in line
        )
        assert said == sorted(f"hi {i}" for i in range(len(COLLIDING)))
        runs.append(files)
    assert runs[0] == runs[1]  # same names, same bytes


# -- simulator run --tags ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ("@a and (", 'expected a tag (like @smoke), "not" or "(", but the expression ends there'),
        ("@a @b", 'expected "and" or "or" between two tags, but found "@b" at column 4'),
        ("and @a", 'but found "and" at column 1'),
        ("(@a or @b", 'expected ")" to close the "("'),
        ("@a)", 'found ")" at column 3'),
        ("@a,@b", 'unexpected character "," at column 3'),
        ("@a or or @b", 'found "or" at column 7'),
        ("not", "the expression ends there"),
        ("@a && @b", 'unexpected character "&" at column 4'),
    ],
)
def test_a_malformed_tag_expression_is_one_clear_error(expr: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        check_tag_expression(expr)
    message = str(caught.value)
    assert f'--tags "{expr}"' in message and fragment in message, message


@pytest.mark.parametrize(
    "expr", ["@a", "not @a", "@a and not (@b or @c)", "(t3 or f1)", "@2fa or @v1.2", "@x-y"]
)
def test_well_formed_tag_expressions_pass(expr: str) -> None:
    check_tag_expression(expr)


def test_tags_with_dots_keep_them_as_the_plugin_does() -> None:
    assert tags_to_marks("@v1.2 and not @slow-path") == "v1.2 and not slow_path"


def test_simulator_run_reports_a_malformed_tag_expression_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, {"g.feature": GREETING.format(name="g", reply="x")})
    monkeypatch.chdir(tmp_path)
    assert main(["run", "features", "--tags", "@smoke and ("]) == 2
    captured = capfd.readouterr()
    assert '--tags "@smoke and ("' in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "pytest" not in captured.out  # refused before pytest started


def test_simulator_run_selects_a_dotted_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    feature = "@v1.2\n" + GREETING.format(name="g", reply="Hello! I am the routing bot.")
    _project(tmp_path, {"g.feature": feature})
    monkeypatch.chdir(tmp_path)
    assert main(["run", "features", "-q", "--tags", "@v1.2"]) == 0
    assert "1 scenario: 1 passed" in capfd.readouterr().out


# -- simulator chat ------------------------------------------------------------------------------
@pytest.fixture
def chat_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "bank.yaml").write_text(BANK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("stdin", [None, io.StringIO("")], ids=["closed", "empty"])
def test_chat_with_closed_or_empty_stdin_ends_cleanly(
    chat_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: io.StringIO | None,
) -> None:
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["chat", "bank.yaml", "--bot", "Routing"]) == 0
    captured = capsys.readouterr()
    assert "(end of input: the session ends)" in captured.out
    assert "Traceback" not in captured.err


def test_chat_with_stdin_closed_by_the_shell(chat_project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "chat", "bank.yaml", "--bot", "Routing"],
        cwd=chat_project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "(end of input: the session ends)" in done.stdout
    closed = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m simulator chat bank.yaml --bot Routing 0<&-"],
        cwd=chat_project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert closed.returncode == 0, closed.stderr
    assert "Traceback" not in closed.stderr
    assert "(end of input: the session ends)" in closed.stdout


def test_chat_save_warns_about_what_it_could_not_save(
    chat_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['say "quoted"', "hi", "/save out.feature"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    assert main(["chat", "bank.yaml", "--bot", "Routing"]) == 0
    err = capsys.readouterr().err
    assert "warning: 1 item(s) could not be saved as steps" in err
    assert """the consumer said 'say "quoted"'""" in err
    saved = (chat_project / "out.feature").read_text(encoding="utf-8")
    assert 'the consumer says "hi"' in saved


def test_chat_save_without_losses_prints_no_warning(
    chat_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\n/save out.feature\n"))
    assert main(["chat", "bank.yaml", "--bot", "Routing"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_the_readme_documents_these_decisions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for phrase in ("byte-order mark", "same name", "(line ", "setTimeout", "--tags"):
        assert phrase in readme, phrase
