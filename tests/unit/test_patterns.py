"""Unit tests for dialog-starter patterns (rule B6)."""

from __future__ import annotations

import contextlib
import functools
import itertools
import pickle
import re
import sys
import unittest.mock
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import simulator.patterns as patterns_module
from simulator.pattern_errors import WHITESPACE
from simulator.pattern_parser import to_regex_source
from simulator.patterns import (
    STEPS,
    Pattern,
    PatternSet,
    PatternSyntaxError,
    compile_pattern,
    compile_regex,
    normalise_message,
)


def _matches(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).matches(text)


# --------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("hello", "hello", True),
        ("hello", "hello there", False),
        ("hello", "say hello", False),
        ("hello", "hell", False),
        ("reset my password", "reset my password", True),
        ("reset my password", "reset  my\tpassword", True),
        ("reset my password", "resetmy password", False),
    ],
)
def test_literal_pattern_matches_whole_message_only(
    pattern: str, text: str, expected: bool
) -> None:
    assert _matches(pattern, text) is expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("Hello", "hELLO"),
        ("HELLO THERE", "hello there"),
        ("hello", "   hello   "),
        ("  hello  ", "hello"),
        ("hello there", "\thello \n  there\n"),
        ("hello   there", "hello there"),
    ],
)
def test_case_and_surrounding_whitespace_are_ignored(pattern: str, text: str) -> None:
    assert _matches(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text", "not_text"),
    [
        ("what is 1+1?", "What is 1+1?", "what is 11"),
        ("a.b", "a.b", "axb"),
        ("[urgent] help", "[URGENT] help", "u help"),
        ("cost $5^2", "cost $5^2", "cost 5"),
        ("#1 fan", "#1 fan", "1 fan"),
        ("c:\\path", "C:\\PATH", "c:path"),
        ("{x}", "{x}", "x"),
        ("end.", "end.", "endx"),
    ],
)
def test_regex_metacharacters_are_literal(pattern: str, text: str, not_text: str) -> None:
    assert _matches(pattern, text)
    assert not _matches(pattern, not_text)


# --------------------------------------------------------------------------- star


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("*", "", True),
        ("*", "anything at all", True),
        ("help*", "help", True),
        ("help*", "helpful", True),
        ("help*", "help me now", True),
        ("help*", "hel", False),
        ("*help", "please help", True),
        ("*help", "helping", False),
        ("*order*", "my order is late", True),
        ("*order*", "my ord", False),
        ("a**b", "ab", True),
        ("a**b", "a-b", True),
        ("*\n*", "new\nline", True),
    ],
)
def test_star_matches_any_run(pattern: str, text: str, expected: bool) -> None:
    assert _matches(pattern, text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("(hi|hello|hey) *", "hi", True),
        ("(hi|hello|hey) *", "Hello there", True),
        ("(hi|hello|hey) *", "hey   you all", True),
        ("(hi|hello|hey) *", "hithere", False),
        ("(hi|hello|hey) *", "hi!", False),
        ("hi *", "hi", True),
        ("hi *", "hi there", True),
        ("* back", "back", True),
        ("* back", "welcome back", True),
        ("* back", "setback", False),
        ("* back", "back again", False),
        ("a * b", "a b", True),
        ("a * b", "a x y b", True),
        ("a * b", "ab", False),
        ("a * b", "axb", False),
        ("* *", "", True),
        ("* *", "x", True),
        ("x *y", "x y", True),
        ("x *y", "x zy", True),
        ("x *y", "xy", False),
        ("(hi |hey) *", "hi", True),
        ("(hi |hey) *", "hi there", True),
        ("(hi |hey) *", "hithere", False),
        ("(hi)( *)", "hi you", True),
        ("(hi)( *)", "hiyou", False),
        ("* (back|home)", "welcome home", True),
        ("* (back|home)", "athome", False),
    ],
)
def test_whitespace_next_to_star_is_optional(pattern: str, text: str, expected: bool) -> None:
    assert _matches(pattern, text) is expected


