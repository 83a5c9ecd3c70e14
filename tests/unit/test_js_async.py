"""Messages from asynchronous bot JavaScript are delivered or reported, never lost (issue 11).

Promise callbacks and the rest of an ``async`` function after an ``await`` run as V8 microtasks
once the interaction's code returns; the simulator collects what they record in the same
interaction. Timers (``setTimeout``/``setInterval``) would fire on the real clock between
interactions, so they fail loudly with a transcript error instead.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.simulator import Simulator
from simulator.transcript import EntryKind


def _bot(code: str) -> Simulator:
    bot: dict[str, Any] = {
        "name": "Js",
        "default_user_friendly_response": "Default error text",
        "dialogs": [
            {
                "name": "Run",
                "starter": {"patterns": ["run*"]},
                "interactions": [{"name": "step", "text": "ok", "pre_process": code}],
            }
        ],
    }
    tenant = {
        "skills": [{"id": "11", "name": "Front"}],
        "connectors": [{"bot": "Js", "skills": ["11"]}],
        "bots": [bot],
    }
    sim = Simulator()
    sim.load_text(json.dumps(tenant))
    sim.open_conversation(bot="Js")
    return sim


def _texts(sim: Simulator) -> list[str]:
    return [text for _, text in sim.visible()]


def _errors(sim: Simulator) -> list[str]:
    return [e.text for e in sim.conversation().transcript.of_kind(EntryKind.ERROR)]


def test_promise_callbacks_send_in_the_same_interaction_in_order() -> None:
    sim = _bot(
        'botContext.sendMessage("sync");\n'
        'Promise.resolve("from then").then(function (t) { botContext.sendMessage(t); })\n'
        '  .then(function () { botContext.sendMessage("chained"); });'
    )
    sim.say("run")
    assert _texts(sim) == ["sync", "from then", "chained", "ok"]
    assert _errors(sim) == []


def test_async_function_after_await_sends_and_sets_variables() -> None:
    sim = _bot(
        "(async function () {\n"
        '  var v = await Promise.resolve("awaited");\n'
        '  botContext.setBotVariable("v", v, true, false);\n'
        '  await null;\n  botContext.sendMessage("after " + v);\n'
        "})();"
    )
    sim.say("run")
    assert _texts(sim) == ["after awaited", "ok"]
    assert sim.conversation().sessions["Js"].variables["v"] == "awaited"


def test_async_messages_do_not_leak_into_the_next_interaction() -> None:
    sim = _bot('Promise.resolve().then(function () { botContext.sendMessage("once"); });')
    sim.say("run")
    sim.say("run")
    assert _texts(sim) == ["once", "ok", "once", "ok"]


def test_set_timeout_is_a_transcript_error_not_a_lost_message() -> None:
    sim = _bot('setTimeout(function () { botContext.sendMessage("later"); }, 10);')
    sim.say("run")
    assert "later" not in _texts(sim)
    assert "Default error text" in _texts(sim)
    (error,) = _errors(sim)
    assert "setTimeout is not supported" in error and 'code of "step"' in error


def test_set_interval_is_reported_too() -> None:
    sim = _bot('setInterval(function () { botContext.sendMessage("tick"); }, 10);')
    sim.say("run")
    assert any("setInterval is not supported" in e for e in _errors(sim))


def test_a_microtask_that_never_ends_is_stopped_by_the_time_limit() -> None:
    sim = _bot("function f() { Promise.resolve().then(f); }\nf();")
    sim.say("run")
    assert any("ran longer than" in e for e in _errors(sim)), _errors(sim)
