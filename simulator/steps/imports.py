"""Steps for bots imported from Conversation Builder exports and their API integrations.

Registered on the library's ``REGISTRY`` like ``simulator.steps.library``; importing this module
is what makes them available (the pytest plugin imports it next to the library).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from simulator.cb_export import load_export
from simulator.errors import StepError, UnknownNameError
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY
from simulator.transcript import EntryKind

step = REGISTRY.step

SETUP = "Setting up the tenant"
INTEGRATIONS = "API integrations"


@step(
    "the bot exported in {path}",
    "the bot exported in {path} as {name}",
    example='Given the bot exported in "fixtures/exports/escalation-bot.json"',
    section=SETUP,
)
def bot_from_export(sim: Simulator, path: str, name: str | None = None) -> None:
    """Add the bot of a Conversation Builder export file (File > Export) to the tenant, renamed
    if a name is given. Relative paths start at the feature file's folder, then the project
    root. It joins any bots defined in the feature file."""
    bot = load_export(sim.resolve(path))
    if name is not None:
        bot.name = name
    sim.add_inline_bot(bot.model_dump(mode="json", exclude_none=True))


def _check_integration(sim: Simulator, name: str) -> None:
    known = {i.name for b in sim.platform.world.bots.values() for i in b.definition.integrations}
    if name not in known:
        raise UnknownNameError("integration", name, known)


@step(
    "the integration {name} returns:",
    example='Given the integration "getOrders" returns:\n  """\n  {"orders": []}\n  """',
    section=INTEGRATIONS,
    docstring=True,
)
def integration_returns(sim: Simulator, name: str, doc: str | None) -> None:
    """Stub an API integration: every call answers this JSON (the simulator never calls out).
    The result feeds {$.api_NAME...} references, custom data fields and the transform script."""
    if doc is None:
        raise StepError(f'"the integration "{name}" returns:" needs a JSON docstring below it')
    try:
        parsed: Any = json.loads(doc)
    except json.JSONDecodeError as exc:
        raise StepError(
            f'the response of integration "{name}" is not valid JSON: {exc.msg} (line'
            f" {exc.lineno}, column {exc.colno})"
        ) from None
    _check_integration(sim, name)
    sim.platform.api_stubs[name] = lambda: copy.deepcopy(parsed)


class FailingStub:
    """An API stub whose calls fail with an HTTP status: no result, no transform script."""

    failed = True

    def __init__(self, sim: Simulator, name: str, status: int) -> None:
        self.sim = sim
        self.name = name
        self.status = status

    def __call__(self) -> Any:
        if self.sim.current is not None:
            self.sim.platform.log(
                self.sim.current,
                EntryKind.ERROR,
                f'integration "{self.name}" failed with HTTP status {self.status}',
                status=self.status,
            )
        return None


@step(
    "the integration {name} fails with status {status:int}",
    example='Given the integration "getOrders" fails with status 500',
    section=INTEGRATIONS,
)
def integration_fails(sim: Simulator, name: str, status: str) -> None:
    """Every call of the API integration fails with this HTTP status: its result is empty, so
    {$.api_NAME...} references render empty, and its transform script does not run."""
    code = int(status)
    if not 100 <= code <= 599:
        raise StepError(f"an HTTP status is between 100 and 599 (got {code})")
    _check_integration(sim, name)
    sim.platform.api_stubs[name] = FailingStub(sim, name, code)