# --------------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thank", True),
        ("thanks", True),
        ("thank you", True),
        ("thanks a lot", True),
        ("Thank You So Much", True),
        ("thx", False),
        ("no thanks", False),
    ],
)
def test_optional_group_from_brief(text: str, expected: bool) -> None:
    assert _matches("(thank(|s)|thank you)*", text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("(a|b|c)", "b", True),
        ("(a|b|c)", "d", False),
        ("(a|b|c)", "ab", False),
        ("order(|s)", "order", True),
        ("order(|s)", "orders", True),
        ("order(|s)", "orderss", False),
        ("(|please )help", "help", True),
        ("(|please )help", "please help", True),
        ("()", "", True),
        ("x()y", "xy", True),
        ("((a|b)(c|d)|e)f", "acf", True),
        ("((a|b)(c|d)|e)f", "bdf", True),
        ("((a|b)(c|d)|e)f", "ef", True),
        ("((a|b)(c|d)|e)f", "aef", False),
        ("(my (order|package)|it) is (late|lost)", "my package is lost", True),
        ("(my (order|package)|it) is (late|lost)", "it is late", True),
        ("(my (order|package)|it) is (late|lost)", "my it is late", False),
        ("(((deep)))", "deep", True),
    ],
)
def test_groups_alternates_and_nesting(pattern: str, text: str, expected: bool) -> None:
    assert _matches(pattern, text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("(hi | hello) there", "hi there", True),
        ("(hi | hello) there", "hello there", True),
        ("(hi | hello) there", "hithere", False),
        ("hello( there|)", "hello", True),
        ("hello( there|)", "hello there", True),
        ("hello( there|)", "hellothere", False),
        ("( hi)", "hi", True),
        ("(hi )(there)", "hithere", False),
        ("(hi )(there)", "hi there", True),
    ],
)
def test_spaces_at_group_edges_merge_with_neighbours(
    pattern: str, text: str, expected: bool
) -> None:
    assert _matches(pattern, text) is expected


def test_group_characters_inside_alternates_stay_literal() -> None:
    assert _matches("(a.b|c+d)", "c+d")
    assert not _matches("(a.b|c+d)", "ccd")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("pattern", "position", "reason", "message"),
    [
        (
            "(hi|hello",
            0,
            'unclosed "("',
            'malformed pattern "(hi|hello": unclosed "(" opened at column 1',
        ),
        (
            "hi (a|b",
            3,
            'unclosed "("',
            'malformed pattern "hi (a|b": unclosed "(" opened at column 4',
        ),
        ("((a)", 0, 'unclosed "("', 'malformed pattern "((a)": unclosed "(" opened at column 1'),
        ("(a|(b", 3, 'unclosed "("', 'malformed pattern "(a|(b": unclosed "(" opened at column 4'),
        ("hi)", 2, 'unmatched ")"', 'malformed pattern "hi)": unmatched ")" at column 3'),
        ("(a))", 3, 'unmatched ")"', 'malformed pattern "(a))": unmatched ")" at column 4'),
        (")", 0, 'unmatched ")"', 'malformed pattern ")": unmatched ")" at column 1'),
        (
            "a|b",
            1,
            '"|" outside a group',
            'malformed pattern "a|b": "|" outside a group at column 2',
        ),
        ("|", 0, '"|" outside a group', 'malformed pattern "|": "|" outside a group at column 1'),
        (
            "(a)|b",
            3,
            '"|" outside a group',
            'malformed pattern "(a)|b": "|" outside a group at column 4',
        ),
        ("", 0, "empty pattern", 'malformed pattern "": empty pattern at column 1'),
        ("   ", 0, "empty pattern", 'malformed pattern "   ": empty pattern at column 1'),
        ("\t\n", 0, "empty pattern", 'malformed pattern "\t\n": empty pattern at column 1'),
    ],
)
def test_malformed_patterns_report_position(
    pattern: str, position: int, reason: str, message: str
) -> None:
    with pytest.raises(PatternSyntaxError) as caught:
        compile_pattern(pattern)
    error = caught.value
    assert error.pattern == pattern
    assert error.position == position
    assert error.reason == reason
    assert str(error) == message


