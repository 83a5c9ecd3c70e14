"""The starter index finds the same first pattern as scanning every pattern (issue 15).

``StarterIndex`` only narrows which patterns are tried; hypothesis compares it with
``PatternSet`` (which tries every pattern in order) on patterns built from literals long
enough to be indexed, groups, stars, escapes and flexible spaces.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulator.pattern_index import StarterIndex, message_trigrams, pattern_literals
from simulator.patterns import LONG_MESSAGE, STEPS, PatternSet, compile_pattern

_PIECES = st.sampled_from(
    [
        "abc",
        "bcd",
        "cab",
        " ",
        "*",
        "(abc|dab)",
        "(|s)",
        "(ab|abcd )",
        "( ab|*bcd)",
        "(x*|abc)",
        "ab.c",
        "(a (bcd|))",
        "k",
        "s",
    ]
)
_SOURCES = st.lists(_PIECES, min_size=1, max_size=6).map("".join).filter(lambda s: s.strip())
_TEXTS = st.lists(
    st.sampled_from(["abc", "bcd", "ab", "c", "d ", " ", "AB.C", "x", "s", "\u017f", "\u212a"]),
    max_size=8,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(_SOURCES, min_size=1, max_size=6), _TEXTS)
@example(["*abc please*", "(abc|bcd)*"], "say abc please")
@example(["*s*"], "\u017f")  # long s: case-insensitive matching equates it with "s"
@example(["kab*"], "\u212aab")  # the Kelvin sign, likewise "k"
def test_starter_index_agrees_with_scanning_every_pattern(sources: list[str], text: str) -> None:
    patterns = [compile_pattern(s) for s in sources]
    assert StarterIndex(patterns).first_match(text) == PatternSet(patterns).first_match(text)


@settings(max_examples=300, deadline=None)
@given(_SOURCES, _TEXTS)
def test_every_fitting_message_holds_one_of_the_literals(source: str, text: str) -> None:
    pattern = compile_pattern(source)
    literals = pattern_literals(pattern)
    keys = message_trigrams(" ".join(text.split()))
    if literals is None or keys is None or not pattern.matches(text):
        return
    assert any(literal in keys[0] for literal in literals)


def test_long_messages_are_matched_against_every_pattern() -> None:
    index = StarterIndex([compile_pattern("*lost card*"), compile_pattern("*x*")])
    text = "a" * LONG_MESSAGE + " x"
    assert message_trigrams(text) is None
    assert index.first_match(text) == 1


def test_a_message_without_any_literal_costs_no_regex_call() -> None:
    index = StarterIndex([compile_pattern(f"*topic{k} please*") for k in range(200)])
    before = STEPS.steps
    assert index.first_match("tell me something about the weather") is None
    assert STEPS.steps == before
    assert index.first_match("more on topic123 please") == 123
    assert STEPS.steps == before + 1
