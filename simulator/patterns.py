"""Conversation Builder dialog-starter patterns (rule B6).

A dialog starter fires when a consumer message matches one of its patterns. The pattern
language is deliberately tiny, and bot authors write it by hand, so this module keeps its
semantics explicit and reports every mistake with a column:

* A pattern matches the WHOLE message, never a substring.
* ``*`` matches any run of characters, including none.
* ``(a|b|c)`` lists alternates; groups nest, and an empty alternate makes the group
  optional: ``(thank(|s)|thank you)*`` matches "thank", "thanks", "thank you" and
  "thanks a lot".
* Everything else is literal, ``.``, ``?``, ``+``, ``[``, ``$`` and friends included.
* Letter case never matters; leading and trailing white space of both message and pattern
  is ignored; a run of white space in either counts as one space.
* White space next to ``*`` is optional, because authors write ``(hi|hello) *`` meaning
  "hi, optionally followed by more", and ``* back`` meaning "ends with the word back".
  Such a space acts as a word boundary: ``(hi|hello) *`` matches a bare "hi" and
  "hi there" but not "hithere"; ``* back`` matches "back" but not "setback"; ``a * b``
  matches "a b" and "a x b" but not "ab"; ``x *y`` matches "x y" and "x zy", not "xy".
* A space at the edge of a group (``(hi | hello) there``) merges with a neighbouring space
  instead of demanding two, so stray spaces around ``|`` do not silently break a pattern.

Patterns are parsed by a small recursive-descent parser. Their meaning is stated once, as
a backtracking regex (``_to_regex_source``), but matching uses a greedy segment matcher
that is linear in the message for ANY pattern (see "linear matching" below); where an
equivalent linear regex exists, ``PatternSet`` fuses a bot's patterns into one regex so
that picking the first matching starter costs one regex call per message.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "Pattern",
    "PatternSet",
    "PatternSyntaxError",
    "compile_pattern",
    "compile_regex",
    "guard_regex",
    "normalise_message",
]

_FLAGS = re.IGNORECASE | re.DOTALL

# Deep nesting is never intentional in a hand-written pattern; refusing it early keeps the
# parser's recursion (and the regex compiler's) far from Python's recursion limit.
_MAX_DEPTH = 64

# A pattern space that is not safely between two literals: one space, or nothing when a
# neighbouring space (or the edge of the message) already separates the words.
_FLEXIBLE_SPACE = r"(?: |(?<= )|\A|\Z)"

# A space next to "*" is a word boundary rather than a character: "hi *" accepts "hi" and
# "hi there" but not "hithere", "* back" accepts "back" but not "setback". When the other
# neighbour is a group (or a group edge) it may itself hold the space or sit at the edge of
# the message, so a boundary on either side will do.
_WORD_END = r"(?![^ ])"
_BOUNDARY = r"(?:(?<![^ ])|(?![^ ]))"


class PatternSyntaxError(ValueError):
    """A dialog-starter pattern or regular-expression rule that cannot be compiled.

    ``position`` is a 0-based index into ``pattern`` so tools can point at the culprit;
    the message uses 1-based columns because that is what a person counts.
    """

    def __init__(
        self,
        pattern: str,
        position: int,
        reason: str,
        *,
        kind: str = "pattern",
        anchor: str = "at",
    ) -> None:
        super().__init__(pattern, position, reason)
        self.pattern = pattern
        self.position = position
        self.reason = reason
        self.kind = kind
        self.anchor = anchor

    def __str__(self) -> str:
        return (
            f'malformed {self.kind} "{self.pattern}": '
            f"{self.reason} {self.anchor} column {self.position + 1}"
        )


def normalise_message(text: str) -> str:
    """Collapse white space the way the matcher sees a message.

    Done once per message (not once per pattern) because it dominates the cost of
    matching short messages.
    """
    return " ".join(text.split())


# --------------------------------------------------------------------------- parsing


class _Token(enum.Enum):
    SPACE = "space"
    STAR = "star"


@dataclass(frozen=True, slots=True)
class _Literal:
    text: str


@dataclass(frozen=True, slots=True)
class _Group:
    alternates: tuple[tuple[_Node, ...], ...]


_Node = _Literal | _Group | _Token


class _Parser:
    """Recursive descent over ``sequence := item*``, ``group := "(" sequence ("|" sequence)* ")"``.

    Works on the stripped pattern but reports positions in the caller's original string,
    hence ``offset``.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.text = source.strip()
        self.offset = len(source) - len(source.lstrip())
        self.pos = 0

    def error(self, position: int, reason: str, anchor: str = "at") -> PatternSyntaxError:
        return PatternSyntaxError(self.source, self.offset + position, reason, anchor=anchor)

    def parse(self) -> tuple[_Node, ...]:
        if not self.text:
            raise PatternSyntaxError(self.source, 0, "empty pattern")
        nodes = self.sequence(depth=0)
        if self.pos < len(self.text):
            if self.text[self.pos] == ")":
                raise self.error(self.pos, 'unmatched ")"')
            raise self.error(self.pos, '"|" outside a group')
        return nodes

    def sequence(self, depth: int) -> tuple[_Node, ...]:
        text = self.text
        nodes: list[_Node] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                nodes.append(_Literal("".join(literal)))
                literal.clear()

        while self.pos < len(text):
            ch = text[self.pos]
            if ch in ")|":
                break
            if ch == "(":
                flush()
                nodes.append(self.group(depth + 1))
            elif ch == "*":
                flush()
                if not nodes or nodes[-1] is not _Token.STAR:
                    nodes.append(_Token.STAR)
                self.pos += 1
            elif ch.isspace():
                flush()
                while self.pos < len(text) and text[self.pos].isspace():
                    self.pos += 1
                nodes.append(_Token.SPACE)
            else:
                literal.append(ch)
                self.pos += 1
        flush()
        return tuple(nodes)

    def group(self, depth: int) -> _Group:
        start = self.pos
        if depth > _MAX_DEPTH:
            raise self.error(start, f"groups nested more than {_MAX_DEPTH} deep")
        self.pos += 1  # the "("
        alternates = [self.sequence(depth)]
        while True:
            if self.pos >= len(self.text):
                raise self.error(start, 'unclosed "("', anchor="opened at")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == ")":
                return _Group(tuple(alternates))
            alternates.append(self.sequence(depth))  # ch == "|"


