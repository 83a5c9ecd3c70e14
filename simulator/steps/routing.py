"""Steps about transfers, queues, faults and bot groups (T1-T9, F1-F5, G1-G8, S1, C1)."""

from __future__ import annotations

from simulator.clock import format_elapsed, parse_duration, parse_offset
from simulator.errors import ExpectationFailed, StepError
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY, split_list
from simulator.tenant.schema import Channel, ContextScope
from simulator.transcript import Entry, EntryKind

step = REGISTRY.step

TRANSFER = "Transfers and routing"
FAULT = "Faults and timeouts"
GROUP = "Bot groups"


def _transfers(sim: Simulator) -> list[Entry]:
    return [
        e
        for e in sim.conversation().transcript.of_kind(EntryKind.TRANSFER)
        if e.text.startswith("transferred to skill")
    ]


def _transfer_summary(sim: Simulator) -> str:
    lines = [
        f"  {format_elapsed(e.at - sim.clock.start)} {e.text}"
        for e in sim.conversation().transcript.of_kind(EntryKind.TRANSFER, EntryKind.ROUTING)
    ]
    return "\n".join(lines) or "  (no transfer or routing events)"


@step(
    "the conversation is transferred to skill {skill}",
    "at {time:clock} the conversation is transferred to skill {skill}",
    example='Then at 00:03:00 the conversation is transferred to skill "300"',
    section=TRANSFER,
)
def transferred_to_skill(sim: Simulator, skill: str, time: str | None = None) -> None:
    """A transfer moved the conversation to this skill (id or name); optionally at this time."""
    skill_id = sim.platform.skill(skill)
    hits = [e for e in _transfers(sim) if e.details.get("skill") == skill_id]
    if not hits:
        raise ExpectationFailed(
            f"expected a transfer to skill {sim.platform.world.skill_label(skill_id)};"
            f" transfers and routing:\n{_transfer_summary(sim)}"
        )
    if time is not None:
        wanted = parse_offset(time)
        if not any(e.at - sim.clock.start == wanted for e in hits):
            when = ", ".join(format_elapsed(e.at - sim.clock.start) for e in hits)
            raise ExpectationFailed(
                f"expected the transfer to skill {skill_id} at {time}; it happened at {when}"
            )


@step("no transfer happens", example="Then no transfer happens", section=TRANSFER)
def no_transfer(sim: Simulator) -> None:
    """No transfer of any kind (manual or automatic) moved the conversation."""
    conv = sim.conversation()
    if conv.transfer_count:
        raise ExpectationFailed(f"expected no transfer; there were:\n{_transfer_summary(sim)}")


@step(
    "the conversation is assigned to agent {agent}",
    "the conversation is transferred to agent {agent}",
    example='Then the conversation is assigned to agent "Alice"',
    section=TRANSFER,
)
def assigned_agent(sim: Simulator, agent: str) -> None:
    """The human agent holds the conversation now."""
    state = sim.platform.agent(agent)
    p = sim.conversation().participant
    if p is None or p.kind != "agent" or p.agent_id != state.id:
        holder = p.describe() if p else "nobody"
        raise ExpectationFailed(
            f'expected agent "{state.name}" to hold the conversation; {holder} does.\n'
            + _transfer_summary(sim)
        )


@step(
    "the conversation is assigned to bot {bot}",
    "the conversation is transferred to bot {bot}",
    example='Then the conversation is transferred to bot "Savings"',
    section=TRANSFER,
)
def assigned_bot(sim: Simulator, bot: str) -> None:
    """The bot holds the conversation now."""
    sim.platform.bot(bot)
    conv = sim.conversation()
    if conv.bot != bot:
        holder = conv.participant.describe() if conv.participant else "nobody"
        raise ExpectationFailed(
            f'expected bot "{bot}" to hold the conversation; {holder} does.\n'
            + _transfer_summary(sim)
        )


