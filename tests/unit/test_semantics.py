"""Issue 12's readings of the platform rules, unit by unit (the scenarios are in features/).

Connector settings that apply to messaging only (C1), ``maxConsumerMessageDelay`` in minutes,
the collaboration default (G1), the single top intent of the LivePerson engine (B7), groups
from an export's ``transferGroupId`` and the ``simulator check`` warning for chat connectors.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from simulator.bots.runtime import top_intent
from simulator.cb_export.importer import parse_export
from simulator.cli import main
from simulator.nlu import IntentScore, MatchLevel
from simulator.simulator import Simulator
from simulator.tenant.schema import (
    MESSAGING_ONLY_SETTINGS,
    BotGroup,
    ConnectorSettings,
    Platform,
)

ECHO = """
bots:
  - name: Echo
    dialogs:
      - name: Echo
        starter: {patterns: ["*"]}
        interactions:
          - text: "You said: {$userMessage}"
connectors:
  - {bot: Echo, channel: CHANNEL, settings: SETTINGS}
"""


def _echo(channel: str = "messaging", settings: str = "{}") -> Simulator:
    sim = Simulator()
    sim.load_text(ECHO.replace("CHANNEL", channel).replace("SETTINGS", settings))
    return sim


# -- C1: maxConsumerMessageDelay is in minutes --------------------------------------------
def test_documented_max_consumer_message_delay_is_minutes() -> None:
    assert ConnectorSettings().max_consumer_message_delay_ms == 30 * 60_000
    settings = ConnectorSettings.model_validate({"maxConsumerMessageDelay": 30})
    assert settings.max_consumer_message_delay_ms == 30 * 60_000
    half = ConnectorSettings.model_validate({"maxConsumerMessageDelay": 0.5})
    assert half.max_consumer_message_delay_ms == 30_000
    snake = ConnectorSettings.model_validate({"max_consumer_message_delay_ms": 30})
    assert snake.max_consumer_message_delay_ms == 30
    assert "max_consumer_message_delay_ms" in settings.model_fields_set


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"maxConsumerMessageDelay": "soon"}, "Input should be a valid integer"),
        ({"maxConsumerMessageDelay": -1}, "greater than or equal to 0"),
        ({"maxConsumerMessageDelay": True}, "is a number of minutes, not True"),
        (
            {"maxConsumerMessageDelay": 3, "max_consumer_message_delay_ms": 3},
            "not both",
        ),
    ],
)
def test_bad_max_consumer_message_delay(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        ConnectorSettings.model_validate(data)
    if "Input should" in message or "greater" in message:
        assert caught.value.errors()[0]["loc"] == ("maxConsumerMessageDelay",)


def test_a_quoted_number_of_minutes_is_minutes_too() -> None:
    settings = ConnectorSettings.model_validate({"maxConsumerMessageDelay": "30"})
    assert settings.max_consumer_message_delay_ms == 30 * 60_000


def test_gap_is_measured_from_the_last_answered_message() -> None:
    sim = _echo(settings="{maxConsumerMessageDelay: 1}")
    sim.open_conversation(bot="Echo")
    sim.say("a")
    sim.advance(timedelta(seconds=50))
    sim.say("b")  # 50 s after "a" was answered
    sim.advance(timedelta(seconds=50))
    sim.say("c")  # 50 s after "b", 100 s after "a": answered, the gap is to "b"
    sim.advance(timedelta(minutes=2))
    sim.say("d")  # more than a minute after "c": ignored
    sim.say("e")  # the reference stays at "c", so still ignored
    said = [text for who, text in sim.visible() if who == "Echo"]
    assert said == ["You said: a", "You said: b", "You said: c"]
    assert sim.transcript_text().count("more than maxConsumerMessageDelay (1 minute)") == 2


# -- C1: messaging-only settings --------------------------------------------------------------
def test_chat_connector_applies_documented_defaults() -> None:
    sim = _echo("chat", "{skipAgentMessage: true, maxEscalationRetries: 1, messageDelay: 5}")
    settings = sim.platform.settings_of("Echo")
    defaults = ConnectorSettings()
    for name in MESSAGING_ONLY_SETTINGS:
        assert getattr(settings, name) == getattr(defaults, name), name
    assert not sim.platform.messaging_rules("Echo")
    messaging = _echo("messaging", "{skipAgentMessage: true}")
    assert messaging.platform.settings_of("Echo").skip_agent_message is True
    assert messaging.platform.messaging_rules("Echo")


def test_greeting_settings_apply_on_chat_too() -> None:
    sim = _echo("chat", "{defaultGreetingMessage: hello there, disableGreetings: true}")
    settings = sim.platform.settings_of("Echo")
    assert settings.default_greeting_message == "hello there"
    assert settings.disable_greetings is True
    assert sim.world is not None and sim.world.warnings == []


def test_check_warns_about_messaging_settings_on_a_chat_connector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = ECHO.replace("CHANNEL", "chat").replace(
        "SETTINGS", "{retryMessageInterval: 1000, defaultGreetingMessage: hey}"
    )
    Path("chat.yaml").write_text(text, encoding="utf-8")
    assert main(["check", "chat.yaml", "--strict"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        'chat.yaml:10: warning C1: connector of bot "Echo": retryMessageInterval applies to'
        " messaging only; this connector is chat, so it has no effect"
    ]


# -- F4 / S1 on the clock -------------------------------------------------------------------
def test_consumer_messages_do_not_restart_the_no_response_timer() -> None:
    sim = _echo(settings="{fallbackEscalationTime: 60000, retryMessageInterval: 1000000}")
    sim.platform.faults.unresponsive_bots.add("Echo")
    sim.open_conversation(bot="Echo")
    sim.say("one")  # reaches the bot at 0.3 s
    sim.advance(timedelta(seconds=30))
    sim.say("two")  # the timer keeps counting from "one"
    sim.advance_to(timedelta(seconds=60, milliseconds=300))
    assert "no fallback skill (F4)" not in sim.transcript_text()
    sim.advance_to(timedelta(seconds=60, milliseconds=301))
    assert "Echo sent no response to the consumer for 60000 ms" in sim.transcript_text()


# -- G1 -----------------------------------------------------------------------------------------
def test_collaboration_is_off_unless_enabled() -> None:
    assert BotGroup(name="G").collaboration is False
    assert BotGroup(name="G", collaboration=True).collaboration is True


def test_export_group_ids_make_a_group_that_is_off() -> None:
    sim = Simulator()
    world = sim.load_text(
        "bots:\n  - {name: A, group: g-1}\n  - {name: B, group: g-1}\n  - {name: C}\n"
    )
    assert world.group_of == {"A": "g-1", "B": "g-1"}
    assert world.groups["g-1"].members == ["A", "B"]
    assert world.groups["g-1"].collaboration is False


def test_a_tenant_group_listing_the_bot_wins_over_its_export_group() -> None:
    sim = Simulator()
    world = sim.load_text(
        "bots:\n  - {name: A, group: g-1}\n  - {name: B, group: g-1}\n"
        "groups:\n  - {name: Mine, members: [A]}\n  - {name: Theirs, id: g-1, collaboration: true}\n"
    )
    assert world.group_of == {"A": "Mine", "B": "Theirs"}
    assert world.groups["Theirs"].members == ["B"]


# -- B7 -----------------------------------------------------------------------------------------
def test_top_intent_prefers_score_then_the_bots_order() -> None:
    sim = Simulator()
    world = sim.load_text(
        "bots:\n  - name: Bank\n    intents:\n"
        "      - {name: zulu, phrases: [a]}\n      - {name: alpha, phrases: [b]}\n"
    )
    bot = world.bots["Bank"]
    good = MatchLevel.GOOD
    tie = [IntentScore("alpha", 0.7, good), IntentScore("zulu", 0.7, good)]
    assert top_intent(bot, tie).intent == "zulu"
    higher = [IntentScore("zulu", 0.7, good), IntentScore("alpha", 0.71, good)]
    assert top_intent(bot, higher).intent == "alpha"


# -- B11 ----------------------------------------------------------------------------------------
def test_auto_close_is_off_by_default_and_must_be_positive() -> None:
    assert Platform().auto_close_after_minutes is None
    with pytest.raises(ValidationError):
        Platform(auto_close_after_minutes=0)


def test_import_notes_the_group_and_its_collaboration() -> None:
    result = parse_export(
        '{"bot": {"name": "B", "transferGroupId": "g-7"}, "groups": [], "conversationMessage": []}'
    )
    assert result.bot.group == "g-7"
    assert any('transferGroupId "g-7"' in note and "off unless" in note for note in result.notes)
