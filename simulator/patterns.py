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

Patterns are translated into Python regular expressions by a small recursive-descent
parser (literal runs between two stars become atomic groups so that many-star patterns
stay linear; a group between stars can still cost polynomial time on long messages);
``PatternSet`` then fuses a bot's patterns into one regex so that picking the first
matching starter costs one regex call per message rather than one per pattern.
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
    return _translate(_Parser(source).parse())


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled dialog-starter pattern; construction validates ``source``.

    Equality and hashing use ``source`` only, so patterns can key dictionaries.
    """

    source: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(_to_regex_source(self.source), _FLAGS))

    def matches(self, text: str) -> bool:
        """Whether the whole message, normalised, matches this pattern."""
        return self.regex.fullmatch(normalise_message(text)) is not None


@functools.lru_cache(maxsize=4096)
def compile_pattern(source: str) -> Pattern:
    """Compile ``source`` once; bots reuse the same few patterns across many tests."""
    return Pattern(source)


class PatternSet:
    """An ordered list of patterns where the first match wins, as dialog starters do.

    All patterns are fused into one alternation ``(p0)|(p1)|...`` matched with
    ``fullmatch``. The regex engine tries alternatives strictly in order and only moves on
    when an alternative cannot match the whole message, so the matching group is always
    the first pattern in list order that matches. Because pattern bodies contain only
    non-capturing groups, ``Match.lastindex - 1`` is that pattern's index.
    """

    __slots__ = ("_patterns", "_regex")

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self._patterns = tuple(patterns)
        if self._patterns:
            fused = "|".join(f"({p.regex.pattern})" for p in self._patterns)
            self._regex: re.Pattern[str] | None = re.compile(fused, _FLAGS)
        else:
            self._regex = None

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return self._patterns

    def __len__(self) -> int:
        return len(self._patterns)

    def __repr__(self) -> str:
        return f"PatternSet({[p.source for p in self._patterns]!r})"

    def first_match(self, text: str) -> int | None:
        """Index of the first pattern that matches ``text``, or None when none does."""
        regex = self._regex
        if regex is None:
            return None
        found = regex.fullmatch(" ".join(text.split()))
        if found is None or found.lastindex is None:
            return None
        return found.lastindex - 1


@functools.lru_cache(maxsize=4096)
def compile_regex(source: str) -> re.Pattern[str]:
    """Compile a "regular expression" question rule (use with ``search``, case-insensitive).

    ``re.error`` is re-raised as ``PatternSyntaxError`` so callers handle one exception type
    for every kind of user-written matcher.
    """
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        position = exc.pos if exc.pos is not None else 0
        raise PatternSyntaxError(source, position, exc.msg, kind="regular expression") from exc