# --------------------------------------------------------------------------- translation


def _space(nodes: tuple[_Node, ...], i: int) -> str:
    prev = nodes[i - 1] if i else None
    nxt = nodes[i + 1] if i + 1 < len(nodes) else None
    if prev is _Token.STAR:
        # "* x" and "* *": the star may swallow the space, so only demand that x starts
        # a word. Zero-width, which keeps runs between stars fixed-width (see _translate).
        if nxt is _Token.STAR or isinstance(nxt, _Literal):
            return ""  # a literal checks its own start, see _render
        return _BOUNDARY
    if nxt is _Token.STAR:
        # "x *": x must end a word.
        return _WORD_END if isinstance(prev, _Literal) else _BOUNDARY
    if isinstance(prev, _Literal) and isinstance(nxt, _Literal):
        # Messages are normalised, so between two literals a space is exactly one space;
        # keeping it a plain literal lets the regex engine scan quickly.
        return " "
    return _FLEXIBLE_SPACE


def _translate(nodes: tuple[_Node, ...]) -> str:
    """Render one sequence; ``*`` becomes ``.*`` except before a fixed run.

    Naive ``.*a.*b.*`` backtracks through every combination of star lengths, which costs
    about n**k steps for k stars on an n-character message (seconds for
    "* a * a * a * b *" on 300 characters). When the nodes between a star and the next star of the same sequence are
    only literals and spaces, what they match has a fixed width and depends on nothing
    but the message, so taking its leftmost occurrence is never worse than a later one
    (the next star absorbs the gap). The atomic group ``(?>.*?run)`` commits to that
    occurrence and makes such patterns linear.
    """
    out: list[str] = []
    count = len(nodes)
    i = 0
    while i < count:
        node = nodes[i]
        if node is _Token.STAR:
            end = i + 1
            while end < count and (nodes[end] is _Token.SPACE or isinstance(nodes[end], _Literal)):
                end += 1
            run = range(i + 1, end)
            if (
                end < count
                and nodes[end] is _Token.STAR
                and any(isinstance(nodes[k], _Literal) for k in run)
            ):
                out.append("(?>.*?" + "".join(_render(nodes, k) for k in run) + ")")
                i = end
                continue
            out.append(".*")
        else:
            out.append(_render(nodes, i))
        i += 1
    return "".join(out)


