"""The ``BotHost`` a bot session runs against: its conversation, seen through the cloud."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import ApiRequest, ApiResponse, BotSession, GroupMatch
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import CloudCore
from simulator.tenant.schema import ApiIntegration, ContextOperation
from simulator.transcript import KIND_VALUES, EntryKind


class Host:
    """The ``BotHost`` a bot session sees: its conversation, seen through the cloud.

    One per bot session, so one per open conversation at least: slotted to stay small.
    """

    __slots__ = ("channel", "clock", "cloud", "conv", "conversation_id", "coverage")

    def __init__(self, cloud: CloudCore, conversation: Conversation) -> None:
        self.cloud = cloud
        self.clock = cloud.clock
        self.conv = conversation
        self.conversation_id = conversation.id
        self.channel = conversation.channel.value
        self.coverage = cloud.coverage

    def now(self) -> datetime:
        return self.clock.now()

    def log(self, kind: EntryKind, text: str, **details: Any) -> None:
        # What ``CloudCore.log`` does, written out: bots log a line or two per message.
        actor = details.pop("actor") if "actor" in details else KIND_VALUES[kind]
        self.conv.transcript.append(self.clock.now(), kind, actor, text, details)

    def choose(self, reason: str, candidates: Sequence[str]) -> int:
        return self.cloud.choose(self.conv, reason, candidates)

    def pinned_scores(self, text: str) -> dict[str, float] | None:
        return self.cloud.pinned_scores(text)

    def group_receiver(self, bot: CompiledBot, text: str) -> GroupMatch | None:
        return self.cloud.group_receiver(self.conv, bot, text)

    def call_api(
        self, bot: CompiledBot, integration: ApiIntegration, request: ApiRequest
    ) -> ApiResponse:
        return self.cloud.call_api(self.conv, bot, integration, request)

    def run_code(self, session: BotSession, code: str, phase: str, interaction: str) -> list[str]:
        return self.cloud.run_code(self.conv, session, code, phase, interaction)

    def context_operation(self, session: BotSession, op: ContextOperation) -> None:
        self.cloud.context_operation(self.conv, session, op)
