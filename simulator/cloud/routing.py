"""Routing and queues: a conversation moves to a skill and finds who takes it (T1, T5, F5).

A skill is served by its available human agents first (the least busy), then by an active
bot user agent; with neither, the conversation waits in the skill's queue until an agent
becomes available or a connector is activated (F5). Transfers without a consumer message in
between are counted, so bots escalating to each other in a loop stop with an error.
"""

from __future__ import annotations

from typing import Any

from simulator.bots.runtime import TransferContext
from simulator.clock import format_elapsed
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import CloudCore
from simulator.errors import StepError, TransferLoopError
from simulator.tenant.schema import Channel
from simulator.transcript import EntryKind, Transcript


class RoutingMixin(CloudCore):
    """Opening conversations, moving them to skills, queues (T1, T5, F5)."""

    def open_conversation(
        self,
        *,
        channel: Channel,
        consumer: dict[str, Any],
        bot: str | None = None,
        skill: str | None = None,
    ) -> Conversation:
        conv_id = self.new_conversation_id()
        conv = Conversation(conv_id, channel, consumer, Transcript(conv_id, self.clock.start))
        self.conversations[conv_id] = conv
        self.log(
            conv,
            EntryKind.CONVERSATION,
            f"opened on {channel.value} by consumer {consumer.get('name', '?')}",
        )
        self.arm_auto_close(conv)
        if bot is not None:
            self.bot(bot)
            connector = self.connectors.get(bot)
            conv.skill_id = connector.skills[0] if connector and connector.skills else None
            self.assign_bot(conv, bot, how="conversation started with this bot", greet=False)
        elif skill is not None:
            self.route(conv, self.skill(skill), agent_id=None, context=None, via="new conversation")
        return conv

    def release(self, conv: Conversation) -> None:
        p = conv.participant
        if p is not None and p.kind == "agent" and p.agent_id in self.agents:
            agent = self.agents[p.agent_id]
            if conv.id in agent.conversations:
                agent.conversations.remove(conv.id)
        conv.participant = None
        for timer in (conv.greeting_timer, conv.join_timer, conv.stuck_timer, conv.response_timer):
            if timer is not None:
                timer.cancel()
        conv.greeting_timer = conv.join_timer = conv.stuck_timer = conv.response_timer = None
        conv.join_buffer = ()
        if conv.queued_at is not None and conv.skill_id in self.queues:
            queue = self.queues[conv.skill_id]
            if conv.id in queue:
                queue.remove(conv.id)
            conv.queued_at = None

    def route(
        self,
        conv: Conversation,
        skill_id: str,
        *,
        agent_id: str | None,
        context: TransferContext | None,
        via: str,
    ) -> None:
        """Move the conversation to a skill and find who takes it (T1, T5, F5)."""
        conv.transfers_since_consumer += 1
        limit = self.world.platform.transfer_loop_limit
        if conv.transfers_since_consumer > limit:
            self.log(
                conv,
                EntryKind.ERROR,
                f"transfer loop: {conv.transfers_since_consumer} transfers without a consumer message",
            )
            raise TransferLoopError(
                f"conversation {conv.id}: {conv.transfers_since_consumer} transfers in a row without"
                f" the consumer saying anything (last to skill {self.world.skill_label(skill_id)});"
                " bots are escalating to each other in a loop. See the transcript."
            )
        self.release(conv)
        conv.skill_id = skill_id
        conv.transfer_count += 1
        conv.pending_escalation = None
        label = self.world.skill_label(skill_id)
        self.log(conv, EntryKind.TRANSFER, f"transferred to skill {label} ({via})", skill=skill_id)
        if agent_id is not None:
            agent = next((a for a in self.agents.values() if agent_id in (a.id, a.name)), None)
            if agent is None:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent id "{agent_id}" is unknown; routing to the skill (T5)',
                )
            elif skill_id not in agent.skills:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" is not assigned to skill {label}; routing to the skill (T5)',
                )
            elif not agent.available:
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" is not available; routing to the skill (T5)',
                )
            else:
                self.assign_agent(conv, agent, how="named in the escalation (T5)")
                return
        if not self.assign_from_skill(conv, skill_id, context):
            self.enqueue(conv, skill_id, context)

    def assign_from_skill(
        self, conv: Conversation, skill_id: str, context: TransferContext | None
    ) -> bool:
        agents = [
            a
            for a in self.agents.values()
            if skill_id in a.skills and a.available and a.id not in conv.declined_by
        ]
        if agents:
            agent = min(agents, key=lambda a: len(a.conversations))
            self.assign_agent(conv, agent, how=f"available agent of skill {skill_id}")
            return True
        for connector in self.connectors.values():
            if skill_id in connector.skills and connector.active:
                self.assign_bot(
                    conv, connector.bot, how=f"bot user agent of skill {skill_id}", context=context
                )
                return True
        inactive = [
            c.bot for c in self.connectors.values() if skill_id in c.skills and not c.active
        ]
        if inactive:
            self.log(
                conv,
                EntryKind.ROUTING,
                "bots of this skill without an active connection cannot receive it: "
                + ", ".join(inactive),
            )
        return False

    def enqueue(self, conv: Conversation, skill_id: str, context: TransferContext | None) -> None:
        conv.queued_at = self.clock.now()
        conv.pending_context = context
        self.queues.setdefault(skill_id, []).append(conv.id)
        self.log(
            conv,
            EntryKind.ROUTING,
            f"waits in the queue of skill {self.world.skill_label(skill_id)}:"
            " no available agent or active bot (F5)",
        )

    def drain_queues(self) -> None:
        for skill_id, queue in self.queues.items():
            while queue:
                conv = self.conversations[queue[0]]
                context = conv.pending_context
                queue.pop(0)
                waited = self.clock.now() - (conv.queued_at or self.clock.now())
                conv.queued_at = None
                if not self.assign_from_skill(conv, skill_id, context):
                    queue.insert(0, conv.id)
                    conv.queued_at = self.clock.now() - waited
                    break
                self.log(conv, EntryKind.ROUTING, f"left the queue after {format_elapsed(waited)}")

    def set_connector_active(self, bot: str, active: bool) -> None:
        self.bot(bot)
        connector = self.connectors.get(bot)
        if connector is None:
            raise StepError(
                f'bot "{bot}" has no agent connector in this tenant, so it is never deployed'
            )
        connector.active = active
        if active:
            self.drain_queues()
