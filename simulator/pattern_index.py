"""Which dialog-starter patterns could fit a message, found by trigram look-ups (B6, issue 15).

Matching a message against every starter pattern of a bot (or of every bot of a group) costs
one regex scan per pattern, and most patterns cannot fit most messages: ``*lost card*``
cannot fit a message that does not contain "lost card". So each pattern is read once, when
the bot is compiled, for the literals one of which every fitting message must contain
(``pattern_literals``), and filed under one trigram of each of those literals. A message
then looks up only its own trigrams and tries only the patterns filed there, plus the few
whose literals cannot be read (tried on every message).

The index only narrows: a pattern it does not name cannot fit the message, and every
pattern it names is still matched exactly as before, in list order, so the first match is
the same one a scan of every pattern finds. Messages the index cannot vouch for (longer than
the fused-regex limit, or holding a character that case-insensitive matching equates with
an ASCII letter) are matched against every pattern, as before.

Everything here is immutable once built, so one compiled bot's index is shared by every
scenario of a cached world.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from simulator.pattern_errors import normalise_message
from simulator.patterns import LONG_MESSAGE, Pattern

__all__ = [
    "LiteralIndex",
    "StarterIndex",
    "message_trigrams",
    "pattern_literals",
    "trigram_keys",
]

#: Regex metacharacters: any other printable ASCII character in a pattern body is itself.
_META = frozenset(".^$*+?{}[]\\|()")
#: The only non-ASCII characters that ``re.IGNORECASE`` equates with ASCII letters (İ, ı,
#: long s, Kelvin sign); a message holding one is matched against every pattern directly.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_SHORTEST = 3  # literals shorter than a trigram are not indexed
_QUANTIFIERS = ("?", "*", "+", "{")
#: How many texts each bot's index remembers the first match of, and the longest remembered.
_MEMO_SIZE = 1024
_MEMO_TEXT = 1024

T = TypeVar("T")


def _literal(body: str, i: int) -> tuple[str, int] | None:
    """The literal character at ``body[i]`` and the index after it, or None if not one."""
    c = body[i]
    if c == "\\":
        if i + 1 < len(body) and body[i + 1].isascii() and not body[i + 1].isalnum():
            return body[i + 1], i + 2
        return None
    if c.isascii() and c.isprintable() and c not in _META:
        return c, i + 1
    return None


def _closing(body: str, i: int) -> int:
    """Index of the ")" closing the group opened at ``body[i]``, or -1."""
    depth = 0
    j = i
    while j < len(body):
        c = body[j]
        if c == "\\":
            j += 2
            continue
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return j
        j += 1
    return -1


def _plain_options(inner: str) -> list[str] | None:
    """``a|b|c`` made of literal characters only -> the lower-case options, else None."""
    options: list[str] = []
    for option in inner.split("|"):
        chars: list[str] = []
        j = 0
        while j < len(option):
            lit = _literal(option, j)
            if lit is None:
                return None
            chars.append(lit[0])
            j = lit[1]
        options.append("".join(chars).lower())
    return options


def _requirements(body: str) -> list[frozenset[str]]:
    """Sets of literals one of which every match of the regex ``body`` contains.

    Reads ``body`` left to right as plain characters and ``(?:a|b)`` groups of plain
    options, and stops at the first construct it does not know (a class, a lookaround, a
    quantifier, which may make what precedes it optional), keeping only what it has read.
    A body with a top-level ``|`` or a character class requires nothing it can vouch for.
    """
    if "[" in body:
        return []
    depth = 0
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            return []
        i += 1
    found: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _SHORTEST:
            found.append(frozenset({"".join(run).lower()}))
        run.clear()

    i = 0
    while i < len(body):
        lit = _literal(body, i)
        if lit is not None:
            if body[lit[1] : lit[1] + 1] in _QUANTIFIERS:
                break  # this character may be absent or repeated
            run.append(lit[0])
            i = lit[1]
            continue
        if body[i] != "(":
            break
        close = _closing(body, i)
        if close < 0 or body[close + 1 : close + 2] in _QUANTIFIERS:
            break
        flush()
        options = _plain_options(body[i + 3 : close]) if body.startswith("(?:", i) else None
        if options and min(map(len, options)) >= _SHORTEST:
            found.append(frozenset(options))
        i = close + 1  # a group read or skipped; what follows it is still required
    flush()
    return found


def _fewest_longest(options: frozenset[str]) -> tuple[int, int]:
    return len(options), -min(len(o) for o in options)


def pattern_literals(pattern: Pattern) -> frozenset[str] | None:
    """Literals (lower-case) one of which every message fitting ``pattern`` contains, or None
    when the pattern's literals cannot be vouched for (it is then tried on every message).

    Read from the star-free segments every match must contain in order, so it holds for the
    fused regex and the segment matcher alike.
    """
    literals: set[str] = set()
    for segments in pattern.alternatives:
        options: list[frozenset[str]] = [
            r for s in segments for r in _requirements(s.search.pattern[3:-1])
        ]
        if not options:
            return None
        # The fewest and longest literals: fewest index entries, fewest false candidates.
        best: frozenset[str] = min(options, key=_fewest_longest)
        literals.update(best)
    return frozenset(literals)


def _trigrams(literal: str) -> set[str]:
    return {literal[k : k + _SHORTEST] for k in range(len(literal) - _SHORTEST + 1)}


def trigram_keys(literal_sets: Iterable[frozenset[str]]) -> list[list[str]]:
    """For each set of literals, the trigram each literal is filed under.

    The trigram of a literal that is rarest among all the literals given, so a message's
    common trigrams ("the", "ple") select few patterns; ties go to the smallest trigram so
    the index does not depend on set order.
    """
    sets = [sorted(literals) for literals in literal_sets]
    frequency: Counter[str] = Counter()
    for literals in sets:
        for literal in literals:
            frequency.update(_trigrams(literal))
    return [
        [min(_trigrams(literal), key=lambda t: (frequency[t], t)) for literal in literals]
        for literals in sets
    ]


def message_trigrams(message: str) -> tuple[str, frozenset[str]] | None:
    """The lower-cased normalised message and its trigrams, or None when the index cannot
    vouch for it (too long for the fused regexes, or holding a character ``re.IGNORECASE``
    equates with an ASCII letter).

    A message is looked up by its bot, by the bot's group and by the bot that receives it,
    so it is split once per text (pure, so the memo is safe to share, as ``nlu._prepare``);
    a long message is answered without keeping it in the memo.
    """
    if len(message) > LONG_MESSAGE:
        return None
    return _message_trigrams(message)


@functools.lru_cache(maxsize=1024)  # as nlu._prepare: an entry holds a trigram set
def _message_trigrams(message: str) -> tuple[str, frozenset[str]] | None:
    if not _FOLDS_TO_ASCII.isdisjoint(message):
        return None
    lowered = message.lower()
    grams = frozenset([lowered[k : k + _SHORTEST] for k in range(len(lowered) - _SHORTEST + 1)])
    return lowered, grams


class LiteralIndex(Generic[T]):
    """Values filed under literals, found by the literals a message contains.

    Each literal is filed under one of its trigrams, the rarest among all the literals
    (``trigram_keys``); a message's trigrams select the entries, and each entry's literal is
    then checked with a substring test, so only values with a literal really present in the
    message are returned (a shared trigram alone names nothing).
    """

    __slots__ = ("_by_trigram", "_keys")

    def __init__(self, entries: Sequence[tuple[T, frozenset[str]]]) -> None:
        by_trigram: dict[str, list[tuple[str, T]]] = {}
        keys_of = trigram_keys(literals for _value, literals in entries)
        for (value, literals), keys in zip(entries, keys_of, strict=True):
            for literal, key in zip(sorted(literals), keys, strict=True):
                by_trigram.setdefault(key, []).append((literal, value))
        self._by_trigram = {key: tuple(found) for key, found in by_trigram.items()}
        self._keys = frozenset(self._by_trigram)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def find(self, lowered: str, trigrams: frozenset[str]) -> set[T]:
        """Values with a literal that ``lowered`` (a message, lower case) contains."""
        # A plain loop: a set comprehension builds and calls a function on every look-up,
        # which costs more than the usual one or two entries it finds (once per bot and
        # once per group for every message).
        by_trigram = self._by_trigram
        found: set[T] = set()
        for key in trigrams & self._keys:
            for literal, value in by_trigram[key]:
                if literal in lowered:
                    found.add(value)
        return found


class StarterIndex:
    """A bot's ordered starter patterns, first match wins, looked up by literal.

    Replaces scanning every pattern (one fused regex whose ``(?>.*?literal)`` branches each
    walk the message) by a set intersection of the message's trigrams with the index keys, a
    substring test per literal filed there, and one regex call per pattern whose literal the
    message holds: a message no pattern can fit usually costs no regex call. The answer is the
    same as ``PatternSet.first_match``: candidates are tried in list order and every pattern
    that could fit is among them.
    """

    __slots__ = ("_always", "_index", "_memo", "_patterns", "_readable")

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self._patterns = tuple(patterns)
        always: list[int] = []
        readable: list[tuple[int, frozenset[str]]] = []
        for index, pattern in enumerate(self._patterns):
            literals = pattern_literals(pattern)
            if literals is None:
                always.append(index)
            else:
                readable.append((index, literals))
        self._always = tuple(always)
        self._readable = tuple(readable)
        self._index = LiteralIndex(readable)
        self._memo = functools.lru_cache(maxsize=_MEMO_SIZE)(self._first_match)

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return self._patterns

    @property
    def readable(self) -> tuple[tuple[int, frozenset[str]], ...]:
        """(pattern index, ``pattern_literals``) of each readable pattern, so a group can file
        its members' patterns by trigrams that are rare in the whole group."""
        return self._readable

    @property
    def unreadable(self) -> tuple[int, ...]:
        """Patterns whose literals cannot be read; they are tried on every message."""
        return self._always

    def __len__(self) -> int:
        return len(self._patterns)

    def __repr__(self) -> str:
        return f"StarterIndex({[p.source for p in self._patterns]!r})"

    def first_match(self, text: str) -> int | None:
        """Index of the first pattern that matches ``text``, or None when none does.

        Remembered per text (up to ``_MEMO_SIZE`` texts of up to ``_MEMO_TEXT`` characters),
        as the NLU's scores are: the answer is a pure function of the text, and the index is
        shared by every scenario of a cached world, which say the same sentences again.
        """
        if len(text) > _MEMO_TEXT:
            return self._first_match(text)
        return self._memo(text)

    def _first_match(self, text: str) -> int | None:
        message = normalise_message(text)
        patterns = self._patterns
        keys = message_trigrams(message)
        if keys is None:
            candidates: Iterable[int] = range(len(patterns))
        else:
            found = self._index.find(*keys)
            if self._always:
                found.update(self._always)
            candidates = sorted(found) if len(found) > 1 else found
        for index in candidates:
            if patterns[index].matches_normalised(message):
                return index
        return None
