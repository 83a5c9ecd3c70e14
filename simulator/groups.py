"""Automatic transfers inside collaborative bot groups (G1-G7).

Only a group whose ``collaboration`` is enabled transfers automatically; it is off unless the
tenant enables it (G1). An imported bot's ``transferGroupId`` puts it in that group (see
``simulator.world``).

The current bot has already looked at its own patterns and intents (G2 steps 1-2) when this
runs; here the other members are examined in the store's order (G2 step 3). The real store's
order is not guaranteed, so whenever more than one member could take the message the transcript
says so, and the all-orders mode can replay the scenario with each of them winning.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import GroupMatch, score_intents, top_intent
from simulator.nlu import MatchLevel, message_keys
from simulator.patterns import LONG_MESSAGE, Pattern, normalise_message
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.cloud.cloud import Cloud
    from simulator.cloud.conversation import Conversation


#: Regex metacharacters: any other printable ASCII character in a pattern body is itself.
_META = frozenset(".^$*+?{}[]\\|()")
#: The only non-ASCII characters that ``re.IGNORECASE`` equates with ASCII letters (İ, ı,
#: long s, Kelvin sign); a message holding one is checked against every member directly.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_SHORTEST = 3  # literals shorter than a trigram are not indexed


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


_QUANTIFIERS = ("?", "*", "+", "{")


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


def _pattern_literals(pattern: Pattern) -> frozenset[str] | None:
    """Literals (lower-case) one of which every message fitting ``pattern`` contains, or None
    when the pattern's literals cannot be vouched for (it is then tried on every message)."""
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


class GroupIndex:
    """Which members of a group could take a message, found with one index look-up.

    Without it every message that the current bot cannot take is matched against every
    other member's starters (members x starters regex calls plus members intent scorings).
    Patterns: each starter pattern is filed under the first trigram of a literal that every
    fitting message must contain (``_pattern_keys``); a message looks up its own trigrams and
    tries only the patterns filed there, plus the few whose literals cannot be read.
    Intents: members are filed under the keys that can make their model score anything at
    all (exact phrases and anchor tokens, see ``IntentModel.index_keys``), so only members
    sharing a word with the message are scored.

    The index only narrows the candidates: each member it names is still checked with its
    own ``match_pattern`` and scorer, so exclusions and scores are exactly as before, and
    every member that could take the message is found (G7 needs all of them). Members with a
    pattern that has no linear regex are always checked directly. It is immutable once
    built from compiled bots, so it is shared by every scenario using the same bots.
    """

    __slots__ = ("_by_exact", "_by_token", "_by_trigram", "_unindexed", "always", "names")

    def __init__(self, members: tuple[CompiledBot, ...]) -> None:
        self.names = tuple(bot.name for bot in members)
        always: set[str] = set()
        unindexed: list[tuple[str, re.Pattern[str]]] = []
        by_trigram: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        by_exact: dict[str, set[str]] = {}
        by_token: dict[str, set[str]] = {}
        filed: list[tuple[tuple[str, re.Pattern[str]], frozenset[str]]] = []
        for bot in members:
            patterns = bot.starter_set.patterns
            if any(p.regex is None for p in patterns):
                always.add(bot.name)
            else:
                for p in patterns:
                    assert p.regex is not None
                    literals = _pattern_literals(p)
                    if literals is None:
                        unindexed.append((bot.name, p.regex))
                    else:
                        filed.append(((bot.name, p.regex), literals))
            exact, tokens = bot.intent_model.index_keys()
            for key in exact:
                by_exact.setdefault(key, set()).add(bot.name)
            for key in tokens:
                by_token.setdefault(key, set()).add(bot.name)
        # Each literal is filed under its trigram that is rarest among the group's literals,
        # so a message's common trigrams ("the", "ple") select few patterns.
        frequency: Counter[str] = Counter()
        for _entry, literals in filed:
            for literal in literals:
                frequency.update(_trigrams(literal))
        for entry, literals in filed:
            for literal in literals:
                key = min(_trigrams(literal), key=lambda t: (frequency[t], t))
                filed_here = by_trigram.setdefault(key, [])
                if entry not in filed_here:
                    filed_here.append(entry)
        self.always = frozenset(always)
        self._unindexed = tuple(unindexed)
        self._by_trigram = {k: tuple(v) for k, v in by_trigram.items()}
        self._by_exact = {k: frozenset(v) for k, v in by_exact.items()}
        self._by_token = {k: frozenset(v) for k, v in by_token.items()}

    def pattern_members(self, text: str, counts: Counter[str]) -> set[str] | None:
        """Members one of whose starter patterns fits ``text``; None means "check them all"
        (a message too long for the regexes, or holding a character that case-insensitive
        matching equates with an ASCII letter)."""
        message = normalise_message(text)
        if len(message) > LONG_MESSAGE or not _FOLDS_TO_ASCII.isdisjoint(message):
            return None
        counts["index_lookups"] += 1
        lowered = message.lower()
        by_trigram = self._by_trigram
        lists = [self._unindexed]
        for k in range(len(lowered) - _SHORTEST + 1):
            entries = by_trigram.get(lowered[k : k + _SHORTEST])
            if entries is not None:
                lists.append(entries)
        hits: set[str] = set()
        for entries in lists:
            for name, regex in entries:
                if name in hits:
                    continue
                counts["pattern_tries"] += 1
                if regex.fullmatch(message) is not None:
                    hits.add(name)
        return hits

    def intent_members(self, text: str) -> set[str]:
        """Members whose starter-intent model could give ``text`` a score above 0."""
        norm, tokens = message_keys(text)
        if not norm:
            return set()
        hits: set[str] = set(self._by_exact.get(norm, ()))
        by_token = self._by_token
        for token in tokens:
            names = by_token.get(token)
            if names is not None:
                hits |= names
        return hits


