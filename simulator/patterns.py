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
a backtracking regex (``simulator.pattern_parser.to_regex_source``), but matching uses a greedy segment matcher
that is linear in the message for ANY pattern (see "linear matching" below); where an
equivalent linear regex exists, ``PatternSet`` fuses a bot's patterns into one regex so
that picking the first matching starter costs one regex call per message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.pattern_errors import PatternSyntaxError, normalise_message
from simulator.pattern_parser import (
    FLAGS,
    FLEXIBLE_SPACE,
    Group,
    Literal,
    Node,
    Parser,
    Token,
    render_node,
    space_at,
    translate,
)
from simulator.regex_guard import compile_regex, guard_regex

__all__ = [
    "LONG_MESSAGE",
    "STEPS",
    "Pattern",
    "PatternSet",
    "PatternSyntaxError",
    "StepCounter",
    "compile_pattern",
    "compile_regex",
    "guard_regex",
    "normalise_message",
]

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
    # Literal texts one of which every match of the piece contains (empty: no such set).
    needles: tuple[str, ...] = ()


def _has_star(node: Node) -> bool:
    if node is Token.STAR:
        return True
    if isinstance(node, Group):
        return any(_has_star(n) for alt in node.alternates for n in alt)
    return False


def _widths(nodes: tuple[Node, ...], i: int) -> tuple[int, int]:
    """Fewest and most characters node ``i`` (star-free) can match, in its context."""
    node = nodes[i]
    if isinstance(node, Literal):
        return len(node.text), len(node.text)
    if isinstance(node, Group):
        bounds = [
            (
                sum(_widths(alt, k)[0] for k in range(len(alt))),
                sum(_widths(alt, k)[1] for k in range(len(alt))),
            )
            for alt in node.alternates
        ]
        return min(b[0] for b in bounds), max(b[1] for b in bounds)
    rendered = space_at(nodes, i)  # a SPACE; stars never reach here
    if rendered == " ":
        return 1, 1
    return (0, 1) if rendered == FLEXIBLE_SPACE else (0, 0)


def _variants(nodes: tuple[Node, ...], i: int, low: int, high: int) -> tuple[_Piece, ...]:
    """Split a variable-width node into fixed-width pieces, when each part is fixed-width.

    A flexible space is " " or a zero-width merge; a group's alternates are bucketed by
    width (their order inside an alternation does not change whether it can match).
    """
    if low == high:
        return ()
    node = nodes[i]
    if node is Token.SPACE:
        return (_Piece(" ", 1, 1), _Piece(r"(?:(?<= )|\A|\Z)", 0, 0))
    if not isinstance(node, Group):
        return ()
    buckets: dict[int, list[str]] = {}
    for alt in node.alternates:
        bounds = [_widths(alt, k) for k in range(len(alt))]
        width = sum(b[0] for b in bounds)
        if width != sum(b[1] for b in bounds):
            return ()
        buckets.setdefault(width, []).append(translate(alt))
    return tuple(_Piece("(?:" + "|".join(r) + ")", w, w) for w, r in sorted(buckets.items()))


def _needles(node: Node) -> tuple[str, ...]:
    """Texts one of which every match of ``node`` (star-free) contains, as written.

    A literal needs itself; a group needs one text of each alternate (the longest literal of
    it, or what a nested group needs), and nothing when some alternate needs nothing.
    """
    if isinstance(node, Literal):
        return (node.text,)
    if not isinstance(node, Group):
        return ()
    found: list[str] = []
    for alt in node.alternates:
        best: tuple[str, ...] = ()
        for child in alt:
            need = _needles(child)
            if need and (not best or min(map(len, need)) > min(map(len, best))):
                best = need
        if not best:
            return ()
        found.extend(best)
    return tuple(dict.fromkeys(found))


class _TooManyAlternatives(Exception):
    pass