@step(
    "the conversation waits in the queue of skill {skill}",
    example='Then the conversation waits in the queue of skill "Billing"',
    section=TRANSFER,
)
def waits_in_queue(sim: Simulator, skill: str) -> None:
    """Nobody available serves the skill, so the conversation is queued (F5)."""
    skill_id = sim.platform.skill(skill)
    conv = sim.conversation()
    if conv.id not in sim.platform.queues.get(skill_id, []):
        holder = conv.participant.describe() if conv.participant else "nobody"
        raise ExpectationFailed(
            f"expected the conversation in the queue of skill {skill_id}; it is on skill"
            f" {conv.skill_id} held by {holder}"
        )


@step(
    "agent {agent} becomes available",
    "agent {agent} becomes unavailable",
    "agent {agent} goes away",
    example='When agent "Alice" becomes available',
    section=TRANSFER,
)
def agent_availability(sim: Simulator, agent: str) -> None:
    """Change a human agent's availability; queued conversations of their skills are routed."""
    text = sim.scratch.get("_step_text", "")
    available = text.endswith("becomes available")
    sim.platform.set_agent_available(agent, available)
    sim.settle()


@step("agent {agent} accepts", example='When agent "Alice" accepts', section=TRANSFER)
def agent_accepts(sim: Simulator, agent: str) -> None:
    """A human agent with auto_accept: false takes the conversation offered to them."""
    sim.platform.accept(agent)
    sim.settle()


@step(
    "the conversation is offered to agent {agent}",
    example='Then the conversation is offered to agent "Alice"',
    section=TRANSFER,
)
def offered_to(sim: Simulator, agent: str) -> None:
    """Routing offered the conversation to this agent, who has not accepted yet."""
    state = sim.platform.agent(agent)
    if sim.conversation().offered_to != state.id:
        raise ExpectationFailed(f'expected the conversation to be offered to agent "{state.name}"')


@step(
    "the connector of bot {bot} becomes inactive",
    "the connector of bot {bot} becomes active",
    example='Given the connector of bot "Savings" becomes inactive',
    section=TRANSFER,
)
def connector_activity(sim: Simulator, bot: str) -> None:
    """Deploy or undeploy a bot: only bots with an active connection receive conversations."""
    text = sim.scratch.get("_step_text", "")
    sim.platform.set_connector_active(bot, text.endswith("becomes active"))
    sim.settle()


@step(
    "the context store has {key} = {value} in namespace {namespace} for this conversation",
    "the context store has {key} = {value} in namespace {namespace} for this consumer",
    "the context store has {key} = {value} in namespace {namespace} globally",
    example='Then the context store has "accountType" = "gold" in namespace "shared" for this conversation',
    section=TRANSFER,
)
def context_has(sim: Simulator, key: str, value: str, namespace: str) -> None:
    """What bots stored in the Conversation Context Service (T8)."""
    text = sim.scratch.get("_step_text", "")
    scope = (
        ContextScope.CONVERSATION
        if text.endswith("conversation")
        else ContextScope.CONSUMER
        if text.endswith("consumer")
        else ContextScope.GLOBAL
    )
    sim.platform  # noqa: B018 - raises "no tenant is loaded" before the store exists
    store = sim.context_store
    owner = store.owner(scope, sim.conversation())
    actual = store.get(namespace, scope, owner, key)
    if actual != value:
        raise ExpectationFailed(
            f'expected {namespace}.{key} = "{value}" ({scope.value}); found {actual!r}'
        )


# -- faults ------------------------------------------------------------------------------
@step(
    "the next transfer to skill {skill} fails",
    "the next {count:int} transfers to skill {skill} fail",
    "the next {count:int} transfers to skill {skill} fail after {delay:duration}",
    "every transfer to skill {skill} fails",
    example='Given the next 2 transfers to skill "101" fail',
    section=FAULT,
)
def transfers_fail(sim: Simulator, skill: str, count: str = "1", delay: str = "0 ms") -> None:
    """The platform reports these transfer attempts as failed (F1), after an optional delay."""
    n = 10_000 if sim.scratch.get("_step_text", "").startswith("every") else int(count)
    sim.fail_transfers(skill, n, delay_ms=int(parse_duration(delay).total_seconds() * 1000))


