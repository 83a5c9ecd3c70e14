"""Hooks a bot reaches through the cloud: API integrations, bot code, the Context Service.

The cloud only forwards: API results come from the scenario's stubs (and the bot's transform
script), code runs in whatever ``code_runner`` the simulator installed (the JavaScript
engine), context operations go to the Conversation Context Service (T8).
"""

from __future__ import annotations

from typing import Any

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import BotSession
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import CloudCore
from simulator.errors import StepError
from simulator.tenant.schema import ApiIntegration, ContextOperation
from simulator.transcript import EntryKind


class HooksMixin(CloudCore):
    """API calls, bot code and context operations, forwarded to their handlers."""

    def call_api(self, conv: Conversation, bot: CompiledBot, integration: ApiIntegration) -> Any:
        stub = self.api_stubs.get(integration.name)
        if stub is None:
            raise StepError(
                f'bot "{bot.name}" called API integration "{integration.name}", which this scenario'
                f' does not stub; add a step such as: Given the integration "{integration.name}"'
                " returns: (a JSON docstring)"
            )
        result = stub()
        self.log(
            conv, EntryKind.ROUTING, f'integration "{integration.name}" answered from its stub'
        )
        session = conv.sessions.get(bot.name)
        failed = getattr(stub, "failed", False)
        if self.api_transformer is not None and session is not None and not failed:
            result = self.api_transformer(conv, session, integration, result)
        return result

    def run_code(
        self, conv: Conversation, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]:
        if self.code_runner is None:
            self.log(
                conv,
                EntryKind.ERROR,
                f'{phase} code in "{interaction}" not run: no JavaScript engine',
            )
            return []
        return self.code_runner(conv, session, code, phase, interaction)

    def context_operation(
        self, conv: Conversation, session: BotSession, op: ContextOperation
    ) -> None:
        if self.context_handler is None:
            raise StepError("the Conversation Context Service is not available in this simulator")
        self.context_handler(conv, session, op)
