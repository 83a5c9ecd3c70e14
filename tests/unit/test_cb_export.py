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
    assert [(q.title, q.value) for q in menu.quick_replies] == [
        ("Quiz Me!", "Quiz"),
        ("Sign me up!", "contestant"),
        ("I want to watch!", "watch"),
    ]
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
    assert question.question == "Hello!"
    assert [q.title for q in question.quick_replies] == ["Yes", "No"]
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


def _text(m_id: str, name: str, group: str, text: str, **extra: object) -> dict[str, object]:
    return {
        "id": m_id,
        "name": name,
        "group": group,
        "interactionType": "TEXT",
        "content": {"results": {"tile": {"tileData": [{"text": text}]}}},
        "responseMatches": [{"conditions": [], "action": {"name": "INTERACTION", "value": "next"}}],
        **extra,
    }


def _mid_dialog_jump() -> dict[str, object]:
    """ "menu" answers "billing" with a jump to "amount", the second interaction of Billing."""
    return {
        "bot": {"id": "b1", "name": "Jumper"},
        "groups": [
            {"id": "g1", "name": "Menu", "dialogType": "DIALOG"},
            {"id": "g2", "name": "Billing", "dialogType": "DIALOG"},
        ],
        "conversationMessage": [
            {
                "id": "s1",
                "name": "dialog_starter",
                "group": "g1",
                "interactionType": "DIALOG_STARTER",
                "pattern": ["menu"],
                "nextMessageId": "q1",
            },
            {
                "id": "q1",
                "name": "menu",
                "group": "g1",
                "interactionType": "TEXT_QUESTION",
                "content": {"results": {"tile": {"tileData": [{"text": "What do you need?"}]}}},
                "responseMatches": [
                    {
                        "name": "billing",
                        "conditions": [
                            {"matchType": "PATTERN", "patternMatch": {"patterns": ["billing"]}}
                        ],
                        "action": {"name": "INTERACTION", "value": "t2"},
                    },
                    {
                        "name": "start over",
                        "conditions": [
                            {"matchType": "PATTERN", "patternMatch": {"patterns": ["restart"]}}
                        ],
                        "action": {"name": "INTERACTION", "value": "s2"},
                    },
                ],
            },
            {
                "id": "s2",
                "name": "dialog_starter",
                "group": "g2",
                "interactionType": "DIALOG_STARTER",
                "pattern": ["bill"],
                "nextMessageId": "t1",
            },
            _text("t1", "intro", "g2", "Welcome to billing.", nextMessageId="t2"),
            _text("t2", "amount", "g2", "You owe 10 EUR.", nextMessageId="t3"),
            _text("t3", "bye", "g2", "Anything else?"),
        ],
    }


def test_a_jump_into_the_middle_of_another_dialog_plays_that_interaction(tmp_path: Path) -> None:
    result = parse_export(_mid_dialog_jump())
    menu = result.bot.dialogs[0].interactions[0]
    assert [r.next for r in menu.rules] == ["dialog:Billing#amount", "dialog:Billing"]
    assert not any("middle" in note for note in result.notes), result.notes
    assert parse_export(json.dumps(export_bot(result.bot))).bot == result.bot
    path = tmp_path / "jumper.json"
    path.write_text(json.dumps(_mid_dialog_jump()), encoding="utf-8")
    sim = Simulator(base_dir=tmp_path)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(path))}\n")
    sim.open_conversation(bot="Jumper")
    sim.say("menu")
    sim.say("billing")
    assert [text for _, text in sim.visible()] == [
        "What do you need?",
        "You owe 10 EUR.",
        "Anything else?",
    ]
    sim.say("menu")
    sim.say("restart")  # a jump to the other dialog's starter: that dialog from its beginning
    assert [text for _, text in sim.visible()][-3:] == [
        "Welcome to billing.",
        "You owe 10 EUR.",
        "Anything else?",
    ]


def test_interactions_keep_their_builder_names_for_set_trigger_next_message() -> None:
    doc = _minimal()
    messages = doc["conversationMessage"]
    assert isinstance(messages, list)
    messages[0]["name"] = "greet"  # "bye" (m3) now shares the name of m2
    result = parse_export(doc)
    hello = result.bot.dialogs[0]
    assert [i.name for i in hello.interactions] == ["greet", "m3"]
    assert any('several interactions named "greet"' in note for note in result.notes)
    assert parse_export(json.dumps(export_bot(result.bot))).bot == result.bot


