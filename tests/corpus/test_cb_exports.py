"""The real Conversation Builder exports of ../shared/cb-exports load and behave (issue 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import simulator.steps.imports  # noqa: F401  (registers the import steps for feature files)
from simulator.cb_export import export_bot, import_export, parse_export
from simulator.simulator import Simulator
from simulator.tenant.schema import Bot
from simulator.transcript import EntryKind

CORPUS = Path(__file__).parents[2].parent / "shared" / "cb-exports"
FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared export corpus is absent: {CORPUS} does not exist"
)

_PLAIN = re.compile(r"^[\w' ]+$")


def _sim(path: Path) -> tuple[Simulator, Bot]:
    sim = Simulator(base_dir=CORPUS)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(path))}\n")
    bot = next(iter(sim.platform.world.bots.values())).definition
    for integration in bot.integrations:
        sim.platform.api_stubs[integration.name] = dict
    return sim, bot


def _started(sim: Simulator) -> list[str]:
    return [
        str(e.details["dialog"])
        for e in sim.conversation().transcript.of_kind(EntryKind.DIALOG)
        if "dialog" in e.details
    ]


def test_corpus_has_eleven_exports() -> None:
    assert len(FILES) == 11


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_export_loads_and_round_trips(path: Path) -> None:
    result = import_export(path)
    again = parse_export(json.dumps(export_bot(result.bot))).bot
    assert again == result.bot
    _sim(path)  # compiles: patterns, jump targets and integrations resolve


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_starters_reach_their_dialogs(path: Path) -> None:
    sim, bot = _sim(path)
    checked = 0
    claimed: set[str] = set()
    for dialog in bot.dialogs:
        if dialog.starter is None:
            continue
        plain = [p for p in dialog.starter.patterns if _PLAIN.match(p)]
        if not plain and dialog.starter.intent is not None:
            # Exports carry no training phrases: pin the NLU score of a made-up message.
            plain = [f"please start {dialog.name}"]
            sim.pin_intent(plain[0], dialog.starter.intent, 0.95)
        for pattern in plain:
            if pattern.lower() in claimed:
                continue  # an earlier dialog owns this text (first match wins)
            claimed.add(pattern.lower())
            sim.open_conversation(bot=bot.name)
            sim.say(pattern)  # every botContext function the exports call is modelled
            assert dialog.name in _started(sim), (
                f'"{pattern}" should start "{dialog.name}":\n{sim.transcript_text()}'
            )
            checked += 1
            break
    assert checked > 0 or not any(d.starter for d in bot.dialogs)


def test_big_greets_escalates_and_uses_its_error_message() -> None:
    path = CORPUS / "get-bot-patterns-bot.json"
    sim, bot = _sim(path)
    assert bot.default_user_friendly_response == (
        "Yikes - system malfunction over here. Please check back later."
    )
    sim.open_conversation(bot="B.I.G.")
    sim.say("hi")
    seen = [text for _, text in sim.visible()]
    assert seen[:2] == [
        "Welcome to Big Head, the internet's premier for-charity Jeopardy rip-off!",
        "What are you looking for?",
    ]
    sim.say("human")
    text = sim.transcript_text()
    assert 'started "Human"' in text
    assert 'escalates to skill "3402109730"' in text
    assert ("B.I.G.", "Transferring to jerboi, Cale.") in sim.visible()


def test_big_quiz_runs_its_post_process_on_the_stubbed_api() -> None:
    sim, _ = _sim(CORPUS / "get-bot-patterns-bot.json")
    question = [{"question": "Largest planet", "answer": "Jupiter", "category": {"title": "space"}}]
    sim.platform.api_stubs["jService"] = lambda: question
    sim.open_conversation(bot="B.I.G.")
    sim.say("quiz me")
    seen = [text for _, text in sim.visible()]
    assert 'From the category of "Space": ' in seen
    assert "Largest planet. " in seen
    assert sim.conversation().sessions["B.I.G."].variables["answer"] == "Jupiter"


def test_big_js_error_sends_the_default_error_message() -> None:
    sim, _ = _sim(CORPUS / "get-bot-patterns-bot.json")
    sim.platform.api_stubs["jService"] = lambda: []  # cleanJson[0] is undefined: a TypeError
    sim.open_conversation(bot="B.I.G.")
    sim.say("quiz me")
    assert "JavaScript error in postProcessMessage" in sim.transcript_text()
    assert (
        "B.I.G.",
        "Yikes - system malfunction over here. Please check back later.",
    ) in sim.visible()


def test_replacement_card_helper_runs_init_conversation() -> None:
    sim, bot = _sim(CORPUS / "ReplacementCardHelper.json")
    sim.open_conversation(bot=bot.name)
    sim.say("hi")
    variables = sim.conversation().sessions[bot.name].variables
    assert variables["userAddress"] == "1234 Westchester Lane, Richmond, VA, 23221"


def test_go_back_bot_goes_back_with_set_trigger_next_message() -> None:
    """goBackBot's code records the interactions it shows (trail) and its "Go Back" dialog calls
    setTriggerNextMessage with the one before the last: the names its code uses are the names
    the importer gives the interactions, so "back" shows the previous question again."""
    sim, bot = _sim(CORPUS / "goBackBot.json")
    welcome = next(d for d in bot.dialogs if d.name == "1 Welcome")
    names = {i.name for i in welcome.interactions}
    assert {"text_6", "text_question_5", "quick_reply_7", "text_question_8", "text_9"} <= names
    first = "This is interaction number 1."
    second = "This is interaction number 2."
    third = "This is interaction number 3."

    def last() -> str:
        return sim.visible()[-1][1]

    sim.open_conversation(bot=bot.name)
    sim.say("hi")
    assert last().startswith(first)
    sim.say("continue")
    assert last().startswith(second)
    sim.say("back")  # the quick reply's "back" rule jumps to the Go Back dialog
    assert last().startswith(first), sim.transcript_text()
    sim.say("continue")
    assert last().startswith(second)
    sim.say("continue")
    assert last().startswith(third)
    sim.say("back")  # no "back" rule here: the Go Back dialog's starter pattern takes it
    assert last().startswith(second), sim.transcript_text()
    sim.say("continue")
    assert last().startswith(third)
    text = sim.transcript_text()
    assert 'called setTriggerNextMessage("text_question_5")' in text
    assert 'called setTriggerNextMessage("quick_reply_7")' in text
    assert "names no interaction" not in text
    variables = sim.conversation().sessions[bot.name].variables
    assert json.loads(str(variables["interactionHistory"])) == [
        "text_6",
        "text_question_5",
        "quick_reply_7",
        "text_question_8",
    ]
