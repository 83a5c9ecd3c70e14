"""Unit tests for the deterministic intent scorer and match levels (rule B7)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.nlu import (
    IntentModel,
    IntentScore,
    MatchLevel,
    NluEngine,
    level_for,
    normalise_text,
    thresholds,
)

INTENTS: dict[str, list[str]] = {
    "order status": ["where is my order", "track my package", "status of my order"],
    "cancel order": ["cancel my order", "I want to cancel my order", "stop my order"],
    "greeting": ["hi", "hello there", "good morning"],
    "billing": ["question about my bill", "I was charged twice", "refund please"],
    "deny": ["no", "nope", "not really"],
    "password": ["how do I reset my password", "forgot my password"],
}


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel(INTENTS)


# --------------------------------------------------------------------------- match levels

LIVEPERSON_CASES = [
    (1.0, MatchLevel.VERY_GOOD),
    (0.75, MatchLevel.VERY_GOOD),
    (0.7499, MatchLevel.GOOD),
    (0.60, MatchLevel.GOOD),
    (0.5999, MatchLevel.FAIR_PLUS),
    (0.45, MatchLevel.FAIR_PLUS),
    (0.4499, MatchLevel.FAIR),
    (0.30, MatchLevel.FAIR),
    (0.2999, MatchLevel.POOR),
    (0.0, MatchLevel.POOR),
]

LEGACY_CASES = [
    (1.0, MatchLevel.VERY_GOOD),
    (0.85, MatchLevel.VERY_GOOD),
    (0.8499, MatchLevel.GOOD),
    (0.70, MatchLevel.GOOD),
    (0.6999, MatchLevel.FAIR_PLUS),
    (0.65, MatchLevel.FAIR_PLUS),
    (0.6499, MatchLevel.FAIR),
    (0.50, MatchLevel.FAIR),
    (0.4999, MatchLevel.POOR),
    (0.0, MatchLevel.POOR),
]


@pytest.mark.parametrize(("score", "level"), LIVEPERSON_CASES)
def test_liveperson_boundaries(score: float, level: MatchLevel) -> None:
    assert level_for(score) is level
    assert level_for(score, NluEngine.LIVEPERSON) is level
    assert level_for(score, "liveperson") is level


@pytest.mark.parametrize("engine", [NluEngine.LEGACY, NluEngine.THIRD_PARTY])
@pytest.mark.parametrize(("score", "level"), LEGACY_CASES)
def test_legacy_and_third_party_boundaries(
    engine: NluEngine, score: float, level: MatchLevel
) -> None:
    assert level_for(score, engine) is level


@pytest.mark.parametrize("score", [-0.01, 1.01, 75.0, math.nan, math.inf])
def test_level_for_rejects_scores_outside_unit_interval(score: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        level_for(score)


def test_level_for_rejects_unknown_engine() -> None:
    with pytest.raises(ValueError):
        level_for(0.5, "watson")


def test_thresholds_are_listed_best_first() -> None:
    assert thresholds(NluEngine.LIVEPERSON) == (
        (MatchLevel.VERY_GOOD, 0.75),
        (MatchLevel.GOOD, 0.60),
        (MatchLevel.FAIR_PLUS, 0.45),
        (MatchLevel.FAIR, 0.30),
        (MatchLevel.POOR, 0.0),
    )
    assert [bound for _, bound in thresholds(NluEngine.LEGACY)] == [0.85, 0.70, 0.65, 0.50, 0.0]
    assert thresholds(NluEngine.THIRD_PARTY) == thresholds(NluEngine.LEGACY)
    assert thresholds() == thresholds(NluEngine.LIVEPERSON)


@pytest.mark.parametrize("engine", list(NluEngine))
def test_thresholds_agree_with_level_for(engine: NluEngine) -> None:
    for level, bound in thresholds(engine):
        assert level_for(bound, engine) is level


def test_levels_are_ordered() -> None:
    assert (
        MatchLevel.POOR
        < MatchLevel.FAIR
        < MatchLevel.FAIR_PLUS
        < MatchLevel.GOOD
        < MatchLevel.VERY_GOOD
    )


@pytest.mark.parametrize(
    ("level", "label"),
    [
        (MatchLevel.VERY_GOOD, "VERY GOOD"),
        (MatchLevel.GOOD, "GOOD"),
        (MatchLevel.FAIR_PLUS, "FAIR PLUS"),
        (MatchLevel.FAIR, "FAIR"),
        (MatchLevel.POOR, "POOR"),
    ],
)
def test_label_round_trips(level: MatchLevel, label: str) -> None:
    assert level.label == label
    assert MatchLevel.from_label(label) is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("very good", MatchLevel.VERY_GOOD),
        ("VERY_GOOD", MatchLevel.VERY_GOOD),
        ("Very Good", MatchLevel.VERY_GOOD),
        ("  very   good ", MatchLevel.VERY_GOOD),
        ("very-good", MatchLevel.VERY_GOOD),
        ("fair plus", MatchLevel.FAIR_PLUS),
        ("FAIR_PLUS", MatchLevel.FAIR_PLUS),
        ("good", MatchLevel.GOOD),
        ("Poor", MatchLevel.POOR),
    ],
)
def test_from_label_accepts_common_spellings(text: str, level: MatchLevel) -> None:
    assert MatchLevel.from_label(text) is level


@pytest.mark.parametrize("text", ["excellent", "", "fair minus", "GOODISH"])
def test_from_label_lists_valid_labels(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        MatchLevel.from_label(text)
    message = str(caught.value)
    for label in ("VERY GOOD", "GOOD", "FAIR PLUS", "FAIR", "POOR"):
        assert label in message


def test_intent_score_starts_dialog_only_at_good_or_better() -> None:
    assert IntentScore("x", 0.9, MatchLevel.VERY_GOOD).starts_dialog
    assert IntentScore("x", 0.6, MatchLevel.GOOD).starts_dialog
    assert not IntentScore("x", 0.5, MatchLevel.FAIR_PLUS).starts_dialog
    assert not IntentScore("x", 0.1, MatchLevel.POOR).starts_dialog


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where is my ORDER?!", "where is my order"),
        ("what's   up", "whats up"),
        ("what\u2019s up", "whats up"),
        ("e-mail_address", "e mail address"),
        ("  \t ", ""),
        ("caf\u00e9 #1", "caf\u00e9 1"),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where is my order", "order status"),
        ("Where is my order?", "order status"),
        ("  TRACK my   package!! ", "order status"),
        ("I want to cancel my order.", "cancel order"),
        ("hi", "greeting"),
        ("No", "deny"),
    ],
)
def test_exact_training_phrase_scores_one(model: IntentModel, text: str, intent: str) -> None:
    best = model.best(text)
    assert best == IntentScore(intent, 1.0, MatchLevel.VERY_GOOD)
    assert model.score(text)[0] == best


def test_paraphrase_scores_good_or_better(model: IntentModel) -> None:
    best = model.best("I need to check the status of my order")
    assert best is not None
    assert best.intent == "order status"
    assert best.level >= MatchLevel.GOOD
    assert best.starts_dialog
    # The worked example in the module docstring.
    assert best.score == 0.7137


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("tracking my packages", "order status"),
        ("please cancel the order", "cancel order"),
        ("I forgot the password", "password"),
        ("can I get a refund", "billing"),
    ],
)
def test_more_paraphrases_start_the_right_dialog(
    model: IntentModel, text: str, intent: str
) -> None:
    best = model.best(text)
    assert best is not None
    assert best.intent == intent
    assert best.starts_dialog


@pytest.mark.parametrize(
    "text", ["what's the weather", "how is the weather today", "the", "what", "?!"]
)
def test_unrelated_message_is_poor(model: IntentModel, text: str) -> None:
    assert all(s.level is MatchLevel.POOR for s in model.score(text))
    best = model.best(text)
    assert best is None or best.level is MatchLevel.POOR


def test_sharing_only_a_question_word_is_not_enough(model: IntentModel) -> None:
    assert model.score("how do I bake bread") == []


def test_related_but_different_intent_does_not_start_a_dialog(model: IntentModel) -> None:
    scores = {s.intent: s for s in model.score("cancel my order")}
    assert scores["cancel order"].score == 1.0
    assert not scores["order status"].starts_dialog


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_scores_nothing(model: IntentModel, text: str) -> None:
    assert model.score(text) == []
    assert model.best(text) is None


def test_scores_are_sorted_rounded_and_in_range(model: IntentModel) -> None:
    for text in ["where is my order", "cancel the order status", "my bill for the order"]:
        scores = model.score(text)
        assert scores
        keys = [(-s.score, s.intent) for s in scores]
        assert keys == sorted(keys)
        for s in scores:
            assert 0.0 < s.score <= 1.0
            assert s.score == round(s.score, 4)
            assert s.level is level_for(s.score)
        assert model.best(text) == scores[0]


def test_ties_are_sorted_by_intent_name() -> None:
    tied = IntentModel({"zulu": ["reset password"], "alpha": ["reset password"], "mike": ["x"]})
    scores = tied.score("reset password")
    assert [s.intent for s in scores] == ["alpha", "zulu"]
    assert scores[0].score == scores[1].score == 1.0
    best = tied.best("reset password")
    assert best is not None
    assert best.intent == "alpha"
    partial = tied.score("reset my password now")
    assert [s.intent for s in partial] == ["alpha", "zulu"]
    assert partial[0].score == partial[1].score < 1.0


def test_scoring_is_deterministic(model: IntentModel) -> None:
    texts = ["I need to check the status of my order", "cancel it now", "hello order"]
    first = [model.score(t) for t in texts]
    assert [model.score(t) for t in texts] == first
    assert [IntentModel(INTENTS).score(t) for t in texts] == first


def test_mapping_order_does_not_change_scores(model: IntentModel) -> None:
    reordered = {name: list(reversed(INTENTS[name])) for name in reversed(list(INTENTS))}
    other = IntentModel(reordered)
    for text in ["status of the order", "good morning there", "charged for my bill", "nope"]:
        assert other.score(text) == model.score(text)


def test_adding_an_intent_does_not_change_other_scores(model: IntentModel) -> None:
    bigger = IntentModel({**INTENTS, "shipping": ["when will my order ship", "order shipping"]})
    text = "status of the order"
    before = {s.intent: s for s in model.score(text)}
    after = {s.intent: s for s in bigger.score(text)}
    assert {k: v for k, v in after.items() if k != "shipping"} == before


def test_engine_changes_levels_not_scores() -> None:
    live = IntentModel(INTENTS)
    legacy = IntentModel(INTENTS, engine=NluEngine.LEGACY)
    third = IntentModel(INTENTS, engine="third_party")
    assert legacy.engine is NluEngine.LEGACY
    assert third.engine is NluEngine.THIRD_PARTY
    text = "I need to check the status of my order"
    a, b = live.best(text), legacy.best(text)
    assert a is not None and b is not None
    assert a.score == b.score == 0.7137
    assert a.level is MatchLevel.GOOD
    assert b.level is MatchLevel.GOOD


def test_stemming_matches_inflections() -> None:
    m = IntentModel({"ship": ["shipping orders"]})
    for text in ["shipped order", "ship the orders", "order shipping"]:
        best = m.best(text)
        assert best is not None and best.intent == "ship" and best.score >= 0.6


def test_intent_without_phrases_and_blank_phrases_never_score() -> None:
    m = IntentModel({"empty": [], "blank": ["", "  ", "?!"], "real": ["hello"]})
    assert [s.intent for s in m.score("hello")] == ["real"]
    assert m.score("") == []
    assert m.intents["blank"] == ("", "  ", "?!")


def test_same_phrase_in_two_intents_scores_both() -> None:
    m = IntentModel({"a": ["help me", "support"], "b": ["help me"]})
    assert [(s.intent, s.score) for s in m.score("Help me!")] == [("a", 1.0), ("b", 1.0)]


def test_single_string_instead_of_phrase_list_is_rejected() -> None:
    with pytest.raises(TypeError, match="list of strings"):
        IntentModel({"oops": "where is my order"})


def test_unknown_engine_is_rejected() -> None:
    with pytest.raises(ValueError):
        IntentModel(INTENTS, engine="watson")


_VOCABULARY = (
    "order package track status cancel refund bill hello where how my the is to a "
    "password reset shipping shipped charge charged twice"
)
_WORDS = st.sampled_from(_VOCABULARY.split())
_TEXT = st.lists(_WORDS, min_size=0, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_scores_are_bounded_and_consistent(text: str) -> None:
    m = IntentModel(INTENTS)
    scores = m.score(text)
    assert all(0.0 < s.score <= 1.0 for s in scores)
    assert len({s.intent for s in scores}) == len(scores)
    assert m.best(text) == (scores[0] if scores else None)
    assert m.score(text) == scores


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4), _TEXT)
def test_training_phrase_always_scores_one(phrases: list[str], noise: str) -> None:
    m = IntentModel({"target": phrases, "noise": [noise]})
    for phrase in phrases:
        if normalise_text(phrase):
            scores = {s.intent: s.score for s in m.score(phrase)}
            assert scores["target"] == 1.0


def _reference_scores(intents: dict[str, list[str]], text: str) -> dict[str, float]:
    """The module docstring's formula, computed with plain sets over every phrase."""
    from simulator.nlu import _WEAK_TOKENS, _content_tokens, _trigrams

    norm = normalise_text(text)
    if not norm:
        return {}
    tokens = _content_tokens(norm)
    grams = _trigrams(norm)
    best: dict[str, float] = {}
    for intent, phrases in intents.items():
        for phrase in phrases:
            p_norm = normalise_text(phrase)
            if not p_norm:
                continue
            if p_norm == norm:
                best[intent] = 1.0
                continue
            p_tokens = _content_tokens(p_norm)
            if not tokens & (p_tokens - _WEAK_TOKENS or p_tokens):
                continue  # not a candidate: shares no anchor token
            p_grams = _trigrams(p_norm)
            common = len(grams & p_grams)
            similarity = len(tokens & p_tokens) * (1.0 / math.sqrt(len(tokens))) * (
                0.7 / math.sqrt(len(p_tokens))
            ) + 0.3 * common / (len(grams) + len(p_grams) - common)
            best[intent] = max(best.get(intent, 0.0), similarity)
    return {i: round(v, 4) for i, v in best.items() if round(v, 4) > 0.0}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TEXT, min_size=1, max_size=3), min_size=1, max_size=4), _TEXT)
