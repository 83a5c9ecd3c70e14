"""The QA workflow steps (simulator/steps/qa.py) and ``$name`` substitution, driven the way the
plugin drives them: the registry's matcher, then ``registry.call``."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import ConversationClosedError, ExpectationFailed, StepError
from simulator.simulator import Simulator
from simulator.steps import load_library
from simulator.steps.registry import REGISTRY, call, substitute

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "features" / "qa" / "shop.yaml"

load_library()


def run(sim: Simulator, *steps: str, doc: str | None = None) -> None:
    for text in steps:
        match = REGISTRY.match(text)
        assert match is not None, f"no step matches {text!r}"
        call(match, sim, None, doc)


@pytest.fixture
def sim() -> Simulator:
    simulator = Simulator(seed=3, base_dir=ROOT)
    simulator.load(SHOP)
    return simulator


def test_closing_is_an_action_and_later_messages_name_the_closed_conversation(
    sim: Simulator,
) -> None:
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "hi"')
    with pytest.raises(ExpectationFailed):
        run(sim, "the conversation is closed")
    run(sim, "the consumer closes the conversation", "the conversation is closed")
    with pytest.raises(ConversationClosedError, match="conversation conv-0001 is closed"):
        run(sim, 'the consumer says "anyone there?"')


def test_returning_consumer_keeps_identity_and_consumer_context_not_bot_variables(
    sim: Simulator,
) -> None:
    run(
        sim,
        'the consumer opens a conversation with bot "Shop"',
        'the consumer says "hi"',
        'the consumer says "I want to order"',
    )
    first = sim.conversation()
    assert first.sessions["Shop"].variables["last_order"] == "4711"
    run(sim, 'the same consumer opens a new conversation with bot "Shop"')
    second = sim.conversation()
    assert second is not first and not first.is_open
    assert second.consumer == first.consumer
    run(sim, 'the consumer says "hello"', 'the bot replies "Welcome back!"')
    assert "last_order" not in second.sessions["Shop"].variables
    run(sim, "the consumer is the same as in the previous conversation")


def test_a_new_consumer_is_not_the_same(sim: Simulator) -> None:
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "hi"')
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "hi"')
    run(sim, 'the bot replies "Welcome!"')
    with pytest.raises(ExpectationFailed, match="to be the one of conv-0001"):
        run(sim, "the consumer is the same as in the previous conversation")


def test_time_windows_include_both_ends_and_say_when_the_reply_came(sim: Simulator) -> None:
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "hi"')
    # "Welcome!" is delivered at 00:00:01.300 (300 ms joining window + 1000 ms delivery).
    run(sim, 'the bot replies "Welcome!" between 00:00:01.300 and 00:00:01.300')
    run(sim, 'the bot replies "Welcome!" within 1300 ms')
    with pytest.raises(ExpectationFailed, match=r"it arrived at 00:00:01\.300"):
        run(sim, 'the bot replies "Welcome!" between 00:00:01.301 and 00:00:02')
    with pytest.raises(ExpectationFailed, match=r"it took 00:00:01\.300"):
        run(sim, 'the bot replies "Welcome!" within 1299 ms')
    with pytest.raises(ExpectationFailed, match="replies since the consumer's last message"):
        run(sim, 'bot "Shop" replies "Bye" between 00:00:00 and 00:00:05')


def test_one_of_lists_what_was_accepted_and_what_came(sim: Simulator) -> None:
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "hi"')
    run(sim, 'the bot replies one of "Hey!" or "Welcome!"')
    with pytest.raises(ExpectationFailed, match='one of "Hey!", "Hi!"') as failure:
        run(sim, 'the bot replies one of "Hey!" and "Hi!"')
    assert "Shop: Welcome!" in str(failure.value)
    match = REGISTRY.match("the bot replies one of:")
    assert match is not None
    call(match, sim, [["Nope"], ["How can I help?"]], None)
    with pytest.raises(ExpectationFailed):
        call(match, sim, [["Nope"]], None)


def test_remembered_values_are_substituted_in_later_parameters(sim: Simulator) -> None:
    run(sim, 'the consumer opens a conversation with bot "Shop"', 'the consumer says "order"')
    run(sim, """I remember "order (\\d+) is ready" from the bot's last reply as "order_id\"""")
    run(sim, 'the remembered value "order_id" is "4711"')
    run(sim, 'the consumer says "where is order $order_id?"')
    run(sim, 'the bot replies "Order $order_id ships tomorrow."')
    with pytest.raises(ExpectationFailed):
        run(sim, 'the bot replies "Order $order_id ships today."')
    with pytest.raises(ExpectationFailed, match="to contain"):
        run(sim, """I remember "ticket \\d+" from the bot's last reply as "ticket\"""")


def test_substitution_rules() -> None:
    memory = {"order_id": "4711", "name": "Ann"}
    assert substitute("order $order_id for $name", memory) == "order 4711 for Ann"
    assert substitute("costs $$5, {$botContext.name}, $5", memory) == (
        "costs $5, {$botContext.name}, $5"
    )
    with pytest.raises(StepError, match=r'did you mean "name"\?.*remembered: \$name, \$order_id'):
        substitute("hi $nme", memory)
    with pytest.raises(StepError, match="remember one first"):
        substitute("hi $name", {})


def test_for_each_utterance_reports_every_failing_phrasing(sim: Simulator) -> None:
    run(sim, "the utterances:", doc="hi\n# a comment\n\nwhat?\nhello\nblah")
    run(sim, 'the consumer says each utterance to bot "Shop"')
    assert len(sim.conversations) == 4
    run(sim, 'for each utterance, the transcript contains "consumer: $utterance"')
    with pytest.raises(ExpectationFailed) as failure:
        run(sim, 'for each utterance, the bot replies "Welcome!"')
    message = str(failure.value)
    assert message.startswith('2 of 4 utterances from the utterance list failed "the bot replies')
    assert '"what?" (conv-0002)' in message and '"blah" (conv-0004)' in message
    assert '"hi"' not in message and '"hello"' not in message
    assert "$utterance" not in str(sim.scratch.get("_memory", {}))


def test_utterances_from_a_file_resolve_like_tenants(sim: Simulator) -> None:
    run(sim, 'the utterances in "fixtures/utterances/greetings.txt"')
    assert sim.scratch["_utterances"] == [
        "hi",
        "hello",
        "Hey there",
        "good morning",
        "Good evening!",
    ]


def test_project_step_registration_is_checked() -> None:
    from simulator.steps import step

    with pytest.raises(StepError, match="already a library step"):
        step("the consumer says {text}")(lambda sim, text: None)
    with pytest.raises(StepError, match='unknown placeholder kind "nmber"'):
        step("the basket holds {n:nmber} items")(lambda sim, n: None)
