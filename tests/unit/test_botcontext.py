"""The whole documented botContext (issue 13.3) and the consumer preset it reads (13.4)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from py_mini_racer import MiniRacer

from simulator.errors import FixtureError, StepError
from simulator.js.context_api import FUNCTIONS, NOT_MODELLED, JsUnsupportedError
from simulator.js.engine import PRELUDE
from simulator.simulator import Simulator
from simulator.steps.consumer import consumer_profile
from simulator.transcript import EntryKind

ROOT = Path(__file__).resolve().parents[2]


def _sim(
    code: str,
    *,
    consumer: dict[str, Any] | None = None,
    channel: str = "messaging",
    extra: dict[str, Any] | None = None,
    interactions: list[dict[str, Any]] | None = None,
) -> Simulator:
    bot: dict[str, Any] = {
        "name": "Js",
        "dialogs": [
            {
                "name": "Run",
                "starter": {"patterns": ["run*"]},
                "interactions": interactions
                or [{"name": "step", "text": "ok", "pre_process": code}],
            }
        ],
    }
    bot.update(extra or {})
    tenant: dict[str, Any] = {
        "skills": [{"id": "11", "name": "Front"}],
        "connectors": [{"bot": "Js", "skills": ["11"], "channel": channel}],
        "bots": [bot],
    }
    if consumer is not None:
        tenant["consumer"] = consumer
    sim = Simulator()
    sim.load_text(json.dumps(tenant))
    sim.open_conversation(bot="Js", channel=channel)
    return sim


def _var(sim: Simulator, name: str) -> str:
    return sim.conversation().sessions["Js"].variables[name]


def _texts(sim: Simulator) -> list[str]:
    return [text for _, text in sim.visible()]


def _entries(sim: Simulator, kind: EntryKind) -> list[str]:
    return [e.text for e in sim.conversation().transcript.of_kind(kind)]


def _keep(expr: str) -> str:
    return f'botContext.setBotVariable("out", JSON.stringify({expr}), true, false);'


# -- the table, the prelude and the README agree -------------------------------------------
def test_every_function_of_the_table_exists_in_the_prelude_and_nothing_else() -> None:
    racer = MiniRacer()
    racer.eval(PRELUDE)
    names = set(json.loads(str(racer.eval("JSON.stringify(Object.keys(__sim.impl))"))))
    assert names == set(FUNCTIONS)
    not_modelled = set(
        json.loads(str(racer.eval("JSON.stringify(Object.keys(__sim.notModelled))")))
    )
    assert not_modelled == {n for n, (s, _) in FUNCTIONS.items() if s == NOT_MODELLED}


def test_the_readme_table_lists_every_function_with_its_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (modelled|not modelled) \|", readme, re.MULTILINE))
    assert rows == {name: status for name, (status, _) in FUNCTIONS.items()}


# -- not modelled, unknown ----------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(n for n, (s, _) in FUNCTIONS.items() if s == NOT_MODELLED))
def test_a_function_not_modelled_fails_with_its_name_and_why(name: str) -> None:
    sim = _sim(f"botContext.{name}();")
    with pytest.raises(
        JsUnsupportedError, match=rf"botContext\.{name}\(\), which the simulator does not model"
    ):
        sim.say("run")
    assert any(name in t for t in _entries(sim, EntryKind.ERROR))


# -- transfers (T7): the current and the older names -----------------------------------------
def test_older_transfer_names_set_the_bot_transfer_context() -> None:
    sim = _sim(
        'botContext.setBotTransferDomainName("Billing");\n'
        'botContext.setBotTransferIntentName("billing question");\n'
        'botContext.setBotTransferIntentID("id-9");'
    )
    sim.say("run")
    override = sim.conversation().sessions["Js"].transfer_override
    assert (override.domain, override.intent, override.intent_id) == (
        "Billing",
        "billing question",
        "id-9",
    )


# -- custom and escalation events ----------------------------------------------------------
def test_custom_events_are_transcript_entries_with_their_fields() -> None:
    sim = _sim(
        "botContext.logCustomEvent(botContext.getCurrentUserMessage(), 'Invoice API', 'ok');\n"
        "botContext.logEscalationEvent('agent please', 'LivePerson');"
    )
    sim.say("run it")
    events = [e for e in sim.conversation().transcript.entries if "custom_event" in e.details]
    assert [
        (e.details["custom_event"], e.details["event_message"], e.details["event_detail"])
        for e in events
    ] == [("Invoice API", "run it", "ok")]
    assert 'Js logged escalation event "LivePerson" (user message "agent please")' in _entries(
        sim, EntryKind.DIALOG
    )


# -- consumer info and SDEs ----------------------------------------------------------------
def test_customer_info_has_the_preset_fields_and_the_consumer_id_by_default() -> None:
    sim = _sim(_keep("[botContext.getLPCustomerInfo(), botContext.getLPUserPersonalInfo()]"))
    sim.say("run")
    info, personal = json.loads(_var(sim, "out"))
    assert info == {"customerId": sim.conversation().consumer["id"]}
    assert personal is None  # not authenticated: documented as nothing
    sim = _sim(
        _keep("[botContext.getLPCustomerInfo(), botContext.getLPUserPersonalInfo()]"),
        consumer={
            "customer_info": {"ctype": "vip", "customerId": 138766, "balance": -400.99},
            "personal_info": {"firstname": "John", "contacts": [{"email": "j@example.com"}]},
        },
    )
    sim.say("run")
    info, personal = json.loads(_var(sim, "out"))
    assert info == {"customerId": "138766", "ctype": "vip", "balance": -400.99}
    assert personal == {"firstname": "John", "contacts": [{"email": "j@example.com"}]}


def test_every_engagement_attribute_can_be_preset_and_skills_come_from_routing() -> None:
    names = ["campaignId", "engagementId", "sharkVisitorId", "sharkSessionId", "sharkContextId",
             "os", "appId", "BearerToken", "rtSessionId", "chatSessionKey", "agentSessionId"]  # fmt: skip
    sim = _sim(
        _keep("[" + ", ".join(f'botContext.getLPEngagementAttribute("{n}")' for n in names) + ","
              ' botContext.getLPEngagementAttribute("rtSesssionId"),'
              ' botContext.getLPEngagementAttribute("currentSkillId"),'
              ' botContext.getLPEngagementAttribute("previousSkillId"),'
              ' botContext.getLPEngagementAttribute("brandId"),'
              ' botContext.getLPEngagementAttribute("startTs")]'),
        consumer={"engagement": {n: f"v-{n}" for n in names}},
    )  # fmt: skip
    sim.say("run")
    values = json.loads(_var(sim, "out"))
    assert values[: len(names)] == [f"v-{n}" for n in names]
    assert values[len(names)] == "v-rtSessionId"  # the docs' spelling reads the same value
    opened = sim.clock.start.timestamp() * 1000
    assert values[len(names) + 1 :] == ["11", None, "sim-account", str(round(opened))]


def test_previous_skill_on_chat_is_the_current_skill_as_documented() -> None:
    sim = _sim(_keep('botContext.getLPEngagementAttribute("previousSkillId")'), channel="chat")
    sim.say("run")
    assert json.loads(_var(sim, "out")) == "11"
    sim.consumer.set_engagement("previousSkillId", "7")  # a preset wins over routing
    sim.say("run")
    assert json.loads(_var(sim, "out")) == "7"


def test_an_undocumented_engagement_attribute_is_null_with_a_warning() -> None:
    sim = _sim(_keep('botContext.getLPEngagementAttribute("campaignID")'))
    sim.say("run")
    assert json.loads(_var(sim, "out")) is None
    assert any('did you mean "campaignId"' in t for t in _entries(sim, EntryKind.WARNING))


def test_a_misspelt_engagement_attribute_in_the_tenant_names_file_and_line() -> None:
    sim = Simulator()
    with pytest.raises(
        FixtureError,
        match=r'<inline>:2: consumer.engagement: unknown engagement attribute "campaignid": did you mean "campaignId"',
    ):
        sim.load_text("consumer:\n  engagement:\n    campaignid: 42\n")


def test_steps_layer_over_the_tenant_preset_and_count_in_an_open_conversation() -> None:
    sim = _sim(
        _keep('[botContext.getLPEngagementAttribute("campaignId"), botContext.getUserChannel()]'),
        consumer={"engagement": {"campaignId": "1"}, "user_channel": "lp_sms"},
    )
    sim.say("run")
    assert json.loads(_var(sim, "out")) == ["1", "lp_sms"]
    sim.consumer.set_engagement("campaignId", "2")
    sim.say("run")
    assert json.loads(_var(sim, "out")) == ["2", "lp_sms"]
    with pytest.raises(StepError, match=r'unknown engagement attribute "campaign": did you mean'):
        sim.consumer.set_engagement("campaign", "3")


def test_profile_table_fields_go_to_identity_customer_and_personal_info() -> None:
    sim = Simulator()
    consumer_profile(
        sim,
        [["field", "value"], ["name", "Ada Lovelace"], ["ctype", "vip"], ["firstname", "Ada"],
         ["registrationDate", '{"day": 1, "month": 2, "year": 2020}']],
    )  # fmt: skip
    preset = sim.consumer.preset
    assert preset.name == "Ada Lovelace"
    assert preset.customer_info is not None and preset.customer_info.ctype == "vip"
    assert preset.customer_info.registrationDate is not None
    assert preset.personal_info is not None and preset.personal_info.firstname == "Ada"
    with pytest.raises(
        StepError, match=r'unknown consumer profile field "ctyp": did you mean "ctype"'
    ):
        consumer_profile(sim, [["ctyp", "vip"]])


# -- location, web view, sentiment, identity ---------------------------------------------------
def test_user_location_is_an_object_with_getters_or_null() -> None:
    code = (
        "var l = botContext.getUserLocation();\n"
        + _keep("l && [l.getCityName(), l.getState(), l.getZipCode(), l.getLatitude(), l.getLongitude()]")
    )  # fmt: skip
    sim = _sim(code)
    sim.say("run")
    assert json.loads(_var(sim, "out")) is None
    sim = _sim(
        code,
        consumer={"location": {"lat": 40.7, "lng": -74.0, "city": "New York", "state": "NY", "zip": 10001}},
    )  # fmt: skip
    sim.say("run")
    assert json.loads(_var(sim, "out")) == ["New York", "NY", "10001", 40.7, -74.0]


def test_location_variables_render_in_texts() -> None:
    sim = _sim(
        "",
        consumer={"location": {"lat": 1.5, "lng": 2.5, "city": "Lyon"}},
        interactions=[{"text": "{$location.city} at {$location.latlng}"}],
    )
    sim.say("run")
    assert _texts(sim) == ["Lyon at 1.5,2.5"]


def test_web_view_variables_sentiment_and_identity() -> None:
    sim = _sim(
        _keep(
            '[botContext.getWebViewVariable("PaymentStatus"), botContext.getWebViewVariables(),'
            " botContext.getSentiment(), botContext.getUserName(), botContext.getEmail(),"
            " botContext.getUserPlatformType(), botContext.getChannel()]"
        )
        + '\nbotContext.setUserName("Fred");',
        consumer={"web_view": {"PaymentStatus": "PROCESSED"}, "name": "Ada", "email": "a@x.org"},
    )
    sim.say("run, thanks, this is great")
    values = json.loads(_var(sim, "out"))
    assert values == [
        "PROCESSED", {"PaymentStatus": "PROCESSED"}, "Positive", "Ada", "a@x.org", "HTMLCLIENT", "lp_web",
    ]  # fmt: skip
    assert sim.conversation().consumer["name"] == "Fred"
    sim.say("run, this is terrible")
    assert json.loads(_var(sim, "out"))[2] == "Negative"
    sim.consumer.update({"sentiment": "Neutral"}, "test")
    sim.say("run, this is terrible")
    assert json.loads(_var(sim, "out"))[2] == "Neutral"


def test_preset_bot_variables_are_there_before_init_conversation() -> None:
    sim = _sim(
        "",
        consumer={"variables": {"tier": "gold"}},
        extra={
            "global_functions": "function __initConversation() {"
            ' botContext.setBotVariable("seen", botContext.getBotVariable("tier"), true, false); }'
        },
        interactions=[{"text": "{$botContext.seen}"}],
    )
    sim.say("run")
    assert _texts(sim) == ["gold"]


# -- flow: evaluateOptions, getHoursType, quick replies ----------------------------------------
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("A", "A)Yes"),
        ("a)", "A)Yes"),
        ("yes", "A)Yes"),
        ("2", "B)No"),
        ("b", "B)No"),
        ("maybe", None),
    ],
)
def test_evaluate_options(answer: str, expected: str | None) -> None:
    sim = _sim(_keep(f'botContext.evaluateOptions("{answer}", ["A)Yes", "B)No"])'))
    sim.say("run")
    assert json.loads(_var(sim, "out")) == expected


HOURS = (
    '["REG_HOURS~8:00~20:00", "AFTER_HOURS~20:00~8:00", "FRIDAY|WKEND_REG_HOURS~8:00~17:00",'
    ' "01.09.2026|HOLIDAY~0:00~23:59"]'
)


def test_hours_type_follows_the_virtual_clock_in_the_time_zone() -> None:
    # The clock starts on Monday 2026-01-05 09:00 UTC: 01:00 in Los Angeles, 10:00 in Paris.
    code = _keep(
        f'[botContext.getHoursType({HOURS}, "America/Los_Angeles"),'
        f' botContext.getHoursType({HOURS}, "Europe/Paris")]'
    )
    # On chat: a messaging connector would ignore a message after a 4-day gap (C1,
    # maxConsumerMessageDelay), and the code would not run again.
    sim = _sim(code, channel="chat")
    sim.say("run")
    assert json.loads(_var(sim, "out")) == ["AFTER_HOURS", "REG_HOURS"]
    sim.advance(timedelta(days=4))  # Friday 10:00 in Paris: the later, day-specific entry wins
    sim.say("run")
    assert json.loads(_var(sim, "out"))[1] == "HOLIDAY"


def test_hours_type_with_a_malformed_entry_is_a_js_error() -> None:
    sim = _sim(_keep('botContext.getHoursType(["REG_HOURS 8-20"], "UTC")'))
    sim.say("run")
    assert any("is not TYPE~H:MM~H:MM" in t for t in _entries(sim, EntryKind.ERROR))


def test_quick_replies_sent_from_code_are_choices_with_payloads() -> None:
    sim = _sim(
        "",
        interactions=[
            {
                "name": "ask",
                "question": "BLANK_MESSAGE",
                "pre_process": "botContext.sendMessageWithQuickReplies('Your sauce?',"
                " ['Ranch~sauce01', 'BBQ~sauce03', 'Hot']);",
                "process_user_response": _keep(
                    "[botContext.getQuickReplyPayload(), botContext.getButtonPayload()]"
                ),
            },
            {"text": "done"},
        ],
    )
    sim.say("run")
    assert _texts(sim) == ["Your sauce?"]  # BLANK_MESSAGE: the question adds no words
    offer = sim.conversation().transcript.last_offer()
    assert offer is not None
    assert [(c.title, c.value) for c in offer.choices] == [
        ("Ranch", "sauce01"),
        ("BBQ", "sauce03"),
        ("Hot", "Hot"),
    ]
    [entry] = [e for e in sim.conversation().transcript.entries if "quick_replies" in e.details]
    assert entry.details["quick_replies"] == [
        {"title": "Ranch", "payload": "sauce01"},
        {"title": "BBQ", "payload": "sauce03"},
        {"title": "Hot", "payload": "Hot"},
    ]
    sim.say("ranch")
    assert json.loads(_var(sim, "out")) == ["sauce01", "sauce01"]


def test_add_quick_replies_joins_the_message_the_code_sent() -> None:
    sim = _sim(
        "botContext.sendMessage('Pick one');\nbotContext.addQuickReplies(['One~1', 'Two~2']);"
    )
    sim.say("run")
    assert _texts(sim)[0] == "Pick one"
    offer = sim.conversation().transcript.last_offer()
    assert offer is not None
    assert [(c.title, c.value) for c in offer.choices] == [("One", "1"), ("Two", "2")]
    sim = _sim("botContext.addQuickReples(['One~1']);")
    with pytest.raises(
        JsUnsupportedError, match=r"addQuickReples\(\), which the simulator does not model"
    ):
        sim.say("run")


def test_quick_reply_limits_are_warnings() -> None:
    replies = json.dumps([f"Choice number {i} is long" for i in range(11)])
    sim = _sim(f"botContext.sendMessageWithQuickReplies('Pick', {replies});")
    sim.say("run")
    warnings = _entries(sim, EntryKind.WARNING)
    assert any("11 quick replies in one message; the platform allows 10" in t for t in warnings)
    assert any("longer than 20 characters" in t for t in warnings)


# -- API status ------------------------------------------------------------------------------
def _api_bot(stub_status: int | None) -> Simulator:
    sim = _sim(
        "",
        extra={"integrations": [{"name": "orders", "type": "api", "url": "https://x"}]},
        interactions=[
            {"integration": "orders"},
            {
                "text": "ok",
                "pre_process": _keep(
                    "[botContext.isApiExecutionSuccessful(), botContext.getApiStatusCode()]"
                ),
            },
        ],
    )
    from simulator.steps.imports import FailingStub

    if stub_status is None:
        sim.platform.api_stubs["orders"] = dict
    else:
        sim.platform.api_stubs["orders"] = FailingStub(sim, "orders", stub_status)
    return sim


def test_api_status_functions_report_the_last_call() -> None:
    sim = _api_bot(None)
    sim.say("run")
    assert json.loads(_var(sim, "out")) == [True, "200"]
    sim = _api_bot(503)
    sim.say("run")
    assert json.loads(_var(sim, "out")) == [False, "503"]
    sim = _sim(_keep("[botContext.isApiExecutionSuccessful(), botContext.getApiStatusCode()]"))
    sim.say("run")
    assert json.loads(_var(sim, "out")) == [False, None]


# -- the rest ---------------------------------------------------------------------------------
def test_context_service_whole_namespace_reads_and_deletes() -> None:
    sim = _sim(
        'botContext.registerContextNamespace("ns");\n'
        'botContext.setContextDataForConversation("ns", "a", 1);\n'
        'botContext.setContextDataForConversation("ns", "b", "two");\n'
        + _keep('[botContext.isContextApiEnabled(), botContext.getContextDataForConversation("ns")]')
        + '\nbotContext.deleteAllContextDataForConversation("ns");'
    )  # fmt: skip
    sim.say("run")
    assert json.loads(_var(sim, "out")) == [True, {"a": 1, "b": "two"}]
    context = _entries(sim, EntryKind.CONTEXT)
    assert (
        "Js deleted ns.a (conversation)" in context and "Js deleted ns.b (conversation)" in context
    )


def test_bot_id_max_text_and_message_delay() -> None:
    sim = _sim(_keep("botContext.getChatBotId()") + "\nbotContext.setAllowMaxTextResponse(true);")
    sim.say("run")
    first = json.loads(_var(sim, "out"))
    assert re.fullmatch(r"[0-9a-f-]{36}", first)
    assert any("setAllowMaxTextResponse(true)" in t for t in _entries(sim, EntryKind.DIALOG))
    again = _sim(_keep("botContext.getChatBotId()"))
    again.say("run")
    assert json.loads(_var(again, "out")) == first


def test_unsupported_calls_are_found_before_any_conversation() -> None:
    from simulator.js.context_api import unsupported_calls
    from simulator.tenant.schema import Bot

    bot = Bot.model_validate(
        {
            "name": "B",
            "global_functions": "function f() { return botContext.askMaven(); }",
            "dialogs": [
                {
                    "name": "D",
                    "interactions": [
                        {"name": "i", "text": "x", "pre_process": "botContext.getUserLocaton();"},
                        {"text": "y", "post_process": "botContext.sendMessage('ok');"},
                    ],
                }
            ],
        }
    )
    assert unsupported_calls(bot) == [
        "global functions: botContext.askMaven() is not modelled: Conversation Orchestrator is"
        " not part of the fake cloud",
        'dialog "D", interaction "i", preProcessMessage: botContext.getUserLocaton() is not a'
        ' documented botContext function (did you mean "getUserLocation" or "getUserChannel" or'
        ' "getUserPlatformId"?)',
    ]


def test_a_bot_variable_step_reaches_the_bots_already_serving() -> None:
    from simulator.steps.consumer import bot_variable

    sim = _sim("", interactions=[{"text": "tier={$botContext.tier}"}])
    sim.say("run")
    assert _texts(sim) == ["tier="]
    bot_variable(sim, "tier", "gold")
    sim.say("run")
    assert _texts(sim)[-1] == "tier=gold"


def test_set_user_name_is_kept_for_the_returning_consumer() -> None:
    sim = _sim('botContext.setUserName("Fred");\n' + _keep("botContext.getUserName()"))
    sim.say("run")
    previous = sim.conversation()
    sim.platform.close(previous, "test")
    assert previous.consumer["name"] == "Fred"
    sim.open_conversation(bot="Js", consumer=dict(previous.consumer))
    assert "opened on messaging by consumer Fred" in sim.transcript_text()
