"""Rich content (R1, R2): the model, taps, the SMS text version, import/export and rendering."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.cb_export import export_bot, import_export, parse_export
from simulator.errors import ChoiceNotOfferedError, CorpusUnavailable
from simulator.report.html import ConversationResult, ScenarioResult, render_report
from simulator.rich import (
    BUTTON,
    LINK,
    POSTBACK,
    PUBLISH_TEXT,
    QUICK_REPLY,
    TEXT,
    Choice,
    Content,
    marker,
    parse_structured,
    text_version,
    typed_choice,
)
from simulator.steps.rich import corpus_export
from simulator.transcript import EntryKind

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "features" / "rich" / "shop.yaml"
CORPUS = ROOT.parent / "shared" / "cb-exports"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared export corpus is absent: {CORPUS} does not exist"
)


def _shop(channel: str = "messaging") -> Simulator:
    sim = Simulator()
    sim.load(SHOP)
    sim.open_conversation(bot="Shop", channel=channel)
    return sim


# -- the model --------------------------------------------------------------------------------
def test_what_a_tap_shows_follows_r1() -> None:
    button = Choice("Large", BUTTON, POSTBACK, "size-l")
    assert button.shown(button_text_on_postback=False) == "size-l"
    assert button.shown(button_text_on_postback=True) == "Large"
    quick = Choice("Track my order", QUICK_REPLY, TEXT, "track")
    assert quick.shown(button_text_on_postback=False) == "Track my order"
    assert quick.shown(button_text_on_postback=True) == "Track my order"
    assert Choice("Go", BUTTON, LINK, "", "https://x").sends is None


def test_content_json_round_trips() -> None:
    _, content = parse_structured(
        json.dumps(
            {
                "type": "carousel",
                "elements": [
                    {
                        "type": "vertical",
                        "elements": [
                            {"type": "image", "url": "https://x/1.png"},
                            {"type": "text", "text": "Shoe"},
                            {
                                "type": "button",
                                "title": "Buy",
                                "click": {
                                    "actions": [
                                        {"type": "publishText", "text": "buy 1"},
                                        {"type": "link", "uri": "https://x/1"},
                                    ]
                                },
                            },
                        ],
                    },
                    {"type": "vertical", "elements": [{"type": "text", "text": "Boot"}]},
                ],
            }
        )
    )
    assert content.type == "carousel"
    assert [c.title for c in content.cards] == ["Shoe", "Boot"]
    buy = content.cards[0].buttons[0]
    assert (buy.type, buy.value, buy.url) == (PUBLISH_TEXT, "buy 1", "https://x/1")
    assert Content.from_json(json.loads(json.dumps(content.to_json()))) == content


def test_structured_content_that_is_not_json_is_reported_not_dropped() -> None:
    text, content = parse_structured("{$botContext.carousel")
    assert text == "{$botContext.carousel"
    assert content.errors and "not valid JSON" in content.errors[0]
    assert any(line.startswith("error: ") for line in content.lines())


def test_markers_and_typed_choices() -> None:
    assert [marker(i, "numbers") for i in (0, 9)] == ["1", "10"]
    assert [marker(i, "letters") for i in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]
    content = Content(
        "buttons",
        (
            Choice("Guide", BUTTON, LINK, "", "https://x"),
            Choice("Small", BUTTON, POSTBACK, "s"),
            Choice("Large", BUTTON, POSTBACK, "l"),
        ),
        list_style="letters",
    )
    assert text_version("Size?", content) == "Size?\nGuide: https://x\na. Small\nb. Large"
    chosen = typed_choice(" B. ", content)
    assert chosen is not None and chosen.value == "l"
    assert typed_choice("c", content) is None
    assert typed_choice("Small", content) is None


# -- taps ---------------------------------------------------------------------------------------
def test_a_choice_not_offered_is_an_error_listing_the_offered_ones() -> None:
    sim = _shop()
    sim.say("menu")
    with pytest.raises(ChoiceNotOfferedError) as exc:
        sim.platform.consumer_taps(sim.conversation(), "Refund")
    assert str(exc.value) == (
        'the consumer cannot tap "Refund": the bot offered "Track my order", "Talk to us"'
    )
    assert not [e for e in sim.conversation().transcript.entries if e.text == "Refund"]


def test_tapping_without_any_offer_is_an_error() -> None:
    sim = _shop()
    with pytest.raises(ChoiceNotOfferedError, match="no bot message of conv-0001 offers"):
        sim.platform.consumer_taps(sim.conversation(), "Yes")


def test_the_bot_receives_the_value_and_the_transcript_keeps_the_choice() -> None:
    sim = _shop()
    sim.say("menu")
    sim.platform.consumer_taps(sim.conversation(), "track my ORDER")  # case and spaces
    sim.settle()
    entries = sim.conversation().transcript.of_kind(EntryKind.CONSUMER)
    assert entries[-1].text == "Track my order"
    assert entries[-1].details["sent"] == "track"
    assert entries[-1].details["choice"]["value"] == "track"
    assert sim.conversation().sessions["Shop"].last_user_message == "track"


def test_sms_answers_by_number_and_other_text_passes_unchanged() -> None:
    sim = _shop("sms")
    sim.say("sizes")
    bot = sim.conversation().transcript.of_kind(EntryKind.BOT)[-1]
    assert bot.details["text_version"].splitlines()[1:3] == ["1. Small", "2. Large"]
    sim.say("9")  # not a choice number: reaches the bot as typed, the fallback answers
    assert sim.conversation().sessions["Shop"].last_user_message == "9"
    sim.say("1")
    assert sim.conversation().sessions["Shop"].variables["size"] == "size-s"


def test_transcript_text_is_deterministic_and_json_carries_the_structure() -> None:
    def run() -> tuple[str, str]:
        sim = _shop()
        for text in ("menu", "offers", "green", "logo"):
            sim.say(text)
        conv = sim.conversation()
        return conv.transcript.render(), conv.transcript.to_json()

    first, second = run(), run()
    assert first == second
    text, raw = first
    assert '              quick replies: "Track my order" (sends "track") | "Talk to us"' in text
    assert "              carousel of 2 cards:" in text
    assert '              card: "Green sneaker", buttons: "Add to cart" (sends "add green")' in text
    assert '  Shop:\n              image: https://shop.example/logo.png "Our logo"' in text
    contents = [
        e["details"]["content"]
        for e in json.loads(raw)["entries"]
        if e["kind"] == "bot" and "content" in e["details"]
    ]
    assert [c["type"] for c in contents] == ["quick_replies", "carousel", "card", "image"]
    assert contents[1]["cards"][0]["buttons"][1] == {
        "title": "Details",
        "kind": "button",
        "type": "link",
        "value": "",
        "url": "https://shop.example/red",
    }


def test_rich_keys_belong_to_text_or_question() -> None:
    sim = Simulator()
    with pytest.raises(Exception, match="belong to a text or question interaction"):
        sim.load_text(
            textwrap.dedent(
                """
                bots:
                  - name: B
                    dialogs:
                      - name: D
                        interactions:
                          - {integration: x, buttons: [a]}
                """
            )
        )


# -- the HTML report ----------------------------------------------------------------------------
def test_html_report_draws_chips_cards_and_carousels() -> None:
    sim = _shop()
    for text in ("menu", "offers", "sizes"):
        sim.say(text)
    result = ScenarioResult(
        nodeid="t",
        name="rich",
        feature="f",
        outcome="passed",
        conversations=[ConversationResult.from_conversation(sim.conversation())],
    )
    html = render_report([result], seed=None)
    assert '<ul class="choices quick-replies"><li data-type="text" data-value="track">' in html
    assert '<div class="carousel"><div class="card"><span class="card-title">Red sneaker' in html
    assert '<li class="link" data-type="link" title="https://shop.example/sizes">' in html


# -- the corpus ---------------------------------------------------------------------------------
def test_the_corpus_step_skips_without_the_corpus(tmp_path: Path) -> None:
    sim = Simulator(base_dir=tmp_path)
    sim.search_dirs = [tmp_path]
    with pytest.raises(CorpusUnavailable, match="the shared export corpus is absent"):
        corpus_export(sim, "goBackBot.json")


RICH_TYPES = {
    "QUICK_REPLY",
    "BUTTON",
    "MULTIPLE_CHOICE_QUESTION",
    "UNIVERSAL",
    "STRUCTURED",
    "IMAGE",
}


@needs_corpus
def test_every_rich_interaction_of_the_corpus_imports_structured() -> None:
    """The 43 rich interactions (plus one image) of the eleven exports keep their structure."""
    rich = 0
    for path in sorted(CORPUS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        kinds = {
            m["name"]: m["interactionType"]
            for m in doc["conversationMessage"]
            if m.get("interactionType") in RICH_TYPES
        }
        bot = import_export(path).bot
        imported = {i.name: i for d in bot.dialogs for i in d.interactions}
        for name, kind in kinds.items():
            inter = imported[name]
            assert inter.has_rich_content, f"{path.name}: {name} ({kind}) lost its structure"
            text = inter.text if inter.text is not None else inter.question
            assert text is not None and "[" not in text and "leMessageJson" not in text
            rich += 1
        again = parse_export(json.dumps(export_bot(bot))).bot
        assert again == bot
    assert rich == 44


def test_hand_written_rich_content_round_trips_through_the_exporter() -> None:
    sim = Simulator()
    sim.load(SHOP)
    bot = sim.platform.world.bots["Shop"].definition
    exported = export_bot(bot)
    kinds = {
        m["name"]: m["interactionType"]
        for m in exported["conversationMessage"]
        if m["interactionType"] not in ("TEXT", "TEXT_QUESTION", "DIALOG_STARTER")
    }
    assert sorted(set(kinds.values())) == [
        "BUTTON",
        "IMAGE",
        "MULTIPLE_CHOICE_QUESTION",
        "QUICK_REPLY",
        "STRUCTURED",
        "UNIVERSAL",
    ]
    again = parse_export(json.dumps(exported)).bot
    assert again.dialogs == bot.dialogs


def test_structured_content_nested_too_deeply_is_an_error_line_not_a_crash() -> None:
    from simulator.rich import parse_structured

    _, content = parse_structured("[" * 100_000 + "]" * 100_000)
    assert content.errors == ("structured content is nested too deeply to read",)
