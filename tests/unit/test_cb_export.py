"""The Conversation Builder export importer and exporter (issue 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.bots.compiled import CompiledBot
from simulator.cb_export import FixtureError, export_bot, import_export, load_export, parse_export
from simulator.simulator import Simulator
from simulator.tenant.schema import Bot, DialogType

ROOT = Path(__file__).parents[2]
EXPORTS = ROOT / "fixtures" / "exports"
FIXTURES = sorted(EXPORTS.glob("*.json"))


def _minimal(**overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "bot": {"id": "b1", "name": "Mini", "language": "en-GB", "sessionLength": 30},
        "groups": [
            {"id": "g1", "name": "Hello", "dialogType": "DIALOG"},
            {"id": "g2", "name": "Fallback", "dialogType": "FALLBACK_DIALOG"},
            {"id": "g3", "name": "Oddity", "dialogType": "DISAMBIGUATION_DIALOG"},
        ],
        "conversationMessage": [
            # File order differs from the chain order on purpose.
            {
                "id": "m3",
                "name": "bye",
                "group": "g1",
                "interactionType": "TEXT",
                "prevMessageId": "m2",
                "content": {"results": {"tile": {"tileData": [{"text": "Bye"}]}}},
                "responseMatches": [
                    {"conditions": [], "action": {"name": "INTERACTION", "value": "next"}}
                ],
            },
            {
                "id": "m1",
                "name": "start",
                "group": "g1",
                "interactionType": "DIALOG_STARTER",
                "pattern": ["hello", "hi*"],
                "intentId": "i-unknown",
                "nextMessageId": "m2",
                "responseMatches": [
                    {"conditions": [], "action": {"name": "INTERACTION", "value": "next"}}
                ],
            },
            {
                "id": "m2",
                "name": "greet",
                "group": "g1",
                "interactionType": "TEXT",
                "interactionDelay": "250",
                "nextMessageId": "m3",
                "prevMessageId": "m1",
                "content": {"results": {"tile": {"tileData": [{"text": "Hello!"}]}}},
                "responseMatches": [
                    {"conditions": [], "action": {"name": "INTERACTION", "value": "next"}}
                ],
            },
            {
                "id": "f1",
                "name": "fallback_starter",
                "group": "g2",
                "interactionType": "TEXT",
                "content": {"results": {"tile": {"tileData": [{"text": "Pardon?"}]}}},
                "responseMatches": [],
            },
            {
                "id": "o1",
                "name": "mystery",
                "group": "g3",
                "interactionType": "HOLOGRAM",
                "responseMatches": [],
            },
        ],
    }
    doc.update(overrides)
    return doc


def test_minimal_export_maps_bot_dialogs_and_order() -> None:
    result = parse_export(_minimal())
    bot = result.bot
    assert (bot.name, bot.language, bot.session_length_minutes) == ("Mini", "en-GB", 30)
    hello, fallback, odd = bot.dialogs
    assert hello.type is DialogType.STANDARD
    assert hello.starter is not None and hello.starter.patterns == ["hello", "hi*"]
    assert hello.starter.intent is None  # unknown intent id: patterns only, with a note
    assert any("i-unknown" in n for n in result.notes)
    assert [i.name for i in hello.interactions] == ["greet", "bye"]
    assert hello.interactions[0].delay_ms == 250
    assert fallback.type is DialogType.FALLBACK
    assert (odd.type, odd.kind_label) == (DialogType.OTHER, "DISAMBIGUATION_DIALOG")
    assert odd.interactions[0].unsupported == "HOLOGRAM"


def test_big_export_maps_the_documented_fields() -> None:
    path = ROOT.parent / "shared" / "cb-exports" / "get-bot-patterns-bot.json"
    if not path.exists():
        pytest.skip(f"the shared export corpus is absent ({path.parent})")
    bot = load_export(path)
    assert bot.default_user_friendly_response == (
        "Yikes - system malfunction over here. Please check back later."
    )
    assert bot.group == "daf69cbb-b6eb-40b0-bbd0-34d1689971ee"
    dialogs = {d.name: d for d in bot.dialogs}
    human = dialogs["Human"]
    transfer = human.interactions[-1].transfer
    assert transfer is not None
    assert transfer.skill_id == "3402109730"
    assert transfer.message_to_user == "Transferring to jerboi, Cale."
    assert transfer.transfer_bot_context is False
    quiz = dialogs["Quiz me"]
    assert quiz.starter is not None and quiz.starter.intent == "Quiz me"
    intents = {i.name: i for i in bot.intents}
    assert intents["Quiz me"].domain == "Big Head Questions"
    assert intents["Quiz me"].id == "9a8cbe7b-e5b9-4987-b77c-1b374c3ac4a4"
    # The starter with pre-process code is kept as a first interaction that sends nothing.
    welcome = dialogs["Welcome"].interactions[0]
    assert welcome.text == "BLANK_MESSAGE" and welcome.pre_process is not None
    menu = next(i for i in dialogs["Welcome"].interactions if i.name == "quick_reply_21")
    assert menu.options == ["Quiz Me!", "Sign me up!", "I want to watch!"]
    assert [r.next for r in menu.rules] == ["dialog:Become a contestant1", "dialog:Quiz me", "next"]
    api = next(i for i in bot.integrations if i.name == "jService")
    assert api.type == "api" and api.custom_data["answer"] == "{$.api_jService[0].answer}"


def test_question_rule_kinds() -> None:
    doc = _minimal()
    messages = doc["conversationMessage"]
    assert isinstance(messages, list)
    messages[2]["interactionType"] = "QUICK_REPLY"
    messages[2]["quickReplies"] = [{"title": "Yes"}, {"title": "No"}]
    messages[2]["responseMatches"] = [
        {
            "name": "yes",
            "conditions": [{"matchType": "PATTERN", "patternMatch": {"patterns": ["yes", "y"]}}],
            "action": {"name": "INTERACTION", "value": "m3"},
            "contextDataVariables": [{"name": "answer", "value": "{$userMessage}"}],
        },
        {
            "conditions": [{"matchType": "REGEX", "regexMatch": {"regexText": "^n"}}],
            "action": {"name": "INTERACTION", "value": "close_conversation"},
        },
        {
            "conditions": [{"matchType": "EVAL_OPTION", "evaluateOptionMatch": {"value": "Maybe"}}],
            "action": {"name": "DIALOG", "value": "g2"},
        },
        {
            "conditions": [{"matchType": "NO_MATCH", "noMatch": {}}],
            "action": {"name": "INTERACTION", "value": "none"},
        },
    ]
    question = parse_export(doc).bot.dialogs[0].interactions[0]
    assert question.question == "Hello!" and question.options == ["Yes", "No"]
    yes, no, maybe, other = question.rules
    assert (yes.pattern, yes.next, yes.set) == (["yes", "y"], "bye", {"answer": "{$userMessage}"})
    assert (no.regex, no.next) == ("^n", "close_conversation")
    assert (maybe.exact, maybe.next) == ("Maybe", "dialog:Fallback")
    assert (other.no_match, other.next) == (True, "end")


def test_api_result_rules_map_to_next_and_on_failure() -> None:
    doc = _minimal()
    messages = doc["conversationMessage"]
    assert isinstance(messages, list)
    messages[2]["interactionType"] = "API_INTEGRATION"
    messages[2]["content"] = {"contentType": "DYNAMIC", "responderName": "getData"}
    messages[2]["responseMatches"] = [
        {
            "conditions": [{"matchType": "API_RESULT", "apiResultsMatch": {"status": "SUCCESS"}}],
            "action": {"name": "INTERACTION", "value": "next"},
        },
        {
            "conditions": [{"matchType": "API_RESULT", "apiResultsMatch": {"status": "FAILURE"}}],
            "action": {"name": "DIALOG", "value": "g2"},
        },
    ]
    doc["responder"] = [{"name": "getData", "webhook": "https://example.invalid", "method": "GET"}]
    bot = parse_export(doc).bot
    call = bot.dialogs[0].interactions[0]
    assert (call.integration, call.next, call.on_failure) == ("getData", "next", "dialog:Fallback")
    assert parse_export(json.dumps(export_bot(bot))).bot == bot


def test_escalation_fixture_has_transfer_context_and_group() -> None:
    bot = load_export(EXPORTS / "escalation-bot.json")
    assert bot.group == "7f3c2a9e-5d1b-4c8e-9a6f-2b4d8e1c3a57"
    agent = next(d for d in bot.dialogs if d.name == "Agent")
    transfer = agent.interactions[-1].transfer
    assert transfer is not None and transfer.transfer_bot_context is True
    caught = next(d for d in bot.dialogs if d.name == "Escalation failed")
    assert caught.starter is not None
    assert caught.starter.patterns == ["__agent_escalation_failed__"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_round_trip(path: Path) -> None:
    bot = load_export(path)
    CompiledBot(bot).check_references()
    again = parse_export(json.dumps(export_bot(bot))).bot
    assert again == bot


def test_round_trip_of_an_inline_bot_is_stable() -> None:
    bot = Bot.model_validate(
        {
            "name": "Inline",
            "intents": [{"name": "hello", "phrases": ["hello there"]}],
            "dialogs": [
                {
                    "name": "Hi",
                    "starter": {"patterns": ["hi"], "intent": "hello", "exclude": ["bye"]},
                    "interactions": [
                        {"text": "Hi!", "set": {"seen": "yes"}},
                        {
                            "name": "ask",
                            "question": "Name?",
                            "save_as": "name",
                            "rules": [{"intent": "hello", "next": "end"}, {"no_match": True}],
                        },
                    ],
                }
            ],
        }
    )
    once = parse_export(json.dumps(export_bot(bot))).bot
    twice = parse_export(json.dumps(export_bot(once))).bot
    assert once == twice
    assert once.dialogs[0].interactions[1].save_as == "name"
    assert once.dialogs[0].starter is not None and once.dialogs[0].starter.exclude == ["bye"]
    assert once.intents[0].phrases == ["hello there"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected an object"),
        ('{"groups": []}', 'the key "bot" is missing'),
        ('{"bot": "B"}', "expected an object"),
        ('{"bot": {"name": "B"}, "groups": {}}', "expected a list"),
        ('{"bot": {"name": ["B"]}}', "expected text"),
        ('{"bot": {}}', "required key is missing"),
        (
            '{"bot": {"name": "B"}, "groups": [], "conversationMessage": [{"id": "m", "group": "x"}]}',
            "not in groups[]",
        ),
        ('{"bot": {"name": "B", "sessionLength": "long"}}', "expected a whole number"),
        ("", "empty"),
    ],
)
def test_malformed_exports_raise_fixture_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError) as info:
        load_export(path)
    assert expected in str(info.value)
    assert info.value.file == str(path)


def test_missing_export_file_is_a_fixture_error(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="file not found"):
        import_export(tmp_path / "nope.json")


def test_tenant_entry_loads_an_export() -> None:
    sim = Simulator(base_dir=ROOT)
    sim.load_text("bots:\n  - export: fixtures/exports/escalation-bot.json\n    name: Renamed\n")
    assert "Renamed" in sim.platform.world.bots
