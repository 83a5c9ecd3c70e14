"""Step docstrings and tables that used to crash (issue 11): deep nesting, surrogate escapes,
ragged tables. Each gives one StepError, or works where the input is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

import simulator.steps.imports
import simulator.steps.library  # noqa: F401
from simulator.errors import StepError
from simulator.simulator import Simulator
from simulator.steps.imports import parse_json_docstring
from simulator.steps.registry import REGISTRY, StepRegistry, call

ROOT = Path(__file__).resolve().parents[2]


def _run(sim: Simulator, text: str, doc: str | None = None) -> None:
    match = REGISTRY.match(text)
    assert match is not None, text
    call(match, sim, None, doc)


def test_a_surrogate_pair_escape_in_a_json_docstring_reaches_the_bot_and_the_transcript(
    tmp_path: Path,
) -> None:
    sim = Simulator(seed=1, base_dir=ROOT)
    sim.search_dirs = [ROOT]
    _run(sim, 'the bot exported in "fixtures/exports/escalation-bot.json"')
    _run(
        sim,
        'the integration "getOrders" returns:',
        '{"count": 1, "orders": [{"id": "\\ud83d\\ude00"}]}',
    )
    _run(sim, 'the consumer opens a conversation with bot "Escalator"')
    _run(sim, 'the consumer says "my orders"')
    assert "the latest is \U0001f600." in sim.all_transcripts()
    out = tmp_path / "t.txt"
    out.write_text(sim.all_transcripts(), encoding="utf-8")  # writable as UTF-8
    assert "\U0001f600" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ("[" * 100_000 + "]" * 100_000, "nests deeper than 200 levels (line 1"),
        ('{"a":\n' + '{"b":' * 300 + "1" + "}" * 301, "(line 2 of the docstring)"),
        ('"\\ud83d"', "holds \\ud83d, half of a UTF-16 surrogate pair"),
        ('{"k": ["ok", "\\uDFFF"]}', "holds \\udfff"),
        ("1" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
    ],
)
def test_json_docstrings_that_python_chokes_on_are_one_step_error(doc: str, fragment: str) -> None:
    with pytest.raises(StepError) as caught:
        parse_json_docstring(doc, "the response")
    assert fragment in str(caught.value)
    assert "sys.set_int_max_str_digits" not in str(caught.value)


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    doc = '{"text": "' + "[" * 500 + '\\" still a string ' + "{" * 500 + '"}'
    assert parse_json_docstring(doc, "x")["text"].startswith("[[[")


def test_a_recursion_error_in_any_step_names_the_step() -> None:
    registry = StepRegistry()

    @registry.step("a deep step {x}", example='Given a deep step "x"', section="test")
    def deep(context: object, x: str) -> None:
        def down(n: int) -> int:
            return down(n + 1) + 1

        down(0)

    match = registry.match('a deep step "nested"')
    assert match is not None
    with pytest.raises(StepError) as caught:
        call(match, object(), None, None)
    assert 'the step "a deep step "nested"" got input nested too deeply' in str(caught.value)