def _render(nodes: tuple[_Node, ...], i: int) -> str:
    node = nodes[i]
    if node is _Token.SPACE:
        return _space(nodes, i)
    if node is _Token.STAR:
        return ".*"
    if isinstance(node, _Literal):
        text = re.escape(node.text)
        if i >= 2 and nodes[i - 1] is _Token.SPACE and nodes[i - 2] is _Token.STAR:
            # "* word": check the word start after matching the word, as a lookbehind
            # over it, so the scan for the word is not slowed by an assertion per position.
            return f"{text}(?<![^ ]{text})"
        return text
    return "(?:" + "|".join(_translate(alt) for alt in node.alternates) + ")"


def _to_regex_source(source: str) -> str:
    """The whole pattern as one backtracking regex: the executable statement of the semantics.

    Matching never uses it (it costs polynomial time on long messages when a group sits
    between two stars); the property tests and ``benchmarks/pattern_matching.py`` compare the
    linear matcher below against it.
    """
    return _translate(_Parser(source).parse())


# --------------------------------------------------------------------------- linear matching
#
# A pattern is a union of "flat" alternatives: sequences of star-free *segments* separated by
# stars (a group that contains a star is distributed into the union; other groups stay inside
# their segment). A segment matches strings of bounded width, and its lookarounds inspect at
# most one character outside the text it covers, so whether it matches a given stretch depends
# on the message alone. Hence greedy matching is exact: the first segment must start at 0, the
# last must end at the end, and every segment in between may take the match that ENDS
# earliest after the previous one, because whatever the rest can match from a later end it
# can also match from an earlier one (the star in between absorbs the gap). Each segment costs
# one forward ``re.search`` plus a handful of bounded checks, so a pattern costs
# O(len(message) x len(pattern)), never a power of the message length.

# Distributing star-containing groups multiplies alternatives; hand-written patterns stay far
# below this, and the error tells the author to split the pattern.
_MAX_ALTERNATIVES = 256


class StepCounter:
    """Counts regex invocations made by the linear matcher (for operation-count tests).

    Each invocation scans the message once with a star-free regex, so a count that does not
    grow with the message length is what "linear" means here.
    """

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


STEPS = StepCounter()


@dataclass(frozen=True, slots=True)
class _Piece:
    regex: str
    low: int
    high: int
    # Fixed-width pieces whose union is this one (empty when fixed or not splittable); they
    # let a variable-width segment become a few fixed-width ones for the fast regex.
    variants: tuple[_Piece, ...] = ()


def _has_star(node: _Node) -> bool:
    if node is _Token.STAR:
        return True
    if isinstance(node, _Group):
        return any(_has_star(n) for alt in node.alternates for n in alt)
    return False


