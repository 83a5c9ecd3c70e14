"""Deterministic intent scoring and NLU match levels (rule B7).

Conversation Builder only starts an intent-based dialog when the NLU engine's confidence
reaches GOOD. A real engine is a remote, non-deterministic model; tests need the same
answer every run, so the simulator replaces it with a transparent scorer whose numbers a
bot author can recompute by hand.

Match levels
------------
LivePerson engine: VERY GOOD >= 0.75, GOOD >= 0.60, FAIR PLUS >= 0.45, FAIR >= 0.30,
otherwise POOR. Legacy and third-party engines: 0.85 / 0.70 / 0.65 / 0.50. A lower bound
belongs to its level (exactly 0.75 is VERY GOOD on LivePerson). Only GOOD or better starts
a dialog.

Scoring formula
---------------
1. Normalise message and training phrases: lowercase, drop apostrophes (so "what's"
   becomes "whats"), turn other punctuation into spaces, collapse white space.
2. A message equal to a training phrase after normalisation scores exactly 1.0.
3. Otherwise each candidate phrase (see 5) gets::

       similarity = 0.7 * token_cosine + 0.3 * trigram_jaccard

   * Content tokens: words minus a short stop-word list (articles, pronouns, auxiliaries,
     prepositions, request fillers such as "please", "need", "want", "get"), each reduced
     by a light suffix stripper (plural "s"/"ies", "ing", "ed", a final "e", a doubled
     final consonant), so "orders", "ordered" and "ordering" all count as "order". A text
     made only of stop words keeps all its words instead. Question words (what, where,
     how ...) and negations (not, no, dont ...) are content: they separate "where is my
     order" from "cancel my order".
   * token_cosine = |shared tokens| / sqrt(|message tokens| * |phrase tokens|), over the
     sets of content tokens.
   * trigram_jaccard = |shared| / |union| of the character trigrams of the normalised texts,
     each padded with one space on both sides; it rewards near-identical wording and
     catches suffixes the stemmer misses.
4. An intent's score is the best similarity over its phrases, rounded to 4 decimals.
5. A phrase is a candidate only if it shares a content token with the message that is not
   a question word or negation (unless the phrase has nothing else, like "no"). Sharing
   only "how" says nothing about the intent. Intents without a candidate phrase score 0
   and are left out of the results, so an unrelated message yields no intent at all.

Worked example: "I need to check the status of my order" against the phrase "status of my
order" has content tokens {check, status, order} and {status, order}: cosine 2 / sqrt(3 * 2)
= 0.8165; trigram Jaccard 18 / 38 = 0.4737; similarity 0.7 * 0.8165 + 0.3 * 0.4737 =
0.7137, GOOD on the LivePerson engine.

Each intent is scored only against its own phrases (no corpus statistics), so adding or
reordering intents never changes another intent's score.
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from itertools import chain, pairwise

__all__ = [
    "IntentModel",
    "IntentScore",
    "MatchLevel",
    "NluEngine",
    "level_for",
    "normalise_text",
    "thresholds",
]

TOKEN_WEIGHT = 0.7
TRIGRAM_WEIGHT = 0.3


class NluEngine(StrEnum):
    """The NLU engine a bot is configured with; it only changes the level thresholds."""

    LIVEPERSON = "liveperson"
    LEGACY = "legacy"
    THIRD_PARTY = "third_party"


class MatchLevel(IntEnum):
    """Ordered so that ``level >= MatchLevel.GOOD`` reads like the platform's rule."""

    POOR = 0
    FAIR = 1
    FAIR_PLUS = 2
    GOOD = 3
    VERY_GOOD = 4

    @property
    def label(self) -> str:
        """The spelling Conversation Builder shows, e.g. "FAIR PLUS"."""
        return _LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> MatchLevel:
        """Parse a level as users type it in feature files ("very good", "VERY_GOOD" ...)."""
        key = re.sub(r"[\s_\-]+", "", text).upper()
        for level in cls:
            if level.name.replace("_", "") == key:
                return level
        valid = ", ".join(level.label for level in sorted(cls, reverse=True))
        raise ValueError(f"unknown match level {text!r}; expected one of: {valid}")