def test_positions_index_the_original_unstripped_pattern() -> None:
    with pytest.raises(PatternSyntaxError) as caught:
        compile_pattern("   hi)")
    assert caught.value.position == 5
    assert caught.value.pattern[caught.value.position] == ")"
    assert "column 6" in str(caught.value)


def test_pattern_syntax_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError):
        compile_pattern("(oops")
    try:
        compile_pattern("(oops")
    except PatternSyntaxError as error:
        clone = pickle.loads(pickle.dumps(error))
        assert str(clone) == str(error)
        assert (clone.pattern, clone.position, clone.reason) == ("(oops", 0, 'unclosed "("')


def test_absurd_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(PatternSyntaxError, match="nested"):
        compile_pattern("(" * 500 + "x" + ")" * 500)


def test_pattern_constructor_validates_too() -> None:
    with pytest.raises(PatternSyntaxError):
        Pattern("(a|")


# --------------------------------------------------------------------------- Pattern API


def test_compile_pattern_is_cached_and_patterns_compare_by_source() -> None:
    assert compile_pattern("hi *") is compile_pattern("hi *")
    assert Pattern("hi *") == compile_pattern("hi *")
    assert hash(Pattern("hi *")) == hash(compile_pattern("hi *"))
    assert Pattern("hi") != Pattern("HI")
    assert "hi *" in repr(Pattern("hi *"))


def test_pattern_regex_uses_only_non_capturing_groups() -> None:
    # PatternSet relies on this to map the matching group back to a pattern index.
    assert compile_pattern("((a|b)(c|)|d) *").regex.groups == 0


# --------------------------------------------------------------------------- PatternSet


def test_pattern_set_returns_first_match_in_list_order() -> None:
    patterns = [
        compile_pattern("order status"),
        compile_pattern("order *"),
        compile_pattern("*"),
        compile_pattern("order status"),
    ]
    ps = PatternSet(patterns)
    assert ps.first_match("order status") == 0
    assert ps.first_match("  ORDER   status ") == 0
    assert ps.first_match("order please") == 1
    assert ps.first_match("order") == 1
    assert ps.first_match("something else") == 2
    assert ps.first_match("") == 2


def test_pattern_set_later_pattern_wins_when_earlier_only_matches_a_prefix() -> None:
    # "(a|ab)" matches a prefix of "abc" but not all of it, so the engine must backtrack
    # into later alternatives and report the first one that matches the whole message.
    ps = PatternSet([compile_pattern(p) for p in ["(a|ab)", "a(b|bc)", "abc", "abc*"]])
    assert ps.first_match("abc") == 1
    assert ps.first_match("ab") == 0
    assert ps.first_match("abcd") == 3
    assert ps.first_match("b") is None


def test_pattern_set_overlapping_greetings() -> None:
    ps = PatternSet(
        [
            compile_pattern("(hi|hello) agent"),
            compile_pattern("(hi|hello|hey) *"),
            compile_pattern("* agent"),
            compile_pattern("(thank(|s)|thank you)*"),
        ]
    )
    assert ps.first_match("hello agent") == 0
    assert ps.first_match("hey agent") == 1
    assert ps.first_match("human agent") == 2
    assert ps.first_match("thanks!") == 3
    assert ps.first_match("bye") is None


def test_empty_pattern_set_matches_nothing() -> None:
    ps = PatternSet([])
    assert len(ps) == 0
    assert ps.first_match("anything") is None


def test_pattern_set_exposes_patterns_and_handles_many() -> None:
    patterns = [compile_pattern(f"word{i}(|s)") for i in range(300)]
    ps = PatternSet(patterns)
    assert len(ps) == 300
    assert ps.patterns == tuple(patterns)
    assert ps.first_match("word299s") == 299
    assert ps.first_match("WORD7") == 7
    assert "word0(|s)" in repr(ps)


