"""The linear pattern matcher means exactly what the backtracking regex means (issue 11 §3).

``simulator.pattern_parser.to_regex_source`` is the old translation, kept as the executable statement of the
semantics; on short messages it is fast, so hypothesis compares the two there.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulator.pattern_parser import to_regex_source
from simulator.patterns import (
    LONG_MESSAGE,
    PatternSet,
    PatternSyntaxError,
    _match_segments,
    compile_pattern,
    normalise_message,
)

_FLAGS = re.IGNORECASE | re.DOTALL

# 2 * 2 * 2 * 2 * 2 * 2 = 64 width combinations: too many to unfold into one regex.
WIDE = "*(i|me)*(a|an)*(want|needs)*(with|to)*(the|a)*(agent|humans)*"

# Pieces chosen to produce every kind of segment: fixed and variable width groups, optional
# alternates, flexible spaces at group edges, stars inside groups, punctuation.
_PIECES = st.sampled_from(
    ["a", "b", "ab", " ", "*", "(a|ab)", "(|b)", "(a|b )", "( a|*b)", "(x*|a)", "a.", "(a (b|))"]
)
_SOURCES = st.lists(_PIECES, min_size=1, max_size=7).map("".join).filter(lambda s: s.strip())
_TEXTS = st.lists(st.sampled_from(["a", "b", "A", " ", "x", "."]), max_size=9).map("".join)


def _reference(source: str, text: str) -> bool:
    regex = re.compile(to_regex_source(source), _FLAGS)
    return regex.fullmatch(normalise_message(text)) is not None


@settings(max_examples=1500, deadline=None)
@given(_SOURCES, _TEXTS)
@example("*(abc|b)*c", "abc")  # the earliest END wins, not the leftmost start
@example("*(a|ab) *b", "ab b")
@example("* (b|ab)*", "x ab")
@example("(hi)( *)", "hi you")
@example("*(i|me)*(want|need)*(with|to)*(agent|human)*", "me i need to talk with a human")
def test_linear_matcher_agrees_with_backtracking_regex(source: str, text: str) -> None:
    pattern = compile_pattern(source)
    expected = _reference(source, text)
    assert pattern.matches(text) is expected
    # The greedy segment matcher on its own, even where the fast regex answers first.
    greedy = any(_match_segments(s, normalise_message(text)) for s in pattern._alternatives)
    assert greedy is expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_SOURCES, min_size=1, max_size=5), _TEXTS)
def test_pattern_set_first_match_agrees_with_reference(sources: list[str], text: str) -> None:
    expected = next((i for i, s in enumerate(sources) if _reference(s, text)), None)
    assert PatternSet([compile_pattern(s) for s in sources]).first_match(text) == expected


def test_fast_regex_only_where_it_is_exact() -> None:
    # Variable-width groups between stars are unfolded by width for the fused regex (8
    # alternatives here); beyond 16, or when a group cannot be split, the greedy matcher runs.
    assert compile_pattern("*(i|me)*(want|need)*(with|to)*(agent|human)*").regex is not None
    assert compile_pattern(WIDE).regex is None
    assert compile_pattern("*((a|ab)c|d)*e*").regex is None
    assert compile_pattern("* my * order * status *").regex is not None


def test_too_many_star_group_combinations_is_a_syntax_error() -> None:
    source = "(a*|b)" * 9  # 2**9 = 512 alternatives
    try:
        compile_pattern(source)
    except PatternSyntaxError as exc:
        assert "split it into several patterns" in str(exc)
        assert exc.position == 0
    else:
        raise AssertionError("expected a PatternSyntaxError")
    assert compile_pattern("(a*|b)" * 8).matches("a" * 8)  # 256 is still fine


@settings(max_examples=200, deadline=None)
@given(_SOURCES, _TEXTS, _TEXTS)
def test_long_messages_take_the_greedy_path_with_the_same_answer(
    source: str, head: str, tail: str
) -> None:
    # Above LONG_MESSAGE, matches() skips the fused regex; where that regex exists (it is
    # linear, so it can serve as the comparison at this size) both must agree.
    pattern = compile_pattern(source)
    text = head + " x" * (LONG_MESSAGE // 2 + 1) + tail
    if pattern.regex is None:
        return
    assert len(normalise_message(text)) > LONG_MESSAGE
    expected = pattern.regex.fullmatch(normalise_message(text)) is not None
    assert pattern.matches(text) is expected
    assert PatternSet([pattern]).first_match(text) == (0 if expected else None)