def _widths(nodes: tuple[_Node, ...], i: int) -> tuple[int, int]:
    """Fewest and most characters node ``i`` (star-free) can match, in its context."""
    node = nodes[i]
    if isinstance(node, _Literal):
        return len(node.text), len(node.text)
    if isinstance(node, _Group):
        bounds = [
            (
                sum(_widths(alt, k)[0] for k in range(len(alt))),
                sum(_widths(alt, k)[1] for k in range(len(alt))),
            )
            for alt in node.alternates
        ]
        return min(b[0] for b in bounds), max(b[1] for b in bounds)
    rendered = _space(nodes, i)  # a SPACE; stars never reach here
    if rendered == " ":
        return 1, 1
    return (0, 1) if rendered == _FLEXIBLE_SPACE else (0, 0)


def _variants(nodes: tuple[_Node, ...], i: int, low: int, high: int) -> tuple[_Piece, ...]:
    """Split a variable-width node into fixed-width pieces, when each part is fixed-width.

    A flexible space is " " or a zero-width merge; a group's alternates are bucketed by
    width (their order inside an alternation does not change whether it can match).
    """
    if low == high:
        return ()
    node = nodes[i]
    if node is _Token.SPACE:
        return (_Piece(" ", 1, 1), _Piece(r"(?:(?<= )|\A|\Z)", 0, 0))
    if not isinstance(node, _Group):
        return ()
    buckets: dict[int, list[str]] = {}
    for alt in node.alternates:
        bounds = [_widths(alt, k) for k in range(len(alt))]
        width = sum(b[0] for b in bounds)
        if width != sum(b[1] for b in bounds):
            return ()
        buckets.setdefault(width, []).append(_translate(alt))
    return tuple(_Piece("(?:" + "|".join(r) + ")", w, w) for w, r in sorted(buckets.items()))


class _TooManyAlternatives(Exception):
    pass


def _flatten(nodes: tuple[_Node, ...]) -> list[tuple[_Piece | None, ...]]:
    """Distribute star-containing groups: a list of piece sequences, ``None`` for a star.

    Pieces are rendered exactly as ``_translate`` renders them, in their own sequence's
    context, so the union means what the backtracking regex means.
    """
    results: list[tuple[_Piece | None, ...]] = [()]
    for i, node in enumerate(nodes):
        options: list[tuple[_Piece | None, ...]]
        if node is _Token.STAR:
            options = [(None,)]
        elif isinstance(node, _Group) and _has_star(node):
            options = [flat for alt in node.alternates for flat in _flatten(alt)]
        else:
            low, high = _widths(nodes, i)
            piece = _Piece(_render(nodes, i), low, high, _variants(nodes, i, low, high))
            options = [(piece,)]
        results = [r + o for r in results for o in options]
        if len(results) > _MAX_ALTERNATIVES:
            raise _TooManyAlternatives
    return results


@dataclass(frozen=True, slots=True)
class _Segment:
    """A star-free stretch of a flat alternative, with the regexes that locate it."""

    low: int
    high: int
    search: re.Pattern[str]  # the segment alone, to find its leftmost occurrence
    inner: re.Pattern[str]  # ... followed by exactly one more character (see _covers)
    final: re.Pattern[str]  # ... ending the message

    @classmethod
    def build(cls, pieces: list[_Piece]) -> _Segment:
        body = "(?:" + "".join(p.regex for p in pieces) + ")"
        return cls(
            sum(p.low for p in pieces),
            sum(p.high for p in pieces),
            re.compile(body, _FLAGS),
            re.compile(body + r"(?=.\Z)", _FLAGS),
            re.compile(body + r"\Z", _FLAGS),
        )

    @property
    def fixed(self) -> bool:
        return self.low == self.high

    def covers(self, text: str, start: int, end: int) -> bool:
        """Whether the segment matches exactly ``text[start:end]``.

        Lookarounds see one character either side, so a window with that much context
        decides it; ``match(window, 1)`` keeps ``\\A`` from matching inside the message.
        """
        STEPS.steps += 1
        low = start - 1 if start else 0
        if end < len(text):
            return self.inner.match(text[low : end + 1], start - low) is not None
        return self.final.match(text[low:end], start - low) is not None

    def earliest_end_from(self, text: str, pos: int) -> int | None:
        """The smallest end of a match that starts at ``pos`` or later."""
        STEPS.steps += 1
        found = self.search.search(text, pos)
        if found is None:
            return None
        first, best = found.start(), found.end()
        if self.fixed:
            return best  # one width: the leftmost start also ends first
        # A match ending before ``best`` starts at or after ``first`` (the leftmost start) and
        # spans at most ``high`` characters: a window bounded by the pattern, not the message.
        for end in range(first + self.low, best):
            for start in range(max(first, end - self.high), end - self.low + 1):
                if self.covers(text, start, end):
                    return end
        return best