@step(
    "the chat server drops the next escalation to skill {skill}",
    "the chat server drops the next {count:int} escalations to skill {skill}",
    example='Given the chat server drops the next escalation to skill "101"',
    section=FAULT,
)
def drops(sim: Simulator, skill: str, count: str = "1") -> None:
    """The escalation gets no response at all (F4: the 3-minute fallback applies)."""
    sim.drop_transfers(skill, int(count))


@step(
    "the transfer API call to skill {skill} fails",
    "the next {count:int} transfer API calls to skill {skill} fail",
    example='Given the transfer API call to skill "101" fails',
    section=FAULT,
)
def api_call_fails(sim: Simulator, skill: str, count: str = "1") -> None:
    """The escalation's API call fails at once: the interaction's failure rule (on_failure)
    runs; without one the escalation fails as in F1."""
    sim.fail_transfer_calls(skill, int(count))


@step(
    "the connector of bot {bot} is on {channel}",
    example='Given the connector of bot "Echo" is on "chat"',
    section=FAULT,
)
def connector_channel(sim: Simulator, bot: str, channel: str) -> None:
    """Set the conversation type of the bot's agent connector, "chat" or "messaging" (the
    tenant's `channel`, messaging by default). The connector's type, not the conversation's,
    decides which connector settings apply (C1). On both: defaultGreetingMessage and
    disableGreetings. Messaging only (no effect on a chat connector, where each keeps its
    default, and `simulator check` warns when one is set there): fallbackEscalationTime (the
    no-response timer; a dropped escalation still times out after the documented 3 minutes),
    maxEscalationRetries, skipAgentMessage, messageDelay (no joining on chat),
    maxConsumerMessageDelay, retryMessageInterval, messageResendMaxRetries and the
    stuck-conversation settings (no resends or stuck steps on chat)."""
    sim.platform.bot(bot)
    connector = sim.platform.connectors.get(bot)
    if connector is None:
        raise StepError(f'bot "{bot}" has no agent connector in this tenant')
    try:
        connector.channel = Channel(channel.lower())
    except ValueError:
        raise StepError(
            f'unknown connector channel "{channel}": expected "chat" or "messaging"'
        ) from None


@step(
    "messaging conversations close after {minutes:int} minutes without a consumer message",
    example="Given messaging conversations close after 60 minutes without a consumer message",
    section=FAULT,
)
def auto_close(sim: Simulator, minutes: str) -> None:
    """Opt in to the account's auto-close (B11; the tenant's
    `platform.auto_close_after_minutes`): a messaging conversation closes once this many
    minutes pass without a consumer message. Off unless set; chat conversations never."""
    if int(minutes) < 1:
        raise StepError(f"conversations can auto-close after 1 minute or more, not {minutes}")
    cloud = sim.platform
    # A copy: the tenant's own model may be shared by whoever built it.
    cloud.world.platform = cloud.world.platform.model_copy(
        update={"auto_close_after_minutes": int(minutes)}
    )
    for conv in cloud.conversations.values():
        cloud.arm_auto_close(conv)


@step("bot {bot} stops answering", example='Given bot "Routing" stops answering', section=FAULT)
def bot_unresponsive(sim: Simulator, bot: str) -> None:
    """The bot receives messages but never answers (stuck conversations, S1)."""
    sim.platform.bot(bot)
    sim.platform.faults.unresponsive_bots.add(bot)


@step("bot {bot} answers again", example='When bot "Routing" answers again', section=FAULT)
def bot_responsive(sim: Simulator, bot: str) -> None:
    """Undo "stops answering"."""
    sim.platform.faults.unresponsive_bots.discard(bot)


@step(
    "the bot received {text} {count:int} times",
    "the bot received {text} {count:int} time",
    example='Then the bot received "__agent_escalation_failed__" 3 times',
    section=FAULT,
)
def platform_message_count(sim: Simulator, text: str, count: str) -> None:
    """How many times the platform sent this message to a bot (as if the consumer typed it)."""
    conv = sim.conversation()
    sent = sum(
        1
        for e in conv.transcript.of_kind(EntryKind.PLATFORM)
        if e.text.startswith(f'sent "{text}" to ')
    )
    if sent != int(count):
        raise ExpectationFailed(
            f'expected "{text}" sent to the bot {count} times; it was sent {sent} times'
        )


