"""Steps for bots imported from Conversation Builder exports and their API integrations.

Registered on the library's ``REGISTRY`` like ``simulator.steps.library``; importing this module
is what makes them available (the pytest plugin imports it next to the library).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

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
    from simulator.cb_export import load_export

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
    parsed = parse_json_docstring(doc, f'the response of integration "{name}"')
    _check_integration(sim, name)
    sim.platform.api_stubs[name] = lambda: copy.deepcopy(parsed)


#: How deep a JSON docstring may nest; deeper is a mistake (or an attack), and Python's own
#: decoder would hit its recursion limit with a RecursionError instead of a message.
MAX_JSON_DEPTH = 200

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def parse_json_docstring(doc: str, what: str) -> Any:
    """Parse a step's JSON docstring or raise one ``StepError`` that says where and why.

    Beyond syntax errors this covers what ``json.loads`` accepts or fails on in other ways:
    nesting deeper than ``MAX_JSON_DEPTH`` (checked before decoding, so the decoder never
    recurses that deep), integers longer than Python converts (``ValueError``), and ``\\uD83D``
    escapes that are half of a surrogate pair: they decode to text that cannot be written as
    UTF-8, which would crash the transcript writer much later. A full pair is fine."""
    depth = _json_depth(doc)
    if depth is not None:
        raise StepError(
            f"{what} nests deeper than {MAX_JSON_DEPTH} levels (line"
            f" {doc.count(chr(10), 0, depth) + 1} of the docstring):"
            " flatten the JSON"
        )
    try:
        parsed: Any = json.loads(doc)
    except json.JSONDecodeError as exc:
        raise StepError(
            f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        reason = str(exc).split(";")[0]  # not the advice about sys.set_int_max_str_digits
        raise StepError(f"{what} is not usable JSON: {reason}") from None
    bad = _lone_surrogate(parsed)
    if bad is not None:
        escape = f"\\u{ord(bad):04x}"
        at = doc.lower().find(escape)
        where = f" (line {doc.count(chr(10), 0, at) + 1} of the docstring)" if at >= 0 else ""
        raise StepError(
            f"{what} holds {escape}, half of a UTF-16 surrogate pair{where}: JSON text must be"
            " valid Unicode; write the character itself or both halves, like \\ud83d\\ude00"
        )
    return parsed


def _json_depth(doc: str) -> int | None:
    """The offset where brackets first nest deeper than the limit (outside strings), or None."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(doc):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def _lone_surrogate(value: Any) -> str | None:
    """The first half-pair surrogate in any string or key of a parsed JSON value."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _LONE_SURROGATE.search(item)
            if found:
                return found.group(0)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


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