def _match_segments(segments: tuple[_Segment, ...], text: str) -> bool:
    size = len(text)
    head = segments[0]
    if len(segments) == 1:
        return head.low <= size <= head.high and head.covers(text, 0, size)
    pos = next(
        (w for w in range(head.low, min(head.high, size) + 1) if head.covers(text, 0, w)), None
    )
    for middle in segments[1:-1]:
        if pos is None:
            return False
        pos = middle.earliest_end_from(text, pos)
    if pos is None:
        return False
    tail = segments[-1]
    return any(
        tail.covers(text, size - w, size) for w in range(tail.low, min(tail.high, size - pos) + 1)
    )


def _split(flat: tuple[_Piece | None, ...]) -> tuple[_Segment, ...]:
    groups: list[list[_Piece]] = [[]]
    for piece in flat:
        if piece is None:
            groups.append([])
        else:
            groups[-1].append(piece)
    return tuple(_Segment.build(g) for g in groups)


# How many fixed-width alternatives the fast regex may unfold a pattern into.
_MAX_FAST_ALTERNATIVES = 16

#: Messages longer than this skip the fused regex: its ``(?>.*?segment)`` steps through the
#: message one character at a time (per alternative), while the greedy matcher's
#: ``re.search`` per segment skips ahead to candidate characters. Both are linear; on short
#: messages one fused call beats several searches, on long ones the searches win.
LONG_MESSAGE = 2048


def _fixed_middles(flats: list[tuple[_Piece | None, ...]]) -> list[tuple[_Segment, ...]] | None:
    """The flat alternatives with every variable piece between two stars replaced by each of
    its fixed-width variants, or None when some piece cannot be split or too many result."""
    out: list[tuple[_Piece | None, ...]] = []
    for flat in flats:
        stars = [k for k, piece in enumerate(flat) if piece is None]
        expanded: list[tuple[_Piece | None, ...]] = [()]
        for k, piece in enumerate(flat):
            options: tuple[_Piece | None, ...] = (piece,)
            if piece is not None and piece.low != piece.high and stars and stars[0] < k < stars[-1]:
                if not piece.variants:
                    return None
                options = piece.variants
            expanded = [(*e, o) for e in expanded for o in options]
            if len(out) + len(expanded) > _MAX_FAST_ALTERNATIVES:
                return None
        out.extend(expanded)
    return [_split(flat) for flat in out]