#: Labels by level value: transcripts name a level on every intent match, and an enum's
#: ``name`` is a descriptor call each time.
_LABELS = tuple(level.name.replace("_", " ") for level in MatchLevel)

_THRESHOLDS: dict[NluEngine, tuple[tuple[MatchLevel, float], ...]] = {
    NluEngine.LIVEPERSON: (
        (MatchLevel.VERY_GOOD, 0.75),
        (MatchLevel.GOOD, 0.60),
        (MatchLevel.FAIR_PLUS, 0.45),
        (MatchLevel.FAIR, 0.30),
        (MatchLevel.POOR, 0.0),
    ),
    NluEngine.LEGACY: (
        (MatchLevel.VERY_GOOD, 0.85),
        (MatchLevel.GOOD, 0.70),
        (MatchLevel.FAIR_PLUS, 0.65),
        (MatchLevel.FAIR, 0.50),
        (MatchLevel.POOR, 0.0),
    ),
}
_THRESHOLDS[NluEngine.THIRD_PARTY] = _THRESHOLDS[NluEngine.LEGACY]


def thresholds(
    engine: NluEngine | str = NluEngine.LIVEPERSON,
) -> tuple[tuple[MatchLevel, float], ...]:
    """Lower bound of every level, best level first, so docs and errors can quote them."""
    return _THRESHOLDS[NluEngine(engine)]


_LEVELS = tuple(MatchLevel)  # indexed by value: POOR .. VERY GOOD

# Ascending lower bounds of FAIR .. VERY GOOD: bisect_right(bounds, score) is the level's
# value, and a score equal to a bound lands in the level that bound starts.
_BOUNDS: dict[NluEngine, tuple[float, ...]] = {
    engine: tuple(lower for _, lower in reversed(table[:-1]))
    for engine, table in _THRESHOLDS.items()
}


def _level(score: float, bounds: tuple[float, ...]) -> MatchLevel:
    return _LEVELS[bisect_right(bounds, score)]


def level_for(score: float, engine: NluEngine | str = NluEngine.LIVEPERSON) -> MatchLevel:
    """Map a confidence in [0, 1] to the engine's match level.

    Scores outside [0, 1] (including NaN) are rejected: the likely cause is a percentage
    such as 75 passed where 0.75 was meant, which would otherwise silently be VERY GOOD.
    """
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be between 0 and 1, got {score!r}")
    return _level(score, _BOUNDS[NluEngine(engine)])


@dataclass(frozen=True, slots=True)
class IntentScore:
    """One intent's result; ``score`` is rounded to 4 decimals so steps can compare it."""

    intent: str
    score: float
    level: MatchLevel

    @property
    def starts_dialog(self) -> bool:
        """Conversation Builder starts an intent's dialog only at GOOD or better."""
        return self.level >= MatchLevel.GOOD


# --------------------------------------------------------------------------- text handling

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_APOSTROPHES = re.compile("['\u2019\u2018`]")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = _word_set(
    """
    a an the this that these those
    i me my mine myself we us our ours you your yours he him his she her it its they them
    their im ive youre
    am is are was were be been being do does did doing have has had
    to of in on at for from with by about into onto over as than
    and or but so if then also just
    can could would will should shall may might must
    please pls plz kindly need needs want wants wanna like get let lets know
    some any there here
    """
)

# Words that take part in the cosine but cannot, on their own, make a phrase a candidate:
# sharing only "how" or "not" with a phrase says nothing about the intent.
_WEAK_WORDS = _word_set(
    """
    what whats where wheres when whens why how hows who whos whom whose which
    not no dont doesnt didnt cant cannot wont isnt arent wasnt havent
    """
)


def normalise_text(text: str) -> str:
    """Lowercase, strip punctuation and collapse white space; the key for exact matches."""
    lowered = _APOSTROPHES.sub("", text.lower())
    return " ".join(_PUNCTUATION.sub(" ", lowered).split())


