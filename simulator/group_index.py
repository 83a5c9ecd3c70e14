"""Which members of a bot group could take a message, found in one look-up (G2, G7, issue 15).

Without it, every message the current bot cannot take is matched against every other
member's starters (members x starters regex scans plus one intent scoring per member).

Patterns: every member's ``StarterIndex`` has read the literals one of which any message
fitting a pattern must contain; the group files each member under one trigram of each such
literal, the one rarest in the whole group, so one intersection of the message's trigrams
with the group's keys names the members that could have a fitting pattern (plus members
with a pattern whose literals cannot be read, named on every message); a substring test
of each literal filed there keeps only members whose literal the message really holds.
Intents: members are filed under the keys that can make their model score anything at all
(exact phrases and anchor tokens, see ``IntentModel.index_keys``), so only members sharing
a word with the message are scored.

The index only narrows: each member it names is still checked with its own patterns (in
list order, honouring exclude keywords, as ``match_pattern`` does) and scorer, so matches
and scores are exactly as before, and every member that could take the message is found (G7
needs all of them). ``takers`` remembers that answer per text: it is a pure function of the
text and the compiled members, and the index is built once per world and shared by every
scenario, which say the same sentences again (the NLU and each bot's starter index remember
theirs the same way). Who may receive (connectors, survey bots, the sender) and pinned
scores are the router's business, decided per message.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from simulator.bots.compiled import CompiledBot, StarterPattern
from simulator.bots.intents import score_intents, top_intent
from simulator.nlu import IntentScore, MatchLevel, message_keys
from simulator.pattern_errors import normalise_message
from simulator.pattern_index import LiteralIndex, message_trigrams

__all__ = ["GroupIndex", "Takers"]

#: How many texts a group index remembers its answer for, and the longest text remembered (a
#: long message is rare and would pin its size in memory).
_MEMO_SIZE = 1024
_MEMO_TEXT = 1024


class Takers(NamedTuple):
    """The members that could take a message, each by its own patterns first (G2 step 3).

    ``by_pattern``: members with a fitting starter pattern, and the first one (exclusions
    honoured). ``by_intent``: the other members whose starter intents reach GOOD, and the
    top one (B7), as the member's own scorer gives it. Immutable: it may be shared.
    """

    by_pattern: dict[str, StarterPattern]
    by_intent: dict[str, IntentScore]


class GroupIndex:
    """Members of one group by pattern trigram and by intent key (see the module docstring)."""

    __slots__ = (
        "_by_exact",
        "_by_token",
        "_members",
        "_memo",
        "_patterns",
        "_position",
        "always",
        "names",
    )

    def __init__(self, members: tuple[CompiledBot, ...]) -> None:
        self.names = tuple(bot.name for bot in members)
        self._members = {bot.name: bot for bot in members}
        self._position = {bot.name: i for i, bot in enumerate(members)}
        always: dict[str, tuple[int, ...]] = {}
        by_exact: dict[str, set[str]] = {}
        by_token: dict[str, set[str]] = {}
        literal_sets: list[tuple[tuple[str, int], frozenset[str]]] = []
        for bot in members:
            starters = bot.starter_set
            if starters.unreadable:
                always[bot.name] = starters.unreadable
            literal_sets += [((bot.name, index), literals) for index, literals in starters.readable]
            exact, tokens = bot.intent_model.index_keys()
            for key in exact:
                by_exact.setdefault(key, set()).add(bot.name)
            for key in tokens:
                by_token.setdefault(key, set()).add(bot.name)
        self._patterns = LiteralIndex(literal_sets)
        #: Members with starter patterns whose literals cannot be read, and those patterns'
        #: indexes: they are tried on every message.
        self.always = always
        self._by_exact = {k: frozenset(v) for k, v in by_exact.items()}
        self._by_token = {k: frozenset(v) for k, v in by_token.items()}
        self._memo: dict[str, Takers] = {}

    def takers(self, text: str, counts: Counter[str]) -> Takers:
        """Every member that could take ``text``, remembered per text (see the module
        docstring); ``counts`` counts the member checks of a text not remembered yet.

        Up to ``_MEMO_SIZE`` texts of up to ``_MEMO_TEXT`` characters are remembered; when
        full, the memo starts again (answers do not depend on it, only their cost).
        """
        found = self._memo.get(text)
        if found is None:
            found = self._find_takers(text, counts)
            if len(text) <= _MEMO_TEXT:
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[text] = found
        return found

    def _find_takers(self, text: str, counts: Counter[str]) -> Takers:
        message = normalise_message(text)
        pattern_hits = self.pattern_candidates(message)
        by_pattern: dict[str, StarterPattern] = {}
        members = self._members
        if pattern_hits is None:
            for name, bot in members.items():
                counts["member_pattern_checks"] += 1
                starter = bot.match_pattern(text)
                if starter is not None:
                    by_pattern[name] = starter
        else:
            # Only the members the index named (usually one or none), in member order.
            for name in sorted(pattern_hits, key=self._position.__getitem__):
                counts["member_pattern_checks"] += 1
                starter = _first_starter(members[name], pattern_hits[name], text, message)
                if starter is not None:
                    by_pattern[name] = starter
        by_intent: dict[str, IntentScore] = {}
        for name in sorted(self.intent_members(text) - by_pattern.keys()):
            bot = self._members[name]
            counts["member_intent_scorings"] += 1
            good = [s for s in score_intents(bot, text, None) if s.level >= MatchLevel.GOOD]
            if good:
                # The member's single top intent (B7): its level decides nothing more here.
                by_intent[name] = top_intent(bot, good)
        return Takers(by_pattern, by_intent)

    def pattern_candidates(self, message: str) -> dict[str, list[int]] | None:
        """Members one of whose starter patterns could fit ``message`` (normalised, see
        ``normalise_message``), each with the indexes of those patterns in list order; every
        pattern that does fit is among them. None means "check every pattern of every
        member" (a message the index cannot vouch for, see ``message_trigrams``)."""
        keys = message_trigrams(message)
        if keys is None:
            return None
        found: dict[str, set[int]] = {name: set(ids) for name, ids in self.always.items()}
        for name, index in self._patterns.find(*keys):
            found.setdefault(name, set()).add(index)
        return {name: sorted(ids) for name, ids in found.items()}

    def intent_members(self, text: str) -> frozenset[str]:
        """Members whose starter-intent model could give ``text`` a score above 0."""
        norm, tokens = message_keys(text)
        if not norm:
            return frozenset()
        by_token = self._by_token
        return self._by_exact.get(norm, frozenset()).union(
            *[by_token[token] for token in tokens if token in by_token]
        )


def _first_starter(
    bot: CompiledBot, candidates: list[int], text: str, message: str
) -> StarterPattern | None:
    """``bot.match_pattern(text)`` when only the starters at ``candidates`` (in list order)
    can fit: the first one that fits and whose dialog does not exclude the message.

    The group index already named the patterns, so this skips the member's own look-up.
    """
    patterns = bot.starter_set.patterns
    for index in candidates:
        if patterns[index].matches_normalised(message):
            starter = bot.starters[index]
            if not starter.dialog.excludes(text):
                return starter
    return None
