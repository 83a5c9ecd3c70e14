"""'Did you mean' compares bounded text, however long the input (issue 11 §3).

difflib costs about the product of the two lengths, so the tests record the lengths every
SequenceMatcher is given instead of timing anything.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar

import pytest

from simulator import errors
from simulator.steps import (
    library,  # noqa: F401 - registers the steps
    registry,
)
from simulator.steps.registry import REGISTRY


class _Recorder(difflib.SequenceMatcher):  # type: ignore[type-arg]
    lengths: ClassVar[list[int]] = []

    def set_seq1(self, a: Any) -> None:
        _Recorder.lengths.append(len(a))
        super().set_seq1(a)

    def set_seq2(self, b: Any) -> None:
        _Recorder.lengths.append(len(b))
        super().set_seq2(b)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    _Recorder.lengths = []
    monkeypatch.setattr(difflib, "SequenceMatcher", _Recorder)
    return _Recorder.lengths


def test_huge_undefined_step_is_compared_truncated(recorded: list[int]) -> None:
    text = 'the consumer sayz "' + "x" * 100_000 + '"'
    assert REGISTRY.match(text) is None
    suggestions = REGISTRY.suggestions(text)
    assert recorded and max(recorded) <= registry.COMPARE_LIMIT
    # The typo is still recognised: quoted text is stripped before truncating.
    assert suggestions[0] == 'When the consumer says "hi"'


def test_huge_name_is_compared_truncated(recorded: list[int]) -> None:
    huge = "Savings" + "s" * 100_000
    assert errors.did_you_mean(huge, ["Savings", "Routing", "x" * 50_000]).startswith("known:")
    assert recorded and max(recorded) <= errors.COMPARE_LIMIT


def test_short_names_still_get_suggestions(recorded: list[int]) -> None:
    assert errors.did_you_mean("savngs", ["Savings", "Routing"]) == 'did you mean "Savings"?'
    assert errors.nearest("a" * 300, ["a" * 300]) == ["a" * 300]  # same prefix: still found
    assert recorded
