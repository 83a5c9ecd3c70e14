"""Bot JavaScript in V8: the fake botContext, the virtual clock, errors (issue 6)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from simulator.cloud.conversation import Conversation
from simulator.js.engine import SYSTEM_ERROR_TEXT, JsRunner, JsUnsupportedError
from simulator.simulator import Simulator
from simulator.transcript import EntryKind


def _bot(code: str, *, extra: dict[str, Any] | None = None, text: str = "ok") -> Simulator:
    bot: dict[str, Any] = {
        "name": "Js",
        "default_user_friendly_response": "Default error text",
        "environment": {"region": "eu"},
        "dialogs": [
            {
                "name": "Run",
                "starter": {"patterns": ["run*"]},
                "interactions": [
                    {"name": "step", "text": text, "pre_process": code, "next": "end"},
                    {"name": "later", "text": "jumped"},
                ],
            }
        ],
    }
    bot.update(extra or {})
    tenant = {
        "skills": [{"id": "11", "name": "Front"}],
        "connectors": [{"bot": "Js", "skills": ["11"]}],
        "bots": [bot],
    }
    sim = Simulator()
    sim.load_text(json.dumps(tenant))
    sim.open_conversation(bot="Js")
    return sim


def _vars(sim: Simulator) -> dict[str, str]:
    return sim.conversation().sessions["Js"].variables


def _texts(sim: Simulator) -> list[str]:
    return [text for _, text in sim.visible()]


def _entries(sim: Simulator, kind: EntryKind) -> list[str]:
    return [e.text for e in sim.conversation().transcript.of_kind(kind)]


def test_set_and_get_bot_variables_keep_objects_within_the_conversation() -> None:
    sim = _bot(
        'var n = botContext.getBotVariable("n");\n'
        'botContext.setBotVariable("n", n === null ? 1 : Number(n) + 1, true, false);\n'
        'var o = botContext.getBotVariable("obj");\n'
        'botContext.setBotVariable("obj", {count: o ? o.count + 1 : 1}, true, false);\n'
        'botContext.setBotVariable("count", botContext.getBotVariable("obj").count, true, false);',
        text="n={$botContext.n}",
    )
    sim.say("run")
    sim.say("run")
    assert _vars(sim)["n"] == "2"
    assert _vars(sim)["obj"] == '{"count":2}'
    assert _vars(sim)["count"] == "2"
    assert _texts(sim)[-1] == "n=2"


def test_read_only_functions_see_the_conversation() -> None:
    sim = _bot(
        "var p = [botContext.getCurrentUserMessage(), botContext.getConversationId(),\n"
        ' botContext.getUserChannel(), botContext.getEnvVariable("region"),\n'
        ' String(botContext.getEnvVariable("missing")),\n'
        ' botContext.getLPEngagementAttribute("currentSkillId"),\n'
        ' String(botContext.getLPEngagementAttribute("previousSkillId")),\n'
        " String(botContext.getDialogStarterIntent()), botContext.getLPAccountId(),\n"
        " botContext.getUserPlatformId() === botContext.getLPCustomerInfo().customerId];\n"
        'botContext.setBotVariable("p", p.join("|"), true, false);'
    )
    sim.say("run now")
    conv = sim.conversation()
    assert _vars(sim)["p"] == (f"run now|{conv.id}|lp_web|eu|null|11|null|null|sim-account|true")


def test_dialog_starter_intent_is_the_matched_intent() -> None:
    sim = _bot(
        'botContext.setBotVariable("i", botContext.getDialogStarterIntent(), true, false);',
        extra={
            "intents": [{"name": "order_pizza", "phrases": ["I want to order a pizza"]}],
            "dialogs": [
                {
                    "name": "Pizza",
                    "starter": {"intent": "order_pizza"},
                    "interactions": [
                        {
                            "text": "ok",
                            "pre_process": 'botContext.setBotVariable("i",'
                            " botContext.getDialogStarterIntent(), true, false);",
                        }
                    ],
                }
            ],
        },
    )
    sim.say("I want to order a pizza")
    assert _vars(sim)["i"] == "order_pizza"


def test_messages_debug_delay_and_trigger() -> None:
    sim = _bot(
        'botContext.sendMessage("one");\n'
        'botContext.sendMessages(["two", "three"]);\n'
        'botContext.sendImmediateReply("four");\n'
        'botContext.printDebugMessage("looking good");\n'
        "botContext.setMessageDelay(700);\n"
        'botContext.setTriggerNextMessage("later");'
    )
    sim.say("run")
    # "step" ends the dialog (next: end); the trigger makes "later" play anyway.
    assert _texts(sim) == ["one", "two", "three", "four", "ok", "jumped"]
    dialog = _entries(sim, EntryKind.DIALOG)
    assert "Js debug: looking good" in dialog
    assert any("setMessageDelay(700)" in t for t in dialog)
    assert any('setTriggerNextMessage("later")' in t for t in dialog)
    assert sim.conversation().sessions["Js"].trigger_next_message is None


def test_trigger_to_an_unknown_interaction_is_reported() -> None:
    sim = _bot('botContext.setTriggerNextMessage("nowhere");')
    sim.say("run")
    assert any("names no interaction" in t for t in _entries(sim, EntryKind.ERROR))


def test_code_that_does_nothing_leaves_no_trace() -> None:
    sim = _bot("var x = 1 + 1;")
    sim.say("run")
    text = sim.transcript_text()
    assert "preProcessMessage" not in text and "[error]" not in text


def test_bot_transfer_context_setters() -> None:
    sim = _bot(
        'botContext.setBotTransferIntentbyDomain("billing", "Support");\n'
        'botContext.setBotTransferIntentId("id-7");\n'
        'botContext.setBotTransferUserMessage("please help");'
    )
    sim.say("run")
    override = sim.conversation().sessions["Js"].transfer_override
    assert (override.intent, override.domain) == ("billing", "Support")
    assert (override.intent_id, override.message) == ("id-7", "please help")
    assert any("bot transfer context" in t for t in _entries(sim, EntryKind.TRANSFER))


def test_context_service_functions_use_the_context_store() -> None:
    sim = _bot(
        "var m = botContext.getCurrentUserMessage();\n"
        'if (m === "run set") {\n'
        '  botContext.registerContextNamespace("ns", 60);\n'
        '  botContext.setContextDataForConversation("ns", "c", "conv-value");\n'
        '  botContext.setContextDataForUser("ns", "u", {deep: [1, 2]});\n'
        '  botContext.setGlobalContextData("ns", "g", "global-value");\n'
        '} else if (m === "run get") {\n'
        '  var u = botContext.getContextDataForUser("ns", "u");\n'
        '  botContext.setBotVariable("got", [botContext.getContextDataForConversation("ns", "c"),\n'
        '    u.deep[1], botContext.getGlobalContextData("ns", "g")].join(","), true, false);\n'
        "} else {\n"
        '  botContext.deleteContextDataForConversation("ns", "c");\n'
        '  botContext.deleteContextDataForUser("ns", "u");\n'
        '  botContext.deleteGlobalContextData("ns", "g");\n'
        '  botContext.setBotVariable("gone", String(botContext.getContextDataForConversation("ns",'
        ' "c")), true, false);\n'
        '  botContext.deleteContextNamespace("ns");\n'
        "}"
    )
    sim.say("run set")
    store = sim.context_store
    conv = sim.conversation()
    from simulator.tenant.schema import ContextScope

    assert store.get("ns", ContextScope.CONVERSATION, conv.id, "c") == "conv-value"
    assert store.get("ns", ContextScope.GLOBAL, "", "g") == "global-value"
    sim.say("run get")
    assert _vars(sim)["got"] == "conv-value,2,global-value"
    sim.say("run delete")
    assert _vars(sim)["gone"] == "null"
    assert "ns" not in store.namespaces
    assert any('registered namespace "ns"' in t for t in _entries(sim, EntryKind.CONTEXT))


def test_context_write_to_an_unregistered_namespace_is_an_error_entry() -> None:
    sim = _bot('botContext.setContextDataForConversation("nope", "k", "v");')
    sim.say("run")
    assert any('namespace "nope" is not registered' in t for t in _entries(sim, EntryKind.ERROR))
    assert _texts(sim) == ["ok"]


def test_date_follows_the_virtual_clock() -> None:
    sim = _bot(
        'botContext.setBotVariable("iso", new Date().toISOString(), true, false);\n'
        'botContext.setBotVariable("now", Date.now(), true, false);\n'
        'botContext.setBotVariable("fixed", new Date(2020, 0, 2).getFullYear(), true, false);\n'
        'botContext.setBotVariable("isDate", new Date() instanceof Date, true, false);'
    )
    sim.advance(timedelta(hours=2))
    sim.say("run")
    now = sim.clock.now()
    expected_ms = round(now.timestamp() * 1000)
    # The code runs when the bot handles the message (after the joining window).
    assert abs(int(float(_vars(sim)["now"])) - expected_ms) <= 1000
    assert _vars(sim)["iso"].startswith(now.strftime("%Y-%m-%dT%H"))
    assert _vars(sim)["fixed"] == "2020"
    assert _vars(sim)["isDate"] == "true"


def test_js_error_logs_and_sends_the_default_response() -> None:
    sim = _bot('botContext.setBotVariable("before", "yes", true, false);\nnull.boom();')
    sim.say("run")
    errors = _entries(sim, EntryKind.ERROR)
    assert len(errors) == 1
    assert 'preProcessMessage code of "step"' in errors[0] and "TypeError" in errors[0]
    assert _texts(sim)[0] == "Default error text"
    assert _vars(sim)["before"] == "yes"  # effects before the error still happened


def test_js_error_without_default_response_sends_the_system_text() -> None:
    sim = _bot("throw new Error('bad');", extra={"default_user_friendly_response": None})
    sim.say("run")
    assert _texts(sim)[0] == SYSTEM_ERROR_TEXT
    assert any("Error: bad" in t for t in _entries(sim, EntryKind.ERROR))


def test_syntax_error_is_a_js_error() -> None:
    sim = _bot("var = ;")
    sim.say("run")
    assert any("SyntaxError" in t for t in _entries(sim, EntryKind.ERROR))


def test_unknown_function_fails_loudly_with_the_nearest_documented_names() -> None:
    sim = _bot("var loc = botContext.getUserLocaton();")
    with pytest.raises(
        JsUnsupportedError, match=r'botContext\.getUserLocaton\(\).*did you mean "getUserLocation"'
    ):
        sim.say("run")


def test_runaway_code_is_stopped() -> None:
    sim = _bot("while (true) {}")
    runner = sim.platform.code_runner
    assert runner is not None
    owner = runner.__self__  # type: ignore[attr-defined]
    assert isinstance(owner, JsRunner)
    owner.timeout_ms = 100
    sim.say("run")
    assert any("ran longer than 100 ms" in t for t in _entries(sim, EntryKind.ERROR))
    assert _texts(sim)[0] == "Default error text"


def test_global_functions_and_init_conversation_once_per_conversation() -> None:
    functions = (
        "var loaded = (typeof loaded === 'number') ? loaded + 1 : 1;\n"
        "function __initConversation() {\n"
        '  botContext.setBotVariable("init", "done", true, false);\n'
        "}\n"
        "function shout(t) { return t.toUpperCase() + '!' + loaded; }"
    )
    sim = _bot('botContext.sendMessage(shout("hey"));', extra={"global_functions": functions})
    sim.say("run")
    sim.say("run")
    assert _texts(sim)[:2] == ["HEY!1", "ok"]
    assert _texts(sim)[2] == "HEY!1"
    assert _vars(sim)["init"] == "done"
    first: Conversation = sim.conversation()
    sim.open_conversation(bot="Js")
    sim.say("run")
    assert sim.conversation() is not first
    assert _vars(sim)["init"] == "done"
    runner = sim.platform.code_runner
    owner = runner.__self__  # type: ignore[union-attr]
    assert {key[0] for key in owner.contexts} == {first.id, sim.conversation().id}


def test_transform_script_and_api_result_variable() -> None:
    extra = {
        "integrations": [
            {
                "name": "getUser",
                "type": "api",
                "transform": 'var r = botContext.getBotVariable("api_getUser");\n'
                "var d = JSON.parse(r.jsonData).api_getUser;\n"
                'r.jsonData = JSON.stringify({api_getUser: {name: d.first + " " + d.last}});\n'
                'botContext.setBotVariable("api_getUser", r, true, false);',
                "custom_data": {"fullName": "{$.api_getUser.name}"},
            }
        ],
        "dialogs": [
            {
                "name": "User",
                "starter": {"patterns": ["user"]},
                "interactions": [
                    {"integration": "getUser"},
                    {"text": "Hi {$botContext.fullName}"},
                ],
            }
        ],
    }
    sim = _bot("", extra=extra)
    sim.platform.api_stubs["getUser"] = lambda: {"first": "Ann", "last": "Lee"}
    sim.say("user")
    assert _texts(sim) == ["Hi Ann Lee"]


def test_explicit_context_store_argument() -> None:
    sim = _bot("botContext.registerContextNamespace('explicit');")
    from simulator.context_store import ContextStore

    store = ContextStore(sim.clock)
    runner = JsRunner(sim.platform, store, install_hooks=False)
    sim.platform.code_runner = runner.run
    sim.say("run")
    assert "explicit" in store.namespaces
    assert "explicit" not in sim.context_store.namespaces
    runner.close()
    assert not runner.contexts


@pytest.mark.parametrize("ttl", ["-5", "0", "1e300", "'abc'", "Infinity", "NaN"])
def test_a_context_ttl_that_is_not_a_positive_number_of_seconds_is_a_transcript_error(
    ttl: str,
) -> None:
    sim = _bot(f"botContext.registerContextNamespace('ns', {ttl});")
    sim.say("run")
    errors = [e.text for e in sim.conversation().transcript.of_kind(EntryKind.ERROR)]
    assert any("a TTL must be a positive number of seconds" in e for e in errors), errors
    assert "ns" not in sim.context_store.namespaces
