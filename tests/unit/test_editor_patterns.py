"""``simulator steps --format vscode|pycharm|json``: the generated patterns are checked against
the catalogue itself, so a new step or phrasing cannot be left out of editor support."""

from __future__ import annotations

import ast
import json
import re

import pytest

from simulator.cli import main
from simulator.cli.catalogue import editor_patterns, editor_regex
from simulator.steps import load_library
from simulator.steps.registry import REGISTRY, is_library_step, sample_text

load_library()

_KEYWORD = re.compile(r"^(Given|When|Then|And|But)\s+")


def _library_templates() -> list[str]:
    return [s.template for s in REGISTRY.steps if is_library_step(s)]


def test_every_library_phrasing_is_matched_by_a_generated_regex() -> None:
    regexes = [re.compile(regex) for _step, _template, regex in editor_patterns()]
    templates = _library_templates()
    assert len(templates) > 100
    for template in templates:
        text = sample_text(template)
        # The sample really is this phrasing for the library's own matcher ...
        match = REGISTRY.match(text)
        assert match is not None and match.step.func is next(
            s.func for s in REGISTRY.steps if s.template == template
        ), (template, text)
        # ... and some editor pattern accepts it.
        assert any(r.fullmatch(text) for r in regexes), (template, text)


def test_each_steps_example_matches_one_of_its_own_patterns() -> None:
    by_func: dict[int, list[re.Pattern[str]]] = {}
    for step, _template, regex in editor_patterns():
        by_func.setdefault(id(step.func), []).append(re.compile(regex))
    for step, _template, _regex in editor_patterns():
        first_line = _KEYWORD.sub("", step.example.splitlines()[0])
        assert any(r.fullmatch(first_line) for r in by_func[id(step.func)]), step.example


def test_editor_regex_is_anchored_and_escapes_text() -> None:
    regex = editor_regex("the clock's {time:clock} (approx.) / {name}")
    assert regex == r"""^the clock's "?(\d+:\d\d:\d\d(?:\.\d{1,3})?)"? \(approx\.\) \/ "([^"]*)"$"""
    assert re.fullmatch(regex, 'the clock\'s 00:03:00 (approx.) / "x"')
    assert not re.fullmatch(regex, 'the clock\'s 00:03:00 (approx!) / "x"')


def test_vscode_format_is_one_step_definition_per_phrasing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["steps", "--format", "vscode"]) == 0
    out = capsys.readouterr().out
    definitions = [line for line in out.splitlines() if not line.startswith("//") and line]
    assert len(definitions) == len(editor_patterns())
    # The extension's own reader: a Gherkin word, then the regex between slashes.
    reader = re.compile(r"^((?:.*?[^\w])|.{0})(Given|When|Then|And|But)[^/'\"\w]*?(/)(.+)/\);$")
    for line in definitions:
        found = reader.match(line)
        assert found, line
        re.compile(found.group(4))
    assert '"cucumberautocomplete.steps"' in out


def test_pycharm_format_is_valid_python_with_one_regex_per_phrasing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["steps", "--format", "pycharm"]) == 0
    tree = ast.parse(capsys.readouterr().out)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert len(functions) == len(editor_patterns())
    first = functions[0].decorator_list[0]
    assert isinstance(first, ast.Call) and ast.unparse(first).startswith("step(parsers.re(")


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"section", "phrasing", "regex", "example", "description"} <= set(rows[0])
    assert any(r["phrasing"] == 'the bot replies one of "<texts>", "..."' for r in rows)