#: Bounded so that a load test with unique words in every message (names, numbers) does not
#: grow memory with each conversation; a tenant's vocabulary fits many times over.
@functools.lru_cache(maxsize=8192)
def _stem(token: str) -> str:
    # Not Porter: only needs to map inflections of the same word onto the same string,
    # consistently for messages and phrases; linguistic accuracy is irrelevant.
    word = token
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    else:
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        if len(word) >= 6 and word.endswith("ing"):
            word = word[:-3]
        elif len(word) >= 5 and word.endswith("ed") and not word.endswith("eed"):
            word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouy":
        word = word[:-1]
    return word


def _content_tokens(normalised: str) -> frozenset[str]:
    words = normalised.split()
    content = [w for w in words if w not in _STOP_WORDS] or words
    return frozenset(map(_stem, content))


def _trigrams(normalised: str) -> set[str]:
    padded = f" {normalised} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@functools.lru_cache(maxsize=4096)
def _word_trigrams(word: str) -> frozenset[str]:
    return frozenset(_trigrams(word))


def _text_trigrams(normalised: str) -> frozenset[str]:
    """``_trigrams`` of a normalised text, assembled from its words' trigrams.

    In " a b " every trigram lies inside one padded word (" a " or " b ") or spans one
    space between two words (last letter, space, first letter). Slicing out each trigram
    of a sentence was the largest part of scoring a text never seen before; its words have
    usually been seen, and their trigrams are remembered (bounded, like ``_stem``).
    """
    words = normalised.split()
    if len(words) < 2:
        return frozenset(_trigrams(normalised))
    return frozenset().union(
        *map(_word_trigrams, words),
        [f"{left[-1]} {right[0]}" for left, right in pairwise(words)],
    )


_WEAK_TOKENS = frozenset(map(_stem, _WEAK_WORDS))
#: Up to this many postings in all, counting shared tokens with a Python loop costs less
#: than building a ``Counter`` (whose constructor alone costs about as much as 15 steps).
_SHORT_POSTINGS = 16
#: How many texts each model remembers the scores of, and the longest text remembered (a
#: long message is rare and would pin its size in memory).
_MEMO_SIZE = 1024
_MEMO_TEXT = 1024


def _prepare(text: str) -> tuple[str, frozenset[str]]:
    """Normalised text and content tokens of a message.

    A message is scored against every bot of a group; preparing it once per text instead of
    once per bot is most of the cost of group routing. Pure, so the memo is safe to share.
    The trigrams are not part of it (see ``_message_grams``): most models a message meets
    share no token with it and never need them, so a text never seen before does not pay
    for them there. Texts longer than ``_MEMO_TEXT`` are prepared each time rather than kept
    in memory; the last one is kept alone (see ``_last_prepared``).
    """
    if len(text) <= _MEMO_TEXT:
        return _prepared(text)
    global _last_prepared
    last_text, prepared = _last_prepared
    if last_text != text:
        prepared = _prepare_text(text)
        _last_prepared = text, prepared
    return prepared


def _prepare_text(text: str) -> tuple[str, frozenset[str]]:
    norm = normalise_text(text)
    return norm, _content_tokens(norm)


_prepared = functools.lru_cache(maxsize=1024)(_prepare_text)
#: The last text too long for the memo, and its preparation: one message is prepared by
#: its bot, by the bot's group index and by every member scored, so even a text that is
#: not remembered is prepared once per message, not once per model. One tuple, replaced
#: whole, so a reader never sees one text's preparation under another text.
_last_prepared: tuple[str, tuple[str, frozenset[str]]] = ("", _prepare_text(""))


