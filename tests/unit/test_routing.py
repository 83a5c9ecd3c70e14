"""Routing, queues, transfer loops, the context store and bot-group selection on their own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.clock import VirtualClock
from simulator.context_store import ContextStore, ContextStoreError
from simulator.errors import TransferLoopError
from simulator.simulator import Simulator
from simulator.tenant.schema import ContextScope

HUMANS = """
skills: [{id: 1, name: Bots}, {id: 2, name: Humans}]
agents:
  - {id: 10, name: Ann, skills: [2], available: false}
  - {id: 11, name: Ben, skills: [2], available: false}
bots:
  - name: Front
    dialogs:
      - name: Human
        starter: {patterns: ["*"]}
        interactions:
          - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
connectors: [{bot: Front, skills: [1]}]
"""


def test_queue_is_first_in_first_out_and_spreads_load() -> None:
    sim = Simulator()
    sim.load_text(HUMANS)
    first = sim.open_conversation(bot="Front")
    sim.say("help")
    second = sim.open_conversation(bot="Front")
    sim.say("help too")
    assert sim.platform.queues["2"] == [first.id, second.id]
    sim.platform.set_agent_available("Ann", True)
    sim.settle()
    # Both go to Ann, the only agent; the queue empties in arrival order.
    assert first.participant is not None and first.participant.name == "Ann"
    assert second.participant is not None and second.participant.name == "Ann"
    assert sim.platform.queues["2"] == []
    sim.platform.set_agent_available("Ben", True)
    third = sim.open_conversation(bot="Front")
    sim.say("me as well")
    assert third.participant is not None and third.participant.name == "Ben"


LOOP = """
skills: [{id: 1, name: A}, {id: 2, name: B}]
bots:
  - name: A
    dialogs:
      - name: Pass
        starter: {patterns: ["*"]}
        interactions:
          - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
  - name: B
    dialogs:
      - name: Pass back
        starter: {patterns: ["*"]}
        interactions:
          - transfer: {skill_id: 1, message_to_user: BLANK_MESSAGE}
connectors: [{bot: A, skills: [1]}, {bot: B, skills: [2]}]
platform: {transfer_loop_limit: 6}
"""


def test_a_transfer_loop_is_a_clear_failure_not_a_hang() -> None:
    sim = Simulator()
    sim.load_text(LOOP)
    sim.open_conversation(bot="A")
    with pytest.raises(TransferLoopError, match="7 transfers in a row"):
        sim.say("hello")
    assert "transfer loop" in sim.transcript_text()


def test_context_store_rules() -> None:
    clock = VirtualClock()
    store = ContextStore(clock)
    for bad in ("", "has space", "x" * 65, "__platform"):
        with pytest.raises(ContextStoreError):
            store.register(bad)
    store.register("shared", ttl_seconds=60)
    store.set("shared", ContextScope.CONVERSATION, "c1", "k", "v")
    assert store.get("shared", ContextScope.CONVERSATION, "c1", "k") == "v"
    assert store.get("shared", ContextScope.CONVERSATION, "c2", "k") is None
    assert store.get("shared", ContextScope.CONSUMER, "c1", "k") is None
    clock.advance(timedelta(seconds=59))
    assert store.get("shared", ContextScope.CONVERSATION, "c1", "k") == "v"
    clock.advance(timedelta(seconds=1))
    assert store.get("shared", ContextScope.CONVERSATION, "c1", "k") is None
    with pytest.raises(ContextStoreError, match="limit"):
        store.set("shared", ContextScope.GLOBAL, "", "big", "x" * 200_000)
    with pytest.raises(ContextStoreError, match='did you mean "shared"'):
        store.get("share", ContextScope.GLOBAL, "", "k")


GROUP = """
skills: [{id: 1, name: S1}, {id: 2, name: S2}, {id: 3, name: S3}, {id: 4, name: S4}]
bots:
  - name: Router
  - name: ByIntent
    intents: [{name: refund, phrases: ["give me a refund"]}]
    dialogs:
      - name: Refund by intent
        starter: {intent: refund}
        interactions: [{text: intent}]
  - name: ByPattern
    dialogs:
      - name: Refund by pattern
        starter: {patterns: ["*refund*"]}
        interactions: [{text: pattern}]
  - name: Survey
    type: survey
    dialogs:
      - name: Any
        starter: {patterns: ["*"]}
        interactions: [{text: survey}]
connectors:
  - {bot: Router, skills: [1]}
  - {bot: ByIntent, skills: [2]}
  - {bot: ByPattern, skills: [3]}
  - {bot: Survey, skills: [4]}
groups:
  - {name: G, collaboration: true, members: [Router, ByIntent, ByPattern, Survey]}
"""


@pytest.mark.parametrize(
    ("order", "winner"),
    [
        (["ByIntent", "ByPattern"], "ByIntent"),
        (["ByPattern", "ByIntent"], "ByPattern"),
    ],
)
def test_group_selection_follows_the_store_order(order: list[str], winner: str) -> None:
    sim = Simulator()
    sim.load_text(GROUP)
    sim.group_router.order_override = order
    conv = sim.open_conversation(bot="Router")
    router = sim.platform.world.bots["Router"]
    found = sim.group_router.candidates(conv, router, "give me a refund")
    # The survey bot matches "*" but never receives (G4); both others are candidates.
    assert [m.receiver for m in found] == order
    match = sim.group_router.route(conv, router, "give me a refund")
    assert match is not None and match.receiver == winner


def test_group_selection_skips_inactive_members_and_non_collaborative_groups() -> None:
    sim = Simulator()
    sim.load_text(GROUP)
    sim.platform.set_connector_active("ByPattern", False)
    conv = sim.open_conversation(bot="Router")
    router = sim.platform.world.bots["Router"]
    assert "ByPattern" not in [
        m.receiver for m in sim.group_router.candidates(conv, router, "refund")
    ]
    assert [m.receiver for m in sim.group_router.candidates(conv, router, "give me a refund")] == [
        "ByIntent"
    ]
    quiet = Simulator()
    quiet.load_text(GROUP.replace("collaboration: true", "collaboration: false"))
    conv = quiet.open_conversation(bot="Router")
    assert quiet.group_router.route(conv, quiet.platform.world.bots["Router"], "refund") is None


def test_shuffled_store_order_is_seeded() -> None:
    orders = []
    for seed in (1, 1, 2, 3, 4):
        sim = Simulator(seed=seed)
        sim.load_text(GROUP.replace("groups:", "platform: {group_store_order: shuffled}\ngroups:"))
        orders.append(sim.group_router.store_order("G"))
    assert orders[0] == orders[1]
    assert len({tuple(o) for o in orders}) > 1


def test_pattern_samples_write_out_alternatives() -> None:
    from simulator.lint import pattern_samples

    assert pattern_samples("(thank(|s)|thank you)*") == ["thank", "thanks", "thank you"]
    assert pattern_samples("*") == []


def test_group_lint_finds_overlap_between_different_starters() -> None:
    sim = Simulator()
    sim.load_text(GROUP)
    warnings = sim.platform.world.warnings
    # ByPattern's "*refund*" and ByIntent's "give me a refund" catch the same message.
    assert any('in bot "ByIntent" and in bot "ByPattern"' in w for w in warnings), warnings
