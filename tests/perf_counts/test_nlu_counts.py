"""Intent scoring touches only the phrases that share a word with the message (issue 15).

The scorer reads a phrase's data (``IntentModel._phrases[i]``) once per phrase it scores; a
counting tuple in its place counts them. The count for a message must not grow with the
number of intents or phrases of the bot, only with the phrases that share a word with it.
"""

from __future__ import annotations

from typing import SupportsIndex

import pytest

from simulator.nlu import IntentModel


class _CountingTuple(tuple):  # type: ignore[type-arg]
    reads = 0

    def __getitem__(self, index: SupportsIndex) -> object:  # type: ignore[override]
        _CountingTuple.reads += 1
        return super().__getitem__(index)


def _model(n_intents: int) -> IntentModel:
    intents = {
        f"i{k}": [f"frob{k}x my gizmo{k}x", f"how do I frob{k}x", f"gizmo{k}x today"]
        for k in range(n_intents)
    }
    model = IntentModel(intents)
    model._phrases = _CountingTuple(model._phrases)
    return model


def _phrases_scored(model: IntentModel, text: str) -> int:
    _CountingTuple.reads = 0
    model._raw_scores(text)
    return _CountingTuple.reads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please frob7x my gizmo7x", 3),  # the three phrases of i7, nothing else
        ("how do I frob7x", 2),  # "how" alone makes no other phrase a candidate
        ("tell me about the weather", 0),
    ],
)
def test_phrases_scored_do_not_grow_with_the_intents(text: str, expected: int) -> None:
    counts = [_phrases_scored(_model(n), text) for n in (10, 100, 1000)]
    assert counts == [expected] * 3
    assert _model(10).score(text) == _model(1000).score(text)


def test_a_text_not_remembered_is_prepared_once_for_all_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A message too long for the memos is scored by several models (its bot, its group's
    members): it must be normalised and tokenised once, not once per model, and its trigrams
    computed only for the models that have a phrase sharing a word with it."""
    import simulator.nlu as nlu

    related = [_model(3) for _ in range(2)]
    unrelated = [IntentModel({"other": ["nothing alike here"]}) for _ in range(5)]
    calls = {"prepare": 0, "grams": 0}
    prepare, trigrams = nlu._prepare_text, nlu._text_trigrams

    def counting_prepare(text: str) -> tuple[str, frozenset[str]]:
        calls["prepare"] += 1
        return prepare(text)

    def counting_trigrams(norm: str) -> frozenset[str]:
        calls["grams"] += 1
        return trigrams(norm)

    monkeypatch.setattr(nlu, "_prepare_text", counting_prepare)
    monkeypatch.setattr(nlu, "_text_trigrams", counting_trigrams)
    monkeypatch.setattr(nlu, "_MEMO_TEXT", 10)  # every text below is "too long"
    text = "please frob1x my gizmo1x now"
    for model in related + unrelated:
        model.score(text)
    assert calls == {"prepare": 1, "grams": 1}
