"""Pattern matching cost is linear in the message (issue 11 §3), checked by counting work.

``STEPS`` counts regex invocations; each one is a forward scan with a star-free regex (or
a linear atomic-group regex), so a count that does not grow with the message proves the
matcher never retries a star at every position the way the old backtracking regex did.
No wall time is asserted: a quadratic matcher would simply not finish the 1 MB cases.
"""

from __future__ import annotations

import pytest

from simulator.patterns import STEPS, PatternSet, compile_pattern

_HARD = "*(i|me)*(want|need)*(with|to)*(agent|human)*"  # unfolded into a linear regex
_WIDE = "*(i|me)*(a|an)*(want|needs)*(with|to)*(the|a)*(agent|humans)*"  # greedy matcher


def _steps(source: str, text: str) -> tuple[bool, int]:
    before = STEPS.steps
    result = compile_pattern(source).matches(text)
    return result, STEPS.steps - before


@pytest.mark.parametrize("tail", ["", " so i need a lot to talk with the humans"])
@pytest.mark.parametrize("source", [_HARD, _WIDE])
def test_steps_do_not_grow_with_the_message(source: str, tail: str) -> None:
    counts = []
    for size in (10_000, 100_000, 1_000_000):  # all above LONG_MESSAGE: the greedy path
        text = ("i want " * (size // 7 + 1))[:size] + tail
        matched, steps = _steps(source, text)
        assert matched is bool(tail)
        counts.append(steps)
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 12


@pytest.mark.parametrize(
    "source",
    ["* a * a * a * b *", "*a*a*a*a*b", "* my * order * status *", "(x|*a*a*a*a*b)", _HARD, _WIDE],
)
def test_one_megabyte_messages_are_matched(source: str) -> None:
    for text in ["a " * 500_000, "a" * 1_000_000, "my order " * 120_000]:
        matched, steps = _steps(source, text)
        assert not matched
        assert steps <= 12


def test_pattern_set_steps_do_not_grow_with_the_message() -> None:
    patterns = PatternSet(
        [compile_pattern(s) for s in ["hello *", "* my order *", _WIDE, "bye", "(hi|hey) *"]]
    )
    counts = []
    for words in (2_000, 500_000):
        before = STEPS.steps
        assert patterns.first_match("hey " + "x " * words) == 4
        counts.append(STEPS.steps - before)
    assert counts[0] == counts[1], counts


def test_short_messages_cost_one_call_per_fused_run() -> None:
    patterns = PatternSet(
        [compile_pattern(s) for s in ["hello *", "* my order *", _WIDE, "bye", "(hi|hey) *"]]
    )
    before = STEPS.steps
    assert patterns.first_match("hey there") == 4
    # run [0, 1] fused: 1 call; pattern 2 greedy: its empty first segment, then one search
    # that finds no "i" or "me": 2; run [3, 4] fused: 1
    assert STEPS.steps - before == 4