_ATOMS = ["a", "b", "ab", " ", "*", "(a|b)", "(|a)", "(a |b)", "( a|)", "(a*|b)", "x"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=5).map("".join),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.sampled_from(["a", "b", "x", " "]), max_size=6).map("".join),
)
def test_pattern_set_agrees_with_linear_scan(sources: list[str], text: str) -> None:
    patterns = [compile_pattern(s) for s in sources if s.strip()]
    expected = next((i for i, p in enumerate(patterns) if p.matches(text)), None)
    assert PatternSet(patterns).first_match(text) == expected


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.?+$#[]{}^\\'", min_size=1)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=8))
def test_group_of_words_matches_each_word(words: list[str]) -> None:
    pattern = compile_pattern("(" + "|".join(words) + ")")
    for word in words:
        assert pattern.matches(word)
        assert pattern.matches(f"  {word.upper()} ")
    assert not pattern.matches(words[0] + " " + words[0])


# A reference matcher that never touches ``re``: expand every group into flat patterns,
# then match those with a plain memoised backtracking recursion that applies the
# documented rules token by token. It guards the regex translation: the lookarounds, the
# group-edge spaces and the atomic groups used for speed. A NUL marks each group edge,
# because whether a space counts as "next to *" is decided within one sequence.

_EDGE = "\x00"

_Tree = str | tuple[str, tuple["_Tree", ...]]

_LEAVES = st.sampled_from(["a", "b", "ab", " ", "*", "a ", " b", "*a*", " * "])


def _branches(children: st.SearchStrategy[_Tree]) -> st.SearchStrategy[_Tree]:
    parts = st.lists(children, min_size=1, max_size=3).map(tuple)
    alternates = st.lists(st.lists(children, max_size=2).map(tuple), min_size=1, max_size=3)
    return st.one_of(
        parts.map(lambda p: ("seq", p)),
        alternates.map(lambda alts: ("alt", tuple(("seq", a) for a in alts))),
    )


_TREES = st.recursive(_LEAVES, _branches, max_leaves=8)


def _source(tree: _Tree) -> str:
    if isinstance(tree, str):
        return tree
    kind, children = tree
    if kind == "seq":
        return "".join(_source(c) for c in children)
    return "(" + "|".join(_source(c) for c in children) + ")"


def _expand(tree: _Tree) -> set[str]:
    if isinstance(tree, str):
        return {tree}
    kind, children = tree
    if kind == "alt":
        return {_EDGE + flat + _EDGE for c in children for flat in _expand(c)}
    return {"".join(parts) for parts in itertools.product(*(_expand(c) for c in children))}


def _flat_tokens(flat: str) -> str:
    # The pattern is stripped; white space runs and star runs within a sequence collapse.
    return re.sub(r"\*+", "*", re.sub(r" +", " ", flat.strip(" ")))


def _reference_match(flat: str, text: str) -> bool:
    pat = _flat_tokens(flat)
    msg = " ".join(text.split()).lower()

    @functools.cache
    def match(pi: int, ti: int) -> bool:
        if pi == len(pat):
            return ti == len(msg)
        tok = pat[pi]
        if tok == "*":
            return any(match(pi + 1, k) for k in range(ti, len(msg) + 1))
        if tok == _EDGE:
            return match(pi + 1, ti)
        if tok == " ":
            prev = pat[pi - 1] if pi else _EDGE
            nxt = pat[pi + 1] if pi + 1 < len(pat) else _EDGE
            word_start = ti == 0 or msg[ti - 1] == " "
            word_end = ti == len(msg) or msg[ti] == " "
            if prev == "*" and nxt == "*":
                ok = True
            elif prev == "*":  # "* x": x starts a word
                ok = word_start if nxt != _EDGE else word_start or word_end
            elif nxt == "*":  # "x *": x ends a word
                ok = word_end if prev != _EDGE else word_start or word_end
            elif prev != _EDGE and nxt != _EDGE:  # between two literals: one space
                return ti < len(msg) and msg[ti] == " " and match(pi + 1, ti + 1)
            else:  # at a group edge: one space, or merge with a space or message edge
                if ti < len(msg) and msg[ti] == " " and match(pi + 1, ti + 1):
                    return True
                ok = (ti > 0 and msg[ti - 1] == " ") or ti in (0, len(msg))
            return ok and match(pi + 1, ti)
        return ti < len(msg) and msg[ti] == tok.lower() and match(pi + 1, ti + 1)

    return match(0, 0)