def _flatten(nodes: tuple[Node, ...]) -> list[tuple[_Piece | None, ...]]:
    """Distribute star-containing groups: a list of piece sequences, ``None`` for a star.

    Pieces are rendered exactly as ``translate`` renders them, in their own sequence's
    context, so the union means what the backtracking regex means.
    """
    results: list[tuple[_Piece | None, ...]] = [()]
    for i, node in enumerate(nodes):
        options: list[tuple[_Piece | None, ...]]
        if node is Token.STAR:
            options = [(None,)]
        elif isinstance(node, Group) and _has_star(node):
            options = [flat for alt in node.alternates for flat in _flatten(alt)]
        else:
            low, high = _widths(nodes, i)
            piece = _Piece(
                render_node(nodes, i),
                low,
                high,
                _variants(nodes, i, low, high),
                _needles(node),
            )
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
    # Only in segments built for lowered Latin-1 messages (see "narrow messages"): texts one of
    # which every match contains, found with ``str.find`` before the regex runs, and how far
    # before such a text a match can start (``high`` minus the shortest text).
    needles: tuple[str, ...] = ()
    reach: int = 0

    @classmethod
    def build(cls, pieces: list[_Piece], flags: int = FLAGS, needles: bool = False) -> _Segment:
        body = "(?:" + "".join(p.regex for p in pieces) + ")"
        high = sum(p.high for p in pieces)
        texts: tuple[str, ...] = ()
        if needles:
            # The piece whose shortest text is longest: the rarest, so the fewest false hits.
            for piece in pieces:
                if piece.needles and (
                    not texts or min(map(len, piece.needles)) > min(map(len, texts))
                ):
                    texts = piece.needles
        return cls(
            sum(p.low for p in pieces),
            high,
            re.compile(body, flags),
            re.compile(body + r"(?=.\Z)", flags),
            re.compile(body + r"\Z", flags),
            texts,
            high - min(map(len, texts), default=0),
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
        if self.needles:
            # A match starting at s >= pos holds a needle at some q with s <= q <= s + reach,
            # so no match starts before (first needle at or after pos) - reach: skip there
            # with str.find (C speed) instead of letting the regex try every position.
            first = -1
            for needle in self.needles:
                # Once one needle is found, the others only matter if they come before it.
                at = text.find(needle, pos) if first < 0 else text.find(needle, pos, first)
                if at >= 0:
                    first = at
            if first < 0:
                return None
            pos = max(pos, first - self.reach)
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


def _split(
    flat: tuple[_Piece | None, ...], flags: int = FLAGS, needles: bool = False
) -> tuple[_Segment, ...]:
    groups: list[list[_Piece]] = [[]]
    for piece in flat:
        if piece is None:
            groups.append([])
        else:
            groups[-1].append(piece)
    return tuple(_Segment.build(g, flags, needles) for g in groups)


# --------------------------------------------------------------------------- narrow messages
#
# Long messages are nearly always ASCII, or at least Latin-1 (accented Western European
# text). Lowered once, such a message can be scanned by regexes compiled WITHOUT
# re.IGNORECASE (several times faster in the regex engine) and searched for literal texts
# with ``str.find``. That form of a pattern replaces every literal character by the one
# lowercase Latin-1 character it matches under re.IGNORECASE, as the regex engine itself says
# (``_narrow_fold``), so both forms accept exactly the same Latin-1 messages; a character that
# matches no Latin-1 character becomes one no Latin-1 message holds. ``str.lower`` keeps a
# Latin-1 text Latin-1 and its length (no character lowers to two), so positions agree.

#: Stands for a pattern character that matches no Latin-1 character (never in such a message).
_NOT_NARROW = "\u0100"
_NARROW = [chr(c) for c in range(256)]


@functools.lru_cache(maxsize=4096)
def _narrow_fold(char: str) -> str | None:
    """The lowercase Latin-1 character ``char`` matches under re.IGNORECASE (``_NOT_NARROW``
    when it matches none), or None when no single character stands for what it matches."""
    regex = re.compile(re.escape(char), FLAGS)
    hits = {c for c in _NARROW if regex.fullmatch(c)}
    lowered = {c.lower() for c in hits}
    if not hits:
        return _NOT_NARROW
    if len(lowered) != 1:
        return None
    (fold,) = lowered
    if hits != {c for c in _NARROW if c.lower() == fold}:
        return None
    return fold


def _fold_nodes(nodes: tuple[Node, ...]) -> tuple[Node, ...] | None:
    """``nodes`` with every literal folded for lowered Latin-1 messages (None: not possible)."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Literal):
            chars = [_narrow_fold(c) for c in node.text]
            if any(c is None for c in chars):
                return None
            out.append(Literal("".join(c for c in chars if c is not None)))
        elif isinstance(node, Group):
            alternates = [_fold_nodes(alt) for alt in node.alternates]
            if any(alt is None for alt in alternates):
                return None
            out.append(Group(tuple(alt for alt in alternates if alt is not None)))
        else:
            out.append(node)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _narrow_alternatives(source: str) -> tuple[tuple[_Segment, ...], ...] | None:
    """The segments of ``source`` for lowered Latin-1 messages: case-sensitive regexes, and
    needles for ``str.find``; None when some literal cannot be folded."""
    folded = _fold_nodes(Parser(source).parse())
    if folded is None:
        return None
    return tuple(_split(flat, re.DOTALL, needles=True) for flat in _flatten(folded))


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
        nodes = Parser(self.source).parse()
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
        object.__setattr__(self, "regex", None if fast is None else re.compile(fast, FLAGS))

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
        return self._matches_segments(message, _lowered_narrow(message))

    def _matches_segments(self, message: str, lowered: str | None) -> bool:
        """The greedy segment matcher; ``lowered`` is the lowered message when it is Latin-1.

        A Latin-1 message is matched in its lowered form by the pattern's narrow segments
        (case-sensitive regexes, ``str.find`` for their literal texts); any other message by
        the case-insensitive segments. Both forms accept the same messages.
        """
        if lowered is not None:
            folded = _narrow_alternatives(self.source)
            if folded is not None:
                return any(_match_segments(segments, lowered) for segments in folded)
        return any(_match_segments(segments, message) for segments in self._alternatives)


def _lowered_narrow(message: str) -> str | None:
    """The lowered message when all its characters are Latin-1 (see "narrow messages")."""
    if not message.isascii():  # O(1): CPython knows whether a string is ASCII
        try:
            message.encode("latin-1")
        except UnicodeEncodeError:
            return None
    return message.lower()


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
            self._runs.append((end - len(run), re.compile(fused, FLAGS)))
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
        message = " ".join(text.split()) if len(text) <= LONG_MESSAGE else normalise_message(text)
        if len(message) > LONG_MESSAGE:
            lowered = _lowered_narrow(message)  # once for all the patterns
            for index, pattern in enumerate(self._patterns):
                if pattern._matches_segments(message, lowered):
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