@pytest.mark.parametrize(("value", "minutes"), [(30.0, 30), ("45", 45), ("60.0", 60), (0, None)])
def test_session_length_accepts_whole_numbers(value: object, minutes: int | None) -> None:
    doc = _minimal(bot={"id": "b1", "name": "Mini", "sessionLength": value})
    assert parse_export(doc).bot.session_length_minutes == minutes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "expected a whole number of minutes, found 1.5"),
        ("1.5", 'expected a whole number of minutes, found "1.5"'),
        ([30], "expected a whole number of minutes, found a list"),
        (True, "expected a whole number of minutes, found a boolean"),
    ],
)
def test_session_length_must_be_whole_minutes(value: object, expected: str) -> None:
    doc = _minimal(bot={"id": "b1", "name": "Mini", "sessionLength": value})
    with pytest.raises(FixtureError) as info:
        parse_export(doc)
    assert f"bot.sessionLength: {expected}" in str(info.value)


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("nextMessageId", ["m3"], "conversationMessage[2].nextMessageId: expected text"),
        ("action", {"name": "INTERACTION", "value": {"id": "m3"}}, "action.value: expected"),
        (
            "apiResultsMatch",
            "SUCCESS",
            "responseMatches[0].conditions[0].apiResultsMatch: expected an object, found text",
        ),
        (
            "contextDataVariables",
            {"name": "x"},
            "responseMatches[0].contextDataVariables: expected a list, found an object",
        ),
        (
            "contextDataVariables",
            [{"name": "x", "value": ["a"]}],
            "responseMatches[0].contextDataVariables[0].value: expected text, found a list",
        ),
    ],
)
def test_malformed_message_fields_name_their_path(where: str, value: object, expected: str) -> None:
    doc = _minimal()
    messages = doc["conversationMessage"]
    assert isinstance(messages, list)
    greet = messages[2]
    rule = greet["responseMatches"][0]
    if where == "nextMessageId":
        greet["nextMessageId"] = value
    elif where == "action":
        rule["action"] = value
    elif where == "apiResultsMatch":
        greet["interactionType"] = "API_INTEGRATION"
        greet["content"] = {"contentType": "DYNAMIC", "responderName": "getData"}
        rule["conditions"] = [{"matchType": "API_RESULT", "apiResultsMatch": value}]
    else:
        rule["contextDataVariables"] = value
    with pytest.raises(FixtureError) as info:
        parse_export(doc)
    assert expected in str(info.value)


def test_exports_are_limited_by_the_importer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import simulator.cb_export.importer as importer

    path = tmp_path / "big.json"
    path.write_text(json.dumps(_minimal()), encoding="utf-8")
    monkeypatch.setattr(importer, "MAX_EXPORT_BYTES", 100)
    with pytest.raises(FixtureError, match="exports are limited to 100 bytes"):
        import_export(path)


def test_undocumented_response_flags_are_a_bot_note_warned_by_check_and_logged(
    tmp_path: Path,
) -> None:
    """R3: changeResponse / cancelResponse are not modelled, so they are said, not dropped."""
    import json as _json

    from simulator.cb_export import parse_export
    from simulator.lint import not_run_warnings
    from simulator.simulator import Simulator
    from simulator.transcript import EntryKind

    source = Path(__file__).parents[2] / "fixtures" / "exports" / "escalation-bot.json"
    doc = _json.loads(source.read_text(encoding="utf-8"))
    doc["conversationMessage"][0]["changeResponse"] = {"enabled": True}
    result = parse_export(doc, file="flagged.json")
    assert any("changeResponse/cancelResponse" in n for n in result.bot.notes)
    export = tmp_path / "flagged.json"
    export.write_text(_json.dumps(doc), encoding="utf-8")
    sim = Simulator()
    sim.load(str(export))
    bot = next(iter(sim.platform.world.bots.values()))
    assert [w.code for w in not_run_warnings(bot)].count("R3") >= 1
    sim.open_conversation(bot=bot.name)
    sim.say("hello")  # the bot's session starts with its first message
    warnings = [e.text for e in sim.conversation().transcript.of_kind(EntryKind.WARNING)]
    assert any("import note (R3)" in w and "changeResponse" in w for w in warnings), warnings