@settings(max_examples=500, deadline=None)
@given(_TREES, st.lists(st.sampled_from(["a", "b", "A", " "]), max_size=7).map("".join))
@example(("seq", ("*a*", "b", "*")), "ab a")  # the first "a" must be taken, not the last
@example(("seq", ("*a*", " b", " * ")), "a b a b")
@example(("seq", (("alt", (("seq", ("a ",)),)), ("alt", (("seq", (" b",)),)))), "a b")
def test_translation_agrees_with_reference_semantics(tree: _Tree, text: str) -> None:
    source = _source(tree)
    if not source.strip():
        return  # an empty pattern is an error, tested above
    expected = any(_reference_match(flat, text) for flat in _expand(tree))
    assert compile_pattern(source).matches(text) is expected, compile_pattern(source).regex


@pytest.mark.parametrize(
    "pattern",
    ["* a * a * a * b *", "*a*a*a*a*b", "* my * order * status *", "(x|*a*a*a*a*b)"],
)
def test_many_star_patterns_do_not_backtrack_exponentially(pattern: str) -> None:
    # Naive translation takes seconds to minutes on these; the linear matcher does a fixed
    # number of forward scans (counted, not timed: see tests/perf_counts).
    compiled = compile_pattern(pattern)
    for text in ["a " * 150, "a" * 300, "my order " * 35]:
        before = STEPS.steps
        assert not compiled.matches(text)
        assert STEPS.steps - before <= 4


# --------------------------------------------------------------------------- compile_regex


def test_compile_regex_has_search_semantics_and_ignores_case() -> None:
    regex = compile_regex(r"\border\s+#?\d{5}\b")
    assert isinstance(regex, re.Pattern)
    assert regex.search("my ORDER #12345 is late")
    assert not regex.search("order 123")
    assert compile_regex("x") is compile_regex("x")


@pytest.mark.parametrize(
    ("source", "position", "reason"),
    [
        ("(abc", 0, "missing ), unterminated subpattern"),
        ("abc)", 3, "unbalanced parenthesis"),
        ("[a-", 0, "unterminated character set"),
        ("a**", 2, "multiple repeat"),
        ("x{2,1}", 2, "min repeat greater than max repeat"),
    ],
)
def test_compile_regex_errors_carry_position_and_message(
    source: str, position: int, reason: str
) -> None:
    with pytest.raises(PatternSyntaxError) as caught:
        compile_regex(source)
    error = caught.value
    assert (error.pattern, error.position, error.reason) == (source, position, reason)
    assert str(error) == (
        f'malformed regular expression "{source}": {reason} at column {position + 1}'
    )
    assert isinstance(error.__cause__, re.error)


# --------------------------------------------------------------------------- long messages
#
# Messages longer than ``LONG_MESSAGE`` skip the fused regex and go through the greedy
# segment matcher; a Latin-1 message is matched in its lowered form by case-sensitive regexes
# and ``str.find`` (the pattern's literals folded by what re.IGNORECASE matches). Lowering
# ``LONG_MESSAGE`` sends every message down that path, so these tests compare it with the
# reference matcher and with the backtracking regex (``to_regex_source``, the semantics),
# including pattern characters whose IGNORECASE matches are not their ``lower()``.


@contextlib.contextmanager
def _segment_matcher_only() -> Iterator[None]:
    with unittest.mock.patch.object(patterns_module, "LONG_MESSAGE", -1):
        yield


