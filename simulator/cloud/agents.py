"""Human agents: assignment, offers that must be accepted, availability (T5, F5)."""

from __future__ import annotations

from datetime import timedelta

from simulator.cloud.conversation import Conversation, Participant
from simulator.cloud.core import AgentState, CloudCore
from simulator.errors import StepError
from simulator.transcript import EntryKind


class AgentsMixin(CloudCore):
    """Conversations given to, offered to and handed back by human agents."""

    def assign_agent(self, conv: Conversation, agent: AgentState, *, how: str) -> None:
        if not agent.auto_accept:
            self._offer(conv, agent, how)
            return
        conv.participant = Participant("agent", agent.name, agent.id)
        agent.conversations.append(conv.id)
        conv.queued_at = None
        self.log(
            conv, EntryKind.ROUTING, f'assigned to agent "{agent.name}" ({how})', agent=agent.name
        )

    def _offer(self, conv: Conversation, agent: AgentState, how: str) -> None:
        """An agent who must accept: the conversation waits, offered, until they do (T5)."""
        conv.offered_to = agent.id
        conv.queued_at = None
        self.log(
            conv,
            EntryKind.ROUTING,
            f'offered to agent "{agent.name}" ({how}); waiting up to'
            f" {agent.accept_timeout_seconds} s for them to accept",
        )

        def expire() -> None:
            conv.offer_timer = None
            if conv.offered_to != agent.id or not conv.is_open:
                return
            conv.offered_to = None
            conv.declined_by |= {agent.id}
            skill = conv.skill_id or ""
            self.log(
                conv,
                EntryKind.ROUTING,
                f'agent "{agent.name}" did not accept in time; back to skill'
                f" {self.world.skill_label(skill)}",
            )
            if not self.assign_from_skill(conv, skill, conv.pending_context):
                self.enqueue(conv, skill, conv.pending_context)

        conv.offer_timer = self.clock.call_later(
            timedelta(seconds=agent.accept_timeout_seconds),
            expire,
            label="agent offer",
            settles=False,
        )

    def accept(self, ref: str) -> Conversation:
        """A human agent accepts the conversation offered to them."""
        agent = self.agent(ref)
        for conv in self.conversations.values():
            if conv.offered_to == agent.id and conv.is_open:
                conv.offered_to = None
                if conv.offer_timer is not None:
                    conv.offer_timer.cancel()
                    conv.offer_timer = None
                conv.participant = Participant("agent", agent.name, agent.id)
                agent.conversations.append(conv.id)
                self.log(
                    conv, EntryKind.ROUTING, f'agent "{agent.name}" accepted', agent=agent.name
                )
                return conv
        raise StepError(f'no conversation is offered to agent "{agent.name}"')

    def set_agent_available(self, ref: str, available: bool) -> None:
        agent = self.agent(ref)
        agent.available = available
        if not available:
            # An agent who goes away hands their conversations back to their skills.
            for conv_id in list(agent.conversations):
                conv = self.conversations[conv_id]
                agent.conversations.remove(conv_id)
                conv.participant = None
                skill = conv.skill_id or ""
                self.log(
                    conv,
                    EntryKind.ROUTING,
                    f'agent "{agent.name}" went away; back to skill {self.world.skill_label(skill)}',
                )
                if not self.assign_from_skill(conv, skill, None):
                    self.enqueue(conv, skill, None)
        else:
            self.drain_queues()
