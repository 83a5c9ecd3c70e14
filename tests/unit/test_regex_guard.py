"""Regular-expression rules cannot hang a run (issue 11 §3): nested repeats are refused."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.patterns import PatternSyntaxError, compile_regex, guard_regex


@pytest.mark.parametrize(
    ("source", "group_column", "inner_column"),
    [
        ("^(a+)+$", 2, 4),
        (r"(\w+\s?)*", 1, 4),
        ("(?:a*)*", 1, 5),
        ("(a{1,})+", 1, 3),
        ("(x(a+)y)*", 1, 5),
        ("((a)+)+", 1, 5),
        ("(?:(?:a+))*", 1, 8),
        ("(x{2,}){3,}", 1, 3),
        ("ok (a+?)*? no", 4, 6),
    ],
)
def test_nested_unbounded_repeats_are_refused(
    source: str, group_column: int, inner_column: int
) -> None:
    with pytest.raises(PatternSyntaxError) as caught:
        compile_regex(source)
    error = caught.value
    assert error.kind == "regular expression"
    assert error.position == group_column - 1
    message = str(error)
    assert f"its part at column {inner_column};" in message
    assert "write (a+)+ as a+" in message
    assert message.endswith(f"in the group at column {group_column}")


@pytest.mark.parametrize(
    "source",
    [
        "(a|b)*",
        "a+b+",
        "(ab{2})+",
        "(a+){3}",
        "(a+)?",
        "(?>a+)+",  # atomic: the engine never re-splits it
        r"[(]+\)+",
        r"\(a+\)+",
        "x{2,}",
        "(Debit Card|Credit Card)",
        "^[^0-9]*$",
        "Product #: [0-9]",
        r"\border\s+#?\d{5}\b",
        "(a*)x+",
    ],
)
def test_ordinary_regexes_are_accepted(source: str) -> None:
    assert isinstance(compile_regex(source), re.Pattern)


_ALPHABET = st.sampled_from([*"ab()[]\\*+?{},|^$.:>#=", "(?:", "(?>", "{2}", "{1,}"])


@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_the_guard_accepts_or_explains_any_valid_regex(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set" and friends
        try:
            re.compile(source)
        except re.error:
            return
        try:
            compile_regex(source)
        except PatternSyntaxError as exc:
            assert "nested repeat" in str(exc)
            assert 0 <= exc.position < len(source) and source[exc.position] == "("


def test_guard_regex_is_usable_on_its_own() -> None:
    # For other places that run a user's regex with their own flags (e.g. step arguments).
    guard_regex(r"order (\d+) is ready")
    with pytest.raises(PatternSyntaxError, match="nested repeat"):
        guard_regex(r"order (\d+)+ is ready")