@settings(max_examples=500, deadline=None)
@given(_TREES, st.lists(st.sampled_from(["a", "b", "A", "B", " ", "\t"]), max_size=7).map("".join))
@example(("seq", ("*a*", "b", "*")), "ab a")
@example(("seq", ("*a*", " b", " * ")), "a b a b")
@example(("seq", ("*", "ab", "*a*")), "bab ab a")
def test_segment_matcher_agrees_with_reference_semantics(tree: _Tree, text: str) -> None:
    source = _source(tree)
    if not source.strip():
        return
    expected = any(_reference_match(flat, text) for flat in _expand(tree))
    with _segment_matcher_only():
        assert compile_pattern(source).matches(text) is expected
        assert PatternSet([compile_pattern(source)]).first_match(text) == (0 if expected else None)


# Literal characters whose re.IGNORECASE matches differ from str.lower(): the long s, the
# Kelvin sign and the Turkish dotless and dotted I match ASCII "s", "k" and "i"; the Angstrom
# sign, capital Y with diaeresis, capital sharp s and Greek mu match the Latin-1 "\xe5",
# "\xff", "\xdf" and micro sign "\xb5"; the sigmas match nothing in Latin-1. Messages mix
# ASCII, Latin-1 and wider characters, so each form of the matcher is compared.
_CASE_CHARS = ["s", "S", "k", "K", "i", "I", "\u017f", "\u212a", "\u0131", "\u0130", "\xdf"]
_CASE_CHARS += ["\u03c3", "\u03c2", "\u03a3", "\xb5", "\u03bc", ".", "\xe4", "\xc4"]
_CASE_CHARS += ["\u212b", "\xe5", "\u0178", "\xff", "\u1e9e"]
_CASE_ATOMS = [*_CASE_CHARS, " ", "*", "(s|k)", "(|\u017f)", "(\u212a |i)", "(s*|\u0130)"]
_CASE_TEXT = ["s", "S", "k", "K", "i", "I", " ", "x", "\u017f", "\u212a", "\u0130", "\u03c2"]
_CASE_TEXT += ["\xe4", "\xc4", "\xdf", "\xb5", "\xe5", "\xc5", "\xff", "\u03bc", "\xa0"]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_CASE_ATOMS), min_size=1, max_size=6).map("".join),
    st.lists(st.sampled_from(_CASE_TEXT), max_size=8).map("".join),
)
@example("\u017f*K", "s xk")
@example("*\u212a", "xk")
@example("(s|k)*\u0130", "s i")
@example("\u212b*\u1e9e", "\xc5 x\xdf")
@example("*\u03bc", "x\xb5")
def test_case_folding_of_long_messages_agrees_with_the_regex(source: str, text: str) -> None:
    if not source.strip():
        return
    reference = re.compile(to_regex_source(source), re.IGNORECASE | re.DOTALL)
    expected = reference.fullmatch(normalise_message(text)) is not None
    with _segment_matcher_only():
        assert compile_pattern(source).matches(text) is expected, (source, text)


@pytest.mark.parametrize("word", ["want", "w\xe4nt", "w\u0101nt"])  # ASCII, Latin-1, wider
def test_one_megabyte_message_matches_through_the_segment_matcher(word: str) -> None:
    body = (f"i {word} " * 150_000).strip()
    pattern = compile_pattern("*(i|me)*(want|need)*(with|to)*(agent|human)*")
    before = STEPS.steps
    assert not pattern.matches(body)
    assert pattern.matches(body + " so I need to talk to a HUMAN please")
    assert STEPS.steps - before <= 12
    assert compile_pattern("* (agent|human)").matches(body + "\tHuman ")
    assert not compile_pattern("* (agent|human)").matches(body + " superhuman")


_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\xa0", "\u3000", "\u2028", "a", "bc", "\xe9"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_SPACES, min_size=1, max_size=30).map("".join))
def test_long_texts_are_normalised_like_split_and_join(chunk: str) -> None:
    text = chunk * (5000 // len(chunk) + 1)  # past the length where replace passes take over
    assert normalise_message(text) == " ".join(text.split())


def test_whitespace_constant_lists_every_split_character() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert every.replace(" ", "") == WHITESPACE