def test_indexed_scorer_agrees_with_the_documented_formula(
    phrases: list[list[str]], text: str
) -> None:
    # The model scores only candidate phrases, through postings and trigram bit masks; the
    # reference scores every phrase with sets. Same numbers for every intent.
    intents = {f"intent{k}": p for k, p in enumerate(phrases)}
    scores = {s.intent: s.score for s in IntentModel(intents).score(text)}
    assert scores == _reference_scores(intents, text)
    assert _reference_scores(INTENTS, text) == {
        s.intent: s.score for s in IntentModel(INTENTS).score(text)
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "no",
        "order",
        "a b",
        "where is my order",
        "I'd like 2 x-large pizzas, please!",
        "café crème brûlée",
        "zz zz zz",
        "status of my order  please",
    ],
)
def test_trigrams_assembled_from_words_equal_the_sliced_ones(text: str) -> None:
    """Scoring assembles a message's trigrams from its words' remembered trigrams; the
    formula is over the trigrams of the whole padded text, so the two must be equal."""
    from simulator.nlu import _text_trigrams, _trigrams

    norm = normalise_text(text)
    assert _text_trigrams(norm) == _trigrams(norm)


@given(st.text(alphabet="ab c'-!é", max_size=30))
@settings(max_examples=200)
def test_trigrams_assembled_from_words_equal_the_sliced_ones_on_any_text(text: str) -> None:
    from simulator.nlu import _text_trigrams, _trigrams

    norm = normalise_text(text)
    assert _text_trigrams(norm) == _trigrams(norm)
