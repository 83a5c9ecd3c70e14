"""Question rules written as regular expressions: compiled once, nested unbounded repeats refused.

Kept apart from the pattern matcher because it shares nothing with it but the exception type.
"""

from __future__ import annotations

import functools
import re

from simulator.pattern_errors import PatternSyntaxError

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