# -- groups ---------------------------------------------------------------------------------
def _automatic_transfers(sim: Simulator) -> list[Entry]:
    return [
        e
        for e in sim.conversation().transcript.of_kind(EntryKind.TRANSFER)
        if e.details.get("automatic")
    ]


@step(
    "the platform lists group bots in the order {names:list}",
    example='Given the platform lists group bots in the order "Returns", "Order Status"',
    section=GROUP,
)
def store_order(sim: Simulator, names: str) -> None:
    """Fix the order the store returns a group's bots in (G2 step 3)."""
    listed = split_list(names)
    for name in listed:
        sim.platform.bot(name)
    router = sim.group_router
    router.order_override = listed


@step(
    "the conversation is transferred automatically to bot {bot}",
    example='Then the conversation is transferred automatically to bot "Order Status"',
    section=GROUP,
)
def auto_transferred(sim: Simulator, bot: str) -> None:
    """An automatic transfer inside a bot group went to this bot (G2, G5)."""
    sim.platform.bot(bot)
    autos = _automatic_transfers(sim)
    if not any(e.details.get("receiver") == bot for e in autos):
        got = ", ".join(str(e.details.get("receiver")) for e in autos) or "none"
        raise ExpectationFailed(
            f'expected an automatic transfer to bot "{bot}"; automatic transfers: {got}'
        )


@step("no automatic transfer happens", example="Then no automatic transfer happens", section=GROUP)
def no_auto(sim: Simulator) -> None:
    """No bot-group transfer took place (G3, G1 with collaboration off, G4)."""
    autos = _automatic_transfers(sim)
    if autos:
        raise ExpectationFailed(
            "expected no automatic transfer; got:\n" + "\n".join(e.text for e in autos)
        )


@step(
    "routing was order-dependent between {first} and {second}",
    example='Then routing was order-dependent between "Returns" and "Refunds"',
    section=GROUP,
)
def order_dependent(sim: Simulator, first: str, second: str) -> None:
    """The transcript warned that the outcome depends on the store's order or a random tie (G7)."""
    for e in sim.conversation().transcript.of_kind(EntryKind.WARNING):
        candidates = e.details.get("candidates") or []
        if first in candidates and second in candidates:
            return
    raise ExpectationFailed(
        f'expected an order-dependent routing warning naming "{first}" and "{second}"'
    )


@step(
    "routing was not order-dependent", example="Then routing was not order-dependent", section=GROUP
)
def not_order_dependent(sim: Simulator) -> None:
    """No order-dependence warning was recorded."""
    hits = [
        e.text
        for e in sim.conversation().transcript.of_kind(EntryKind.WARNING)
        if e.details.get("candidates")
    ]
    if hits:
        raise ExpectationFailed("routing was order-dependent:\n" + "\n".join(hits))


@step(
    "the tenant has the warning {text}",
    example='Then the tenant has the warning "has 16 bots"',
    section=GROUP,
)
def tenant_warning(sim: Simulator, text: str) -> None:
    """A best-practice warning (lint: T4 delays, G4 inactive members, G7 size and overlap)
    recorded when the tenant loaded contains this text."""
    warnings = sim.platform.world.warnings
    if not any(text in w for w in warnings):
        raise ExpectationFailed(
            f'expected a tenant warning containing "{text}"; warnings:\n  '
            + ("\n  ".join(warnings) or "(none)")
        )


@step("the tenant has no warnings", example="Then the tenant has no warnings", section=GROUP)
def tenant_clean(sim: Simulator) -> None:
    """The tenant passed every best-practice check."""
    warnings = sim.platform.world.warnings
    if warnings:
        raise ExpectationFailed("expected no tenant warnings; got:\n  " + "\n  ".join(warnings))
