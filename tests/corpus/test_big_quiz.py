"""B.I.G.'s quiz (get-bot-patterns-bot.json) decides right or wrong with its rule conditions.

The quiz's question has two rules with the same regex; only their variable conditions
(``contextConditions``) tell a right answer from a wrong one, so this is the corpus check that
conditions are evaluated as written (issue 13, item 2).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from simulator.simulator import Simulator
from simulator.transcript import EntryKind

CORPUS = Path(__file__).parents[2].parent / "shared" / "cb-exports"
BIG = CORPUS / "get-bot-patterns-bot.json"

pytestmark = pytest.mark.skipif(
    not BIG.is_file(), reason=f"the shared export corpus is absent: {BIG} does not exist"
)

CLUE = [{"answer": "Lisbon", "question": "Capital of Portugal", "category": {"title": "cities"}}]


def _quiz() -> Simulator:
    sim = Simulator(base_dir=CORPUS)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(BIG))}\n")
    sim.platform.api_stubs["jService"] = lambda: copy.deepcopy(CLUE)
    sim.open_conversation(bot="B.I.G.")
    sim.say("quiz")
    return sim


def _bot_texts(sim: Simulator) -> list[str]:
    return [e.text for e in sim.conversation().transcript.entries if e.actor == "B.I.G."]


def test_the_quiz_asks_the_clue_of_the_stubbed_api() -> None:
    sim = _quiz()
    texts = _bot_texts(sim)
    assert 'From the category of "Cities": ' in texts
    assert texts[-1] == "What's your response?"


def test_a_right_answer_takes_the_correct_answer_rule() -> None:
    sim = _quiz()
    sim.say("lisbon")
    text = sim.transcript_text()
    assert 'took answer to "text_question13" by rule Correct Answer' in text
    assert "Lisbon is Correct! You should consider signing up to play!" in _bot_texts(sim)


def test_a_wrong_answer_takes_the_wrong_answer_rule() -> None:
    sim = _quiz()
    sim.say("Madrid")
    text = sim.transcript_text()
    assert 'took answer to "text_question13" by rule Wrong Answer' in text
    assert "The correct response is... Lisbon. Hope you got it right!" in _bot_texts(sim)
    errors = sim.conversation().transcript.of_kind(EntryKind.ERROR)
    assert not errors, [e.text for e in errors]
