"""The README's five-minute tutorial, followed verbatim: its files, its command, its outcome."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[1] / "README.md"


def tutorial_blocks() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Five-minute tutorial", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, str] = {}
    pattern = re.compile(r"`([\w/.]+)`[^`\n]*:?\n\n( *)```(\w+)\n(.*?)\n\2```", re.S)
    for match in pattern.finditer(section):
        name, indent, _lang, body = match.groups()
        blocks[name] = textwrap.dedent("\n".join(line[len(indent) :] for line in body.splitlines()))
    return blocks


def test_the_tutorial_names_its_three_files() -> None:
    assert set(tutorial_blocks()) == {
        "fixtures/shop.yaml",
        "features/shop.feature",
        "tests/test_features.py",
    }


def test_the_tutorial_runs_as_written(pytester: pytest.Pytester) -> None:
    for name, body in tutorial_blocks().items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:randomly", "--import-mode=importlib", "tests")
    result.assert_outcomes(passed=2)


def test_the_failure_shown_in_the_tutorial_looks_as_described(pytester: pytest.Pytester) -> None:
    blocks = tutorial_blocks()
    for name, body in blocks.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".feature"):
            body = body.replace("Sorry, nobody can take your call right now.", "Sorry...")
        path.write_text(body + "\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:randomly", "--import-mode=importlib", "tests")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            '*step failed: features/shop.feature:16: And the bot replies "Sorry..."*',
            '*expected the bot to reply "Sorry..." after the consumer\'s last message*',
            "*Front: Sorry, nobody can take your call right now.*",
            "*simulator transcript*",
            '*[[]dialog] Front started "Human" (pattern "[*]agent[*]")*',
        ]
    )


def test_the_python_example_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(README.parent)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert '[fault] transfer to skill "200" (Human Support) will fail' in out
    assert "Routing: Sorry, we're unable to perform the transfer at this time." in out
