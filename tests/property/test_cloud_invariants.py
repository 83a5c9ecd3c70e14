"""Property-based tests: random sequences of consumer messages, time, faults and availability
against the fake cloud must keep its invariants (issue: failures, retries and timeouts)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.invariants import check_cloud
from simulator.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]

# A bot that escalates again whenever an escalation fails: without the give-up rule (F3) this
# would loop forever, so it exercises the retry limit hard.
STUBBORN = """
skills:
  - {id: 100, name: Front}
  - {id: 200, name: Humans}
  - {id: 300, name: Overflow}
agents:
  - {id: 1, name: Alice, skills: [200]}
  - {id: 2, name: Bob, skills: [300], available: false}
bots:
  - name: Stubborn
    dialogs:
      - name: Retry
        starter: {patterns: ["__agent_escalation_failed__"]}
        interactions:
          - text: "Trying again."
          - transfer: {skill_id: 200, message_to_user: "Retrying the transfer."}
            delay_ms: 2000
      - name: Human
        starter: {patterns: ["*agent*"]}
        interactions:
          - transfer: {skill_id: 200, message_to_user: "Connecting you."}
      - name: Chat
        starter: {patterns: ["*"]}
        interactions:
          - text: "Echo: {$userMessage}"
connectors:
  - {bot: Stubborn, skills: [100], fallback_skill_id: 300, settings: {maxEscalationRetries: 2}}
"""

operation = st.one_of(
    st.tuples(
        st.just("say"), st.sampled_from(["hi", "agent", "savings account", "hello", "Gold", "xyz"])
    ),
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=400_000)),
    st.tuples(st.just("fail"), st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("drop"), st.integers(min_value=1, max_value=2)),
    st.tuples(st.just("agent"), st.sampled_from(["Alice", "Bob"])),
)


def check_invariants(sim: Simulator, max_failures: int) -> None:
    check_cloud(sim.platform)
    for conv in sim.conversations:
        for count in conv.escalation_failures.values():
            assert count <= max_failures


def run_operations(
    tenant: str, ops: list[tuple[str, object]], max_failures: int, bot: str
) -> Simulator:
    sim = Simulator(seed=7)
    sim.load_text(tenant)
    sim.open_conversation(bot=bot, channel="chat")
    agents_on: dict[str, bool] = {}
    for kind, value in ops:
        conv = sim.conversation()
        if kind == "say":
            if conv.is_open:
                sim.say(str(value))
        elif kind == "wait":
            sim.advance(timedelta(milliseconds=int(str(value))))
            sim.settle()
        elif kind == "fail":
            sim.fail_transfers("200", int(str(value)))
        elif kind == "drop":
            sim.drop_transfers("200", int(str(value)))
        elif kind == "agent":
            name = str(value)
            agents_on[name] = not agents_on.get(name, name == "Alice")
            sim.platform.set_agent_available(name, agents_on[name])
            sim.settle()
        check_invariants(sim, max_failures)
    # Every scenario ends: after a long quiet period nothing is pending that settles.
    sim.advance(timedelta(days=1))
    sim.settle()
    check_invariants(sim, max_failures)
    check_cloud(sim.platform, idle=True)
    return sim


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=25))
def test_stubborn_bot_keeps_the_invariants(ops: list[tuple[str, object]]) -> None:
    run_operations(STUBBORN, ops, max_failures=2, bot="Stubborn")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=25))
def test_example_bank_keeps_the_invariants(ops: list[tuple[str, object]]) -> None:
    tenant = (ROOT / "fixtures" / "bank.yaml").read_text(encoding="utf-8")
    run_operations(tenant, ops, max_failures=3, bot="Routing")


@settings(max_examples=30, deadline=None)
@given(st.lists(operation, max_size=15), st.integers(min_value=0, max_value=3))
def test_same_inputs_give_the_same_transcript(ops: list[tuple[str, object]], _: int) -> None:
    first = run_operations(STUBBORN, ops, 2, "Stubborn").all_transcripts()
    second = run_operations(STUBBORN, ops, 2, "Stubborn").all_transcripts()
    assert first == second