@functools.lru_cache(maxsize=64)
def group_index(members: tuple[CompiledBot, ...]) -> GroupIndex:
    """The index of these compiled members, shared while they live (bots hash by identity)."""
    return GroupIndex(members)


class GroupRouter:
    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.order_override: list[str] | None = None
        #: Operation counts of group routing (regex passes, member checks), for the
        #: regression tests that keep routing at one index pass per message.
        self.counts: Counter[str] = Counter()

    def store_order(self, group: str) -> list[str]:
        """The order in which the platform's store lists a group's bots (G2 step 3)."""
        members = list(self.cloud.world.groups[group].members)
        setting = self.order_override or self.cloud.world.platform.group_store_order
        if isinstance(setting, list):
            listed = [m for m in setting if m in members]
            return listed + [m for m in members if m not in listed]
        if setting == "shuffled":
            shuffled = list(members)
            self.cloud.rng.shuffle(shuffled)
            return shuffled
        return members

    def candidates(self, conv: Conversation, sender: CompiledBot, text: str) -> list[GroupMatch]:
        world = self.cloud.world
        group_name = world.group_of.get(sender.name)
        if group_name is None:
            return []
        group = world.groups[group_name]
        if not group.collaboration or sender.is_survey:
            return []
        order = self.store_order(group_name)
        self.cloud.log(
            conv,
            EntryKind.ROUTING,
            f'group "{group_name}" store order: ' + ", ".join(order),
            note="G2",
        )
        found: list[GroupMatch] = []
        pinned = self.cloud.pinned_scores(text)
        counts = self.counts
        counts["messages"] += 1
        index = group_index(tuple(world.bots[m] for m in group.members))
        pattern_hits = index.pattern_members(text, counts)
        # Pinned scores replace the scorer, so the vocabulary index says nothing about them.
        intent_hits = index.intent_members(text) if pinned is None else None
        for name in order:
            if name == sender.name:
                continue
            bot = world.bots[name]
            if bot.is_survey:
                continue
            connector = self.cloud.connectors.get(name)
            if connector is None or not connector.active:
                continue
            if pattern_hits is None or name in pattern_hits or name in index.always:
                counts["member_pattern_checks"] += 1
                starter = bot.match_pattern(text)
                if starter is not None:
                    found.append(GroupMatch(name, None, f'pattern "{starter.source}"'))
                    continue
            if intent_hits is not None and name not in intent_hits:
                continue
            counts["member_intent_scorings"] += 1
            # Scored without a session: looking must not create state for every member.
            good = [s for s in score_intents(bot, text, pinned) if s.level >= MatchLevel.GOOD]
            if good:
                # The member's single top intent (B7): its level decides nothing more here.
                best = top_intent(bot, good)
                found.append(
                    GroupMatch(name, best.intent, f'intent "{best.intent}" {best.level.label}')
                )
        return found

    def route(self, conv: Conversation, sender: CompiledBot, text: str) -> GroupMatch | None:
        found = self.candidates(conv, sender, text)
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        names = [m.receiver for m in found]
        if self.cloud.chooser is not None:
            pick = self.cloud.choose(conv, f"group receivers for {text!r}", names)
            return found[pick]
        self.cloud.log(
            conv,
            EntryKind.WARNING,
            "order-dependent routing between "
            + " and ".join(f'"{n}"' for n in names)
            + f'; "{names[0]}" wins because the store listed it first (G7)',
            candidates=names,
            chosen=names[0],
        )
        return found[0]
