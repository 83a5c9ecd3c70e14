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

The index only narrows: each member it names is still checked with its own
``match_pattern`` and scorer, so exclusions and scores are exactly as before, and every
member that could take the message is found (G7 needs all of them). It is immutable once
built from compiled bots, so a world builds it once and every scenario shares it.
"""

from __future__ import annotations

from simulator.bots.compiled import CompiledBot
from simulator.nlu import message_keys
from simulator.pattern_index import LiteralIndex, message_trigrams

__all__ = ["GroupIndex"]


class GroupIndex:
    """Members of one group by pattern trigram and by intent key (see the module docstring)."""

    __slots__ = ("_by_exact", "_by_token", "_patterns", "always", "names")

    def __init__(self, members: tuple[CompiledBot, ...]) -> None:
        self.names = tuple(bot.name for bot in members)
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
