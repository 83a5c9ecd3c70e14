"""Bot groups seen from the cloud: the group router hook and automatic transfers (G2-G6).

Which bot of a collaborative group matches a message is ``simulator.groups``' business,
plugged in as ``group_router``; the cloud performs the automatic transfer it decides (G5).
"""

from __future__ import annotations

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import AutoTransfer, GroupMatch
from simulator.cloud.conversation import Conversation, Participant
from simulator.cloud.core import CloudCore
from simulator.transcript import EntryKind


class GroupHooksMixin(CloudCore):
    """The bot-group hook and the automatic transfers it leads to."""

    def auto_transfer(self, conv: Conversation, sender: str, action: AutoTransfer) -> None:
        """An automatic transfer inside a collaborative bot group (G5, G6)."""
        group = self.world.groups[self.world.group_of[sender]]
        if group.transfer_message:
            session = self.session(conv, sender)
            self.deliver_now(
                conv,
                sender,
                session.render(group.transfer_message, "group transfer"),
                note="group transfer message",
            )
        self.log(
            conv,
            EntryKind.TRANSFER,
            f'transferred automatically from "{sender}" to bot "{action.receiver}" in group'
            f' "{group.name}" (intent={action.intent!r}, message={action.message!r})',
            receiver=action.receiver,
            automatic=True,
        )
        self.release(conv)
        conv.transfer_count += 1
        connector = self.connectors.get(action.receiver)
        if connector and connector.skills:
            conv.skill_id = connector.skills[0]
        conv.participant = Participant("bot", action.receiver)
        session = self.session(conv, action.receiver)
        self.schedule(
            conv,
            action.receiver,
            session.start_dialog(action.intent, action.message, "automatic transfer"),
        )

    def group_receiver(self, conv: Conversation, bot: CompiledBot, text: str) -> GroupMatch | None:
        if self.group_router is None:
            return None
        return self.group_router(conv, bot, text)
