"""Conformance, measured (issue 13 item 8): the walk of every real export, in figures.

Each export's walk must reach every interaction (but those listed below, with the reason) and
every reached interaction must run without an error entry, except the errors ``simulator.walk``
explains as the export's own doing (``EXPLAINED``); an error it cannot explain is a simulator
gap and fails here. Nothing is suppressed: the figures are those of docs/conformance.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.walk import ExportWalk, explain, markdown_report, walk_export

CORPUS = Path(__file__).parents[2].parent / "shared" / "cb-exports"
FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
DOC = Path(__file__).parents[2] / "docs" / "conformance.md"

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared export corpus is absent: {CORPUS} does not exist"
)

#: Interactions the walk does not reach, and why (checked against the walk's own reason).
UNREACHED = {
    "GPT3-Character-Template.json": {
        "00 - GPT3 Character Bot Readme / README": "no starter",  # a read-me dialog
    },
}
#: Interactions with an error the export causes (each error must be explained by the walk).
NOT_CLEAN = {
    "GPT3-Character-Template.json": {
        "99 Fallback / fallback_starter",  # namespace gpt3chat never registered
        "GPT3 (Channel Character) / collect character name",  # namespace gpt3_char
        "GPT3 (Channel Character) / set prompt and query GPT3",  # namespace gpt3_char
    },
    "ShopifyBot.json": {
        "0 Fallback / fallback_starter",  # next step to a deleted interaction id
        "3 View Cart / check_activeCart_status",  # setTriggerNextMessage("9.2 Anything else")
    },
    "qr-sms-template.json": {
        "1 Welcome / Thanks and Collect Number",  # namespace phoneNumbers never registered
    },
}

_WALKS: dict[str, ExportWalk] = {}


def _walk(path: Path) -> ExportWalk:
    if path.name not in _WALKS:
        _WALKS[path.name] = walk_export(path)
    return _WALKS[path.name]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_walk_reaches_every_interaction(path: Path) -> None:
    walk = _walk(path)
    expected = UNREACHED.get(path.name, {})
    assert set(walk.unreached) == set(expected)
    for key, why in expected.items():
        assert why in walk.why_unreached(key)
    assert not walk.caps, walk.caps


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_reached_interactions_run_clean_or_explained(path: Path) -> None:
    walk = _walk(path)
    assert walk.unexplained == {}, walk.unexplained
    assert walk.unattributed == []
    assert set(walk.reached) - walk.clean == NOT_CLEAN.get(path.name, set())
    for key in NOT_CLEAN.get(path.name, set()):
        assert all(explain(e) for e in walk.errors[key])


def test_walk_is_deterministic() -> None:
    path = CORPUS / "goBackBot.json"
    assert walk_export(path).to_dict() == walk_export(path).to_dict()


def test_conformance_doc_is_current() -> None:
    """docs/conformance.md is what the walk says now (regenerate: see the doc's first line)."""
    walks = [_walk(p) for p in FILES]
    assert DOC.read_text(encoding="utf-8") == markdown_report(walks)


def test_caps_are_reported() -> None:
    walk = walk_export(CORPUS / "ReplacementCardHelper.json", max_paths=5)
    assert walk.paths == 5
    assert walk.caps and walk.caps[0].startswith("path cap 5 hit")


def test_every_export_has_a_feature_scenario() -> None:
    """Issue 13 "Done when": each of the eleven exports is driven by a feature file."""
    features = Path(__file__).parents[2] / "features" / "imports"
    text = "\n".join(f.read_text(encoding="utf-8") for f in sorted(features.glob("*.feature")))
    missing = [p.name for p in FILES if f'the corpus export "{p.name}"' not in text]
    assert missing == []


def test_change_and_cancel_response_flags_are_reported_not_dropped() -> None:
    """65 messages of the corpus carry changeResponse/cancelResponse; the walk names each."""
    flagged = [m for p in FILES for m in _walk(p).not_modelled]
    assert len(flagged) == 65
    assert all('changeResponse {"enabled": true}' in m for m in flagged)
    assert "cancelResponse" in DOC.read_text(encoding="utf-8")