def _fast_regex(alternatives: Sequence[tuple[_Segment, ...]]) -> str | None:
    """One regex equivalent to the greedy matcher, when every middle segment has one width.

    Then the leftmost occurrence is also the earliest-ending one, and the atomic group
    ``(?>.*?segment)`` commits to it, so the regex engine never revisits a star: linear,
    and several patterns can be fused into one regex call (see ``PatternSet``).
    """
    rendered = []
    for segments in alternatives:
        if not all(s.fixed for s in segments[1:-1]):
            return None
        parts = [segments[0].search.pattern]
        if len(segments) > 1:
            parts += [f"(?>.*?{s.search.pattern})" for s in segments[1:-1]]
            parts.append(".*" + segments[-1].search.pattern)
        rendered.append("".join(parts))
    return "(?:" + "|".join(rendered) + ")"


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled dialog-starter pattern; construction validates ``source``.

    Equality and hashing use ``source`` only, so patterns can key dictionaries. ``regex``
    is a linear regex equivalent to the pattern when one exists (the common case), else
    None and ``matches`` runs the greedy segment matcher.
    """

    source: str
    regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _alternatives: tuple[tuple[_Segment, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        nodes = _Parser(self.source).parse()
        try:
            flats = _flatten(nodes)
        except _TooManyAlternatives:
            raise PatternSyntaxError(
                self.source,
                max(self.source.find("("), 0),
                f'groups containing "*" combine into more than {_MAX_ALTERNATIVES} '
                "alternatives (split it into several patterns)",
                anchor="from the group at",
            ) from None
        alternatives = tuple(_split(flat) for flat in flats)
        fast = _fast_regex(alternatives)
        if fast is None:
            fixed = _fixed_middles(flats)
            fast = None if fixed is None else _fast_regex(fixed)
        object.__setattr__(self, "_alternatives", alternatives)
        object.__setattr__(self, "regex", None if fast is None else re.compile(fast, _FLAGS))

    @property
    def alternatives(self) -> tuple[tuple[_Segment, ...], ...]:
        """The star-separated segments of each flat alternative (read by group indexes)."""
        return self._alternatives

    def matches(self, text: str) -> bool:
        """Whether the whole message, normalised, matches this pattern."""
        return self.matches_normalised(normalise_message(text))

    def matches_normalised(self, message: str) -> bool:
        """``matches`` for a message already passed through ``normalise_message``."""
        if self.regex is not None and len(message) <= LONG_MESSAGE:
            STEPS.steps += 1
            return self.regex.fullmatch(message) is not None
        return any(_match_segments(segments, message) for segments in self._alternatives)


@functools.lru_cache(maxsize=4096)
def compile_pattern(source: str) -> Pattern:
    """Compile ``source`` once; bots reuse the same few patterns across many tests."""
    return Pattern(source)


class PatternSet:
    """An ordered list of patterns where the first match wins, as dialog starters do.

    Consecutive patterns that have a linear ``regex`` are fused into one alternation
    ``(p0)|(p1)|...`` matched with ``fullmatch``. The regex engine tries alternatives strictly
    in order and only moves on when an alternative cannot match the whole message, so the
    matching group is the first pattern in list order that matches; because pattern bodies
    contain only non-capturing groups, ``Match.lastindex - 1`` is its index within the run.
    Patterns without such a regex are tried on their own, in their place in the order.
    """

    __slots__ = ("_patterns", "_runs")

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self._patterns = tuple(patterns)
        self._runs: list[tuple[int, re.Pattern[str] | Pattern]] = []
        run: list[Pattern] = []
        for index, pattern in enumerate(self._patterns):
            if pattern.regex is not None:
                run.append(pattern)
                continue
            self._flush(run, index)
            self._runs.append((index, pattern))
        self._flush(run, len(self._patterns))

    def _flush(self, run: list[Pattern], end: int) -> None:
        if run:
            fused = "|".join(f"({p.regex.pattern})" for p in run if p.regex is not None)
            self._runs.append((end - len(run), re.compile(fused, _FLAGS)))
            run.clear()

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return self._patterns

    def __len__(self) -> int:
        return len(self._patterns)

    def __repr__(self) -> str:
        return f"PatternSet({[p.source for p in self._patterns]!r})"

    def first_match(self, text: str) -> int | None:
        """Index of the first pattern that matches ``text``, or None when none does."""
        message = " ".join(text.split())
        if len(message) > LONG_MESSAGE:
            for index, pattern in enumerate(self._patterns):
                if pattern.matches_normalised(message):
                    return index
            return None
        for start, matcher in self._runs:
            if isinstance(matcher, Pattern):
                if matcher.matches_normalised(message):
                    return start
                continue
            STEPS.steps += 1
            found = matcher.fullmatch(message)
            if found is not None and found.lastindex is not None:
                return start + found.lastindex - 1
        return None


# --------------------------------------------------------------------------- regex rules
#
# A question rule's regular expression is written by the bot author and run by Python's
# backtracking engine on every answer. A repeated group that itself holds an unbounded
# repeat ("(a+)+", "(\\w+\\s?)*") can be split between the two in exponentially many ways
# when the rest fails, so one long answer would hang the run. Such a rule is refused when
# the bot loads, with a column and a rewrite hint, rather than bounded at run time.

_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")


def _quantifier_at(source: str, i: int) -> tuple[int, bool] | None:
    """``(length, unbounded)`` of the quantifier starting at ``i`` (modifiers included)."""
    found = _QUANTIFIER.match(source, i)
    if found is None or (found.group(0).startswith("{") and not found.group(1) + found.group(3)):
        return None
    text = found.group(0)
    unbounded = text in "*+" or (
        text.startswith("{") and found.group(2) == "," and not found.group(3)
    )
    end = found.end()
    if end < len(source) and source[end] in "?+":  # lazy or possessive
        end += 1
    return end - i, unbounded


def _nested_quantifier(source: str) -> tuple[int, int] | None:
    """``(group start, inner quantifier)`` of the first unboundedly repeated group that
    contains an unbounded repeat, or None. Runs on a source ``re`` already accepted."""
    stack: list[list[int | bool | None]] = [[0, None, False]]  # [start, inner, atomic]
    i, size = 0, len(source)
    while i < size:
        ch = source[i]
        closed: tuple[int, int | None] | None = None
        if ch == "\\":
            i += 2
        elif ch == "[":
            i += 1
            if i < size and source[i] == "^":
                i += 1
            if i < size and source[i] == "]":
                i += 1
            while i < size and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            i += 1
        elif ch == "(":
            if source.startswith("(?#", i):
                i = source.find(")", i) + 1 or size
                continue
            stack.append([i, None, source.startswith("(?>", i)])
            i += 1
            continue
        elif ch == ")" and len(stack) > 1:
            start, inner, atomic = stack.pop()
            assert isinstance(start, int) and not isinstance(inner, bool)
            closed = (start, None if atomic else inner)
            i += 1
        else:
            i += 1
        quantifier = _quantifier_at(source, i)
        if quantifier is None:
            if closed is not None and closed[1] is not None and stack[-1][1] is None:
                stack[-1][1] = closed[1]
            continue
        length, unbounded = quantifier
        if unbounded and closed is not None and closed[1] is not None:
            return closed[0], closed[1]
        parent = stack[-1]
        if parent[1] is None:
            if closed is not None and closed[1] is not None:
                parent[1] = closed[1]
            elif unbounded:
                parent[1] = i
        i += length
    return None


def guard_regex(source: str) -> None:
    """Refuse a regular expression that nests unbounded repeats (see ``_nested_quantifier``).

    Public so every place that runs a user's regular expression (question rules, steps that
    search replies) can apply the same load-time guard and message.
    """
    nested = _nested_quantifier(source)
    if nested is not None:
        group, inner = nested
        raise PatternSyntaxError(
            source,
            group,
            f"nested repeat (the group repeats, and so does its part at column {inner + 1};"
            " that takes exponential time on some long messages, so repeat once: write"
            " (a+)+ as a+, (\\w+\\s?)+ as [\\w\\s]+)",
            kind="regular expression",
            anchor="in the group at",
        )


@functools.lru_cache(maxsize=4096)
def compile_regex(source: str) -> re.Pattern[str]:
    """Compile a "regular expression" question rule (use with ``search``, case-insensitive).

    ``re.error`` is re-raised as ``PatternSyntaxError`` so callers handle one exception type
    for every kind of user-written matcher; so is a nested unbounded repeat, which could make
    one answer take exponential time (see ``_nested_quantifier``).
    """
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        position = exc.pos if exc.pos is not None else 0
        raise PatternSyntaxError(source, position, exc.msg, kind="regular expression") from exc
    guard_regex(source)
    return compiled
