"""The eleven exports' bot code runs against the whole botContext (issue 13, items 3, 4, 6).

Every botContext function the exports call is enumerated from the files and must be one the
simulator models; every piece of code of every export (global functions, pre/post-process,
process user response, transform scripts) runs without a "not modelled" or "unknown function"
error; and the exports whose behaviour depends on the consumer (customer info, location) or on
intents now take the path their authors meant.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.cb_export import load_export
from simulator.js.context_api import FUNCTIONS, IMPLEMENTED, JsUnsupportedError, unsupported_calls
from simulator.js.engine import JsRunner
from simulator.simulator import Simulator
from simulator.transcript import EntryKind

CORPUS = Path(__file__).parents[2].parent / "shared" / "cb-exports"
FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared export corpus is absent: {CORPUS} does not exist"
)

_CALL = re.compile(r"botContext\.(\w+)\s*\(")

CONSUMER = """
consumer:
  customer_info: {ctype: StoryMention, imei: "15551234567", customerId: "C-1"}
  personal_info: {firstname: Ada, lastname: Lovelace}
  engagement: {campaignId: "42", engagementId: "7", BearerToken: "token-1"}
  location: {lat: 40.7128, lng: -74.006, city: New York, state: NY, zip: "10001"}
"""


def _sim(path: Path, extra: str = CONSUMER) -> Simulator:
    sim = Simulator(base_dir=CORPUS)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(path))}\n{extra}")
    bot = next(iter(sim.platform.world.bots.values())).definition
    for integration in bot.integrations:
        sim.platform.api_stubs[integration.name] = dict
    return sim


def _called(path: Path) -> set[str]:
    return set(_CALL.findall(path.read_text(encoding="utf-8")))


def test_the_exports_call_24_functions_and_all_are_modelled() -> None:
    called: set[str] = set()
    for path in FILES:
        called |= _called(path)
    assert len(called) == 24, sorted(called)
    assert sorted(called - set(IMPLEMENTED)) == []
    assert {"logCustomEvent", "evaluateOptions", "getUserLocation", "getWebViewVariable"} <= called


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_export_calls_a_function_check_would_warn_about(path: Path) -> None:
    assert unsupported_calls(load_export(path)) == []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_piece_of_code_runs_without_an_unmodelled_function(path: Path) -> None:
    sim = _sim(path)
    bot = next(iter(sim.platform.world.bots.values())).definition
    conv = sim.open_conversation(bot=bot.name)
    runner = sim.platform.code_runner
    assert runner is not None
    owner = runner.__self__  # type: ignore[attr-defined]
    assert isinstance(owner, JsRunner)
    session = sim.platform.session(conv, bot.name)
    session.last_user_message = "hello"
    pieces: list[tuple[str, str, str]] = []
    for dialog in bot.dialogs:
        for inter in dialog.interactions:
            for phase, code in (
                ("preProcessMessage", inter.pre_process),
                ("postProcessMessage", inter.post_process),
                ("processUserResponse", inter.process_user_response),
            ):
                if code:
                    pieces.append((phase, code, inter.name or dialog.name))
    for integration in bot.integrations:
        transform = getattr(integration, "transform", None)
        if transform:
            pieces.append(("transformResultsScript", transform, integration.name))
    for phase, code, where in pieces:
        try:
            owner.run(conv, session, code, phase, where)
        except JsUnsupportedError as exc:  # pragma: no cover - the assertion's message
            pytest.fail(f"{path.name}: {exc}")
    errors = [e.text for e in conv.transcript.of_kind(EntryKind.ERROR)]
    assert not [t for t in errors if "not model" in t or "not a documented" in t], errors
    # The code that calls the functions once unmodelled really ran them.
    text = conv.transcript.render()
    if any("logCustomEvent" in code for _, code, _ in pieces):
        assert "logged custom event" in text
    if "getUserLocation" in _called(path):
        assert "LOCATION: New York and 40.7128" in text


def test_replacement_card_helper_starts_by_intent_and_logs_its_custom_events(
    tmp_path: Path,
) -> None:
    intents = tmp_path / "card.intents.yaml"
    intents.write_text(
        "ask about replacement card:\n  - I lost my card\n  - I need a replacement card\n",
        encoding="utf-8",
    )
    sim = Simulator(base_dir=tmp_path)
    export = CORPUS / "ReplacementCardHelper.json"
    sim.load_text(f"bots:\n  - export: {json.dumps(str(export))}\n    intents: card.intents.yaml\n")
    sim.open_conversation(bot="ReplacementCardHelper")
    sim.say("I lost my card")
    text = sim.transcript_text()
    assert 'started "1 Replacement Card" (intent "ask about replacement card"' in text
    assert (
        'logged custom event "Replacement Card - Start" (user message "user message: I lost my card")'
        in text
    )
    assert [
        e.details["custom_event"]
        for e in sim.conversation().transcript.entries
        if "custom_event" in e.details
    ] == ["Replacement Card - Start"]


def test_instagram_template_routes_by_the_customer_type() -> None:
    sim = _sim(CORPUS / "Instagram-Starter-Template.json")
    sim.open_conversation(bot="Instagram Starter Template")
    sim.say("hi")
    assert (
        "Instagram Starter Template",
        "Thanks for mentioning us on your story!",
    ) in sim.visible()


def test_instagram_template_without_a_customer_type_reports_the_bad_trigger() -> None:
    sim = _sim(CORPUS / "Instagram-Starter-Template.json", extra="")
    sim.open_conversation(bot="Instagram Starter Template")
    sim.say("hi")
    assert "type: undefined" in sim.transcript_text()
    assert 'setTriggerNextMessage("undefined") names no interaction' in sim.transcript_text()


def test_big_geo_test_reads_the_location_and_renders_location_variables() -> None:
    sim = _sim(CORPUS / "get-bot-patterns-bot.json")
    sim.open_conversation(bot="B.I.G.")
    sim.say("geo")
    sim.say("Get Location")
    assert "B.I.G. debug: LOCATION: New York and 40.7128" in sim.transcript_text()
    last = sim.visible()[-1][1]
    assert last.split("\n")[:3] == ["New York", "NY", "10001"]
    assert "40.7128,-74.006" in last


def test_text_only_demo_matches_the_typed_letter_with_evaluate_options() -> None:
    stores = {
        "stores": [
            {"id": 1, "city": "Austin", "address": "1 Main St", "weekdayHours": "9-5"},
            {"id": 2, "city": "Boston", "address": "2 Elm St", "weekdayHours": "8-6"},
        ]
    }
    sim = _sim(CORPUS / "displaying-results-in-text-only-demo.json")
    sim.platform.api_stubs["StoreLocator"] = lambda: stores
    sim.open_conversation(bot="displaying-results-in-text-only-demo")
    for text in ("hi", "text only", "b"):
        sim.say(text)
    variables = sim.conversation().sessions["displaying-results-in-text-only-demo"].variables
    assert variables["selectedCity"] == "Boston"
    sim.say("hi")
    sim.say("text only")
    sim.say("Chicago")
    assert "selection fail" in sim.transcript_text() or any(
        "trouble understanding" in t for _, t in sim.visible()
    )


def test_gpt3_template_initialises_its_variables_from_the_engagement() -> None:
    sim = _sim(CORPUS / "GPT3-Character-Template.json")
    sim.open_conversation(bot="GPT3 Character Template")
    sim.say("hello")  # the bot joins: __initConversation runs
    variables = sim.conversation().sessions["GPT3 Character Template"].variables
    assert variables["campaignId"] == "42"
    assert variables["engid"] == "7"
    assert variables["bearerToken"] == "token-1"
    assert json.loads(variables["customerInfo"])["imei"] == "15551234567"
    assert variables["channel"] == "lp_web"


def test_the_function_table_covers_the_documented_list() -> None:
    # The functions list page plus the other scripting pages, the deprecated names and seed 002.
    documented = {
        "addQuickReplies", "askMaven", "evaluateOptions", "getApiStatusCode", "getBotVariable",
        "getConversationId", "getCurrentUserMessage", "getDialogStarterIntent",
        "getDisambiguatedIntentId", "getDisambiguatedIntentName", "getEnvVariable",
        "getHoursType", "getLPAccountId", "getLPCustomerInfo", "getLPEngagementAttribute",
        "getLPUserPersonalInfo", "getNamedEntities", "getNlpResponse", "getQuickReplyPayload",
        "getSentiment", "getUserChannel", "getUserPlatformId", "getWebViewVariable",
        "getWebViewVariables", "isApiExecutionSuccessful", "logCustomEvent",
        "logEscalationEvent", "printDebugMessage", "sendImmediateReply", "sendMessage",
        "sendMessages", "sendMessageWithQuickReplies", "setAllowMaxTextResponse",
        "setBotTransferIntentbyDomain", "setBotTransferIntentId", "setBotTransferUserMessage",
        "setBotVariable", "setMessageDelay", "setTriggerNextMessage", "getButtonPayload",
        "getChatBotId", "getMetadata", "getFileCaption", "getFileType", "getChannel",
        "addQuickReples", "setBotTransferDomainName", "setBotTransferIntentName",
        "setBotTransferIntentID", "getUserName", "setUserName", "getEmail", "setEmail",
        "getUserPlatformType", "getUserLocation", "isContextApiEnabled", "registerContextNamespace",
        "deleteContextNamespace", "setGlobalContextData", "setContextDataForUser",
        "setContextDataForConversation", "getGlobalContextData", "getContextDataForUser",
        "getContextDataForConversation", "deleteGlobalContextData", "deleteContextDataForUser",
        "deleteContextDataForConversation", "deleteAllContextDataForUser",
        "deleteAllContextDataForConversation",
    }  # fmt: skip
    assert documented == set(FUNCTIONS)