def _message_grams(norm: str) -> frozenset[str]:
    """The trigrams of a normalised message, needed only by a model with a candidate phrase.

    Remembered as ``_prepare`` is: an entry is ~1.4 KB (the trigram set); 4,096 of them were
    6 MB of a 10,000-conversation load test, 1,024 still hold the texts of a 15-bot group
    benchmark (754 distinct texts, cycled, which an LRU smaller than the cycle would miss
    every time). The last text too long for it is kept alone, as ``_last_prepared`` is.
    """
    if len(norm) <= _MEMO_TEXT:
        return _grams(norm)
    global _last_grams
    last_norm, grams = _last_grams
    if last_norm != norm:
        grams = _text_trigrams(norm)
        _last_grams = norm, grams
    return grams


@functools.lru_cache(maxsize=1024)
def _grams(norm: str) -> frozenset[str]:
    return _text_trigrams(norm)


_last_grams: tuple[str, frozenset[str]] = ("", frozenset(_trigrams("")))


# --------------------------------------------------------------------------- the model


class IntentModel:
    """Intents with training phrases, indexed so scoring touches only related phrases.

    Two inverted indexes are built once here: anchor tokens (content tokens that are not
    weak words, or every token of a phrase that has no other) -> phrases, which selects the
    candidates, and weak tokens -> phrases, which completes their shared-token counts.
    ``score`` then costs a few dictionary look-ups plus one trigram intersection per
    candidate phrase.
    """

    __slots__ = (
        "_bounds",
        "_engine",
        "_exact",
        "_gram_bits",
        "_gram_keys",
        "_intents",
        "_memo",
        "_names",
        "_phrases",
        "_postings",
        "_weak_postings",
    )

    def __init__(
        self,
        intents: Mapping[str, Sequence[str]],
        engine: NluEngine | str = NluEngine.LIVEPERSON,
    ) -> None:
        self._engine = NluEngine(engine)
        self._bounds = _BOUNDS[self._engine]
        # Sorted so internal ids, and therefore every tie-break, ignore mapping order.
        self._names: tuple[str, ...] = tuple(sorted(intents))
        self._intents: dict[str, tuple[str, ...]] = {}
        exact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        weak_postings: dict[str, list[int]] = {}
        # Per phrase: (intent id, TOKEN_WEIGHT / sqrt(|tokens|), trigram bits, |trigrams|).
        phrases: list[tuple[int, float, int, int]] = []
        # Every trigram of the phrases gets one bit, so a phrase's trigrams are one int and
        # the trigrams it shares with a message cost an AND and a bit count, not a set.
        gram_bits: dict[str, int] = {}
        for intent_id, name in enumerate(self._names):
            training = intents[name]
            if isinstance(training, str):
                raise TypeError(
                    f"training phrases of intent {name!r} must be a list of strings, "
                    "not a single string"
                )
            self._intents[name] = tuple(training)
            seen: set[str] = set()
            for phrase in training:
                norm = normalise_text(phrase)
                if not norm or norm in seen:
                    continue
                seen.add(norm)
                exact.setdefault(norm, []).append(intent_id)
                tokens = _content_tokens(norm)
                anchors = tokens - _WEAK_TOKENS or tokens
                phrase_id = len(phrases)
                grams = sorted(_trigrams(norm))
                for gram in grams:
                    gram_bits.setdefault(gram, 1 << len(gram_bits))
                phrases.append(
                    (
                        intent_id,
                        TOKEN_WEIGHT / math.sqrt(len(tokens)),
                        sum(gram_bits[gram] for gram in grams),
                        len(grams),
                    )
                )
                for token in sorted(tokens):
                    index = postings if token in anchors else weak_postings
                    index.setdefault(token, []).append(phrase_id)
        self._exact = {key: tuple(ids) for key, ids in exact.items()}
        self._postings = {key: tuple(ids) for key, ids in postings.items()}
        self._weak_postings = {key: tuple(ids) for key, ids in weak_postings.items()}
        self._phrases = tuple(phrases)
        self._gram_bits = gram_bits
        self._gram_keys = frozenset(gram_bits)
        self._memo = functools.lru_cache(maxsize=_MEMO_SIZE)(self._ranked)

    @property
    def engine(self) -> NluEngine:
        return self._engine

    def index_keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """(normalised exact phrases, anchor tokens): a message whose normalised text is not
        among the first and whose tokens miss all of the second scores nothing here, so a
        group can index its members by these keys instead of scoring every member."""
        return frozenset(self._exact), frozenset(self._postings)

    @property
    def intents(self) -> Mapping[str, tuple[str, ...]]:
        return dict(self._intents)

    def _raw_scores(self, text: str) -> dict[int, float]:
        norm, tokens = _prepare(text)
        if not norm:
            return {}
        best: dict[int, float] = dict.fromkeys(self._exact.get(norm, ()), 1.0)
        postings = self._postings
        lists = [postings[t] for t in tokens if t in postings]
        if not lists:
            # Most messages share no word with most bots of a group: skip the counting.
            return best
        weak_tokens = tokens & _WEAK_TOKENS
        shared: dict[int, int] = dict.fromkeys(lists[0], 1)
        if len(lists) > 1:
            if sum(map(len, lists)) > _SHORT_POSTINGS:
                # Counter's C counting loop beats a Python loop on long postings.
                shared = Counter(chain.from_iterable(lists))
            else:
                get = shared.get
                for posting in lists[1:]:
                    for p in posting:
                        shared[p] = get(p, 0) + 1
        if weak_tokens:
            weak = self._weak_postings
            for p in chain.from_iterable([weak.get(t, ()) for t in weak_tokens]):
                if p in shared:
                    shared[p] += 1
        message_trigrams = _message_grams(norm)
        message_size = len(message_trigrams)
        message_scale = 1.0 / math.sqrt(len(tokens))
        bits = self._gram_bits
        message_bits = sum(map(bits.__getitem__, message_trigrams & self._gram_keys))
        phrases = self._phrases
        for phrase_id, count in shared.items():
            intent_id, phrase_scale, grams, grams_size = phrases[phrase_id]
            common = (message_bits & grams).bit_count()
            similarity = count * message_scale * phrase_scale + TRIGRAM_WEIGHT * common / (
                message_size + grams_size - common
            )
            if similarity > best.get(intent_id, 0.0):
                best[intent_id] = similarity
        return best

    def _make(self, intent: str, value: float) -> IntentScore:
        return IntentScore(intent, value, _level(value, self._bounds))

    def score(self, text: str) -> list[IntentScore]:
        """Every intent scoring above 0, best first, ties broken by intent name.

        Remembered per text (up to ``_MEMO_SIZE`` texts of up to ``_MEMO_TEXT`` characters):
        a suite says the same few sentences in scenario after scenario, the model is shared
        by all of them (the compiled world is cached per tenant file), and the scores are a
        pure function of the text, so a remembered answer is the answer.
        """
        if len(text) > _MEMO_TEXT:
            return list(self._ranked(text))
        return list(self._memo(text))

    def _ranked(self, text: str) -> tuple[IntentScore, ...]:
        names = self._names
        bounds = self._bounds
        scores = self._raw_scores(text)
        if len(scores) == 1:  # the usual hit: nothing to rank
            ((intent_id, raw),) = scores.items()
            value = round(raw, 4)
            if value > 0.0:
                return (IntentScore(names[intent_id], value, _LEVELS[bisect_right(bounds, value)]),)
            return ()
        # Rounded before sorting so the order agrees with the scores callers see.
        ranked = sorted((-round(raw, 4), names[i]) for i, raw in scores.items())
        return tuple(
            IntentScore(name, -negated, _LEVELS[bisect_right(bounds, -negated)])
            for negated, name in ranked
            if negated < 0.0
        )

    def best(self, text: str) -> IntentScore | None:
        """The top intent, or None when nothing scores above 0."""
        raw = self._raw_scores(text)
        if not raw:
            return None
        names = self._names
        negated, name = min((-round(value, 4), names[i]) for i, value in raw.items())
        return self._make(name, -negated) if negated < 0.0 else None


def message_keys(text: str) -> tuple[str, frozenset[str]]:
    """A message's normalised text and content tokens, as ``IntentModel.index_keys`` keys them."""
    return _prepare(text)
