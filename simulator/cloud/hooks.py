"""Hooks a bot reaches through the cloud: API integrations, bot code, the Context Service.

The cloud only forwards: API results come from the scenario's stubs (and the bot's transform
script), code runs in whatever ``code_runner`` the simulator installed (the JavaScript
engine), context operations go to the Conversation Context Service (T8).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import ApiRequest, ApiResponse, BotSession
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import CloudCore
from simulator.errors import StepError
from simulator.tenant.schema import ApiIntegration, ContextOperation
from simulator.transcript import EntryKind


class HooksMixin(CloudCore):
    """API calls, bot code and context operations, forwarded to their handlers."""

    def call_api(
        self,
        conv: Conversation,
        bot: CompiledBot,
        integration: ApiIntegration,
        request: ApiRequest,
    ) -> ApiResponse:
        self.api_requests.append((conv.id, request))
        shown = f"{request.method} {request.url}"
        if request.body is not None:
            shown += f" with body {request.body}"
        self.log(
            conv,
            EntryKind.ROUTING,
            f'integration "{integration.name}" requested {shown}',
            method=request.method,
            url=request.url,
            body=request.body,
        )
        session = conv.sessions.get(bot.name)
        # Stubs and transform scripts are the scenario's code: they see the virtual time.
        self.clock.sync()
        by_request = self._request_stub(request)
        if by_request is not None:
            status, result = by_request.status, copy.deepcopy(by_request.response)
            self.log(
                conv,
                EntryKind.ROUTING if 200 <= status < 300 else EntryKind.ERROR,
                f'integration "{integration.name}" answered HTTP status {status} from the stub'
                f" for {by_request.describe()}",
                status=status,
            )
        else:
            stub = self.api_stubs.get(integration.name)
            if stub is None:
                raise StepError(
                    f'bot "{bot.name}" called API integration "{integration.name}" ({shown}),'
                    " which this scenario does not stub; add a step such as: Given the"
                    f' integration "{integration.name}" returns: (a JSON docstring), or Given a'
                    f' {request.method} to "{request.url}" returns: (a JSON docstring)'
                )
            result = stub()
            self.log(
                conv, EntryKind.ROUTING, f'integration "{integration.name}" answered from its stub'
            )
            status = int(getattr(stub, "status", 200))
        response = ApiResponse(status, result if status in (200, 201) else None)
        if self.api_transformer is not None and session is not None and response.ok:
            response = ApiResponse(
                status, self.api_transformer(conv, session, integration, response.body)
            )
        return response

    def _request_stub(self, request: ApiRequest) -> RequestStub | None:
        """The stub for this request: stubs that name a body before those that do not, the
        one given last first."""
        candidates = [s for s in reversed(self.api_request_stubs) if s.matches(request)]
        with_body = [s for s in candidates if s.body is not None]
        found = (with_body or candidates or [None])[0]
        assert found is None or isinstance(found, RequestStub)
        return found

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
        self.clock.sync()
        return self.code_runner(conv, session, code, phase, interaction)

    def context_operation(
        self, conv: Conversation, session: BotSession, op: ContextOperation
    ) -> None:
        if self.context_handler is None:
            raise StepError("the Conversation Context Service is not available in this simulator")
        self.clock.sync()
        self.context_handler(conv, session, op)


@dataclass(frozen=True)
class RequestStub:
    """An API stub chosen by the request: method, URL (``*`` matches anything) and,
    optionally, the body (equal JSON, or equal text when it is not JSON)."""

    method: str
    url: str
    body: str | None
    status: int
    response: Any

    def matches(self, request: ApiRequest) -> bool:
        if request.method.upper() != self.method.upper():
            return False
        if not fnmatchcase(request.url, self.url):
            return False
        return self.body is None or same_body(self.body, request.body or "")

    def describe(self) -> str:
        shown = f"{self.method.upper()} {self.url}"
        return shown + (f" with body {self.body}" if self.body is not None else "")


def same_body(expected: str, actual: str) -> bool:
    """Bodies are equal as JSON when both parse, else as text without surrounding spaces."""
    try:
        return bool(json.loads(expected) == json.loads(actual))
    except (ValueError, RecursionError):
        return expected.strip() == actual.strip()
