"""Parsing a dialog-starter pattern and stating its meaning as a backtracking regex (B6).

The pattern language is described in ``simulator.patterns``. This module owns its syntax: the
recursive-descent ``Parser`` turns a pattern into ``Node`` trees, and ``to_regex_source`` is
the executable definition of what a pattern means; the linear matcher in
``simulator.patterns`` renders its pieces with the same ``render_node`` so the two cannot drift.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from simulator.pattern_errors import PatternSyntaxError

FLAGS = re.IGNORECASE | re.DOTALL

# Deep nesting is never intentional in a hand-written pattern; refusing it early keeps the
# parser's recursion (and the regex compiler's) far from Python's recursion limit.
_MAX_DEPTH = 64

# A pattern space that is not safely between two literals: one space, or nothing when a
# neighbouring space (or the edge of the message) already separates the words.
FLEXIBLE_SPACE = r"(?: |(?<= )|\A|\Z)"

# A space next to "*" is a word boundary rather than a character: "hi *" accepts "hi" and
# "hi there" but not "hithere", "* back" accepts "back" but not "setback". When the other
# neighbour is a group (or a group edge) it may itself hold the space or sit at the edge of
# the message, so a boundary on either side will do.
_WORD_END = r"(?![^ ])"
_BOUNDARY = r"(?:(?<![^ ])|(?![^ ]))"


# --------------------------------------------------------------------------- parsing


class Token(enum.Enum):
    SPACE = "space"
    STAR = "star"


@dataclass(frozen=True, slots=True)
class Literal:
    text: str


@dataclass(frozen=True, slots=True)
class Group:
    alternates: tuple[tuple[Node, ...], ...]


Node = Literal | Group | Token


class Parser:
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

    def parse(self) -> tuple[Node, ...]:
        if not self.text:
            raise PatternSyntaxError(self.source, 0, "empty pattern")
        nodes = self.sequence(depth=0)
        if self.pos < len(self.text):
            if self.text[self.pos] == ")":
                raise self.error(self.pos, 'unmatched ")"')
            raise self.error(self.pos, '"|" outside a group')
        return nodes

    def sequence(self, depth: int) -> tuple[Node, ...]:
        text = self.text
        nodes: list[Node] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                nodes.append(Literal("".join(literal)))
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
                if not nodes or nodes[-1] is not Token.STAR:
                    nodes.append(Token.STAR)
                self.pos += 1
            elif ch.isspace():
                flush()
                while self.pos < len(text) and text[self.pos].isspace():
                    self.pos += 1
                nodes.append(Token.SPACE)
            else:
                literal.append(ch)
                self.pos += 1
        flush()
        return tuple(nodes)

    def group(self, depth: int) -> Group:
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
                return Group(tuple(alternates))
            alternates.append(self.sequence(depth))  # ch == "|"


# --------------------------------------------------------------------------- translation


def space_at(nodes: tuple[Node, ...], i: int) -> str:
    prev = nodes[i - 1] if i else None
    nxt = nodes[i + 1] if i + 1 < len(nodes) else None
    if prev is Token.STAR:
        # "* x" and "* *": the star may swallow the space, so only demand that x starts
        # a word. Zero-width, which keeps runs between stars fixed-width (see translate).
        if nxt is Token.STAR or isinstance(nxt, Literal):
            return ""  # a literal checks its own start, see render_node
        return _BOUNDARY
    if nxt is Token.STAR:
        # "x *": x must end a word.
        return _WORD_END if isinstance(prev, Literal) else _BOUNDARY
    if isinstance(prev, Literal) and isinstance(nxt, Literal):
        # Messages are normalised, so between two literals a space is exactly one space;
        # keeping it a plain literal lets the regex engine scan quickly.
        return " "
    return FLEXIBLE_SPACE


def translate(nodes: tuple[Node, ...]) -> str:
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
        if node is Token.STAR:
            end = i + 1
            while end < count and (nodes[end] is Token.SPACE or isinstance(nodes[end], Literal)):
                end += 1
            run = range(i + 1, end)
            if (
                end < count
                and nodes[end] is Token.STAR
                and any(isinstance(nodes[k], Literal) for k in run)
            ):
                out.append("(?>.*?" + "".join(render_node(nodes, k) for k in run) + ")")
                i = end
                continue
            out.append(".*")
        else:
            out.append(render_node(nodes, i))
        i += 1
    return "".join(out)


def render_node(nodes: tuple[Node, ...], i: int) -> str:
    node = nodes[i]
    if node is Token.SPACE:
        return space_at(nodes, i)
    if node is Token.STAR:
        return ".*"
    if isinstance(node, Literal):
        text = re.escape(node.text)
        if i >= 2 and nodes[i - 1] is Token.SPACE and nodes[i - 2] is Token.STAR:
            # "* word": check the word start after matching the word, as a lookbehind
            # over it, so the scan for the word is not slowed by an assertion per position.
            return f"{text}(?<![^ ]{text})"
        return text
    return "(?:" + "|".join(translate(alt) for alt in node.alternates) + ")"


def to_regex_source(source: str) -> str:
    """The whole pattern as one backtracking regex: the executable statement of the semantics.

    Matching never uses it (it costs polynomial time on long messages when a group sits
    between two stars); the property tests and ``benchmarks/pattern_matching.py`` compare the
    linear matcher below against it.
    """
    return translate(Parser(source).parse())
