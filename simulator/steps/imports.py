"""Steps for bots imported from Conversation Builder exports and their API integrations.

Registered on the library's ``REGISTRY`` like ``simulator.steps.library``; importing this module
is what makes them available (the pytest plugin imports it next to the library).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from simulator.bots.runtime import ApiRequest
from simulator.cloud.hooks import RequestStub
from simulator.errors import ExpectationFailed, StepError, UnknownNameError
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
    from simulator.cb_export import load_export  # only when a step reads an export

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
    if doc is None or not doc.strip():  # pytest-bdd 8 gives None for an empty docstring, 9 ""
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


# -- requests: stubbing by request and asserting what bots asked for -------------------------
def _split_request(text: str) -> tuple[str, str]:
    """``"GET https://x/1"`` -> ("GET", "https://x/1"); the method is required."""
    method, _, url = text.strip().partition(" ")
    method = method.upper()
    if not url.strip() or method not in HTTP_METHODS:
        raise StepError(
            f'a request is written as "METHOD URL", for example "GET https://api.example.com/'
            f'orders/42"; got "{text}" (methods: {", ".join(HTTP_METHODS)})'
        )
    return method, url.strip()


HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _json_doc(doc: str | None, what: str) -> Any:
    if doc is None or not doc.strip():  # pytest-bdd 8 gives None for an empty docstring, 9 ""
        raise StepError(f"{what} needs a JSON docstring below it")
    return parse_json_docstring(doc, what)


@step(
    "a request {request} returns:",
    "a request {request} with body {body} returns:",
    example='Given a request "GET https://api.example.com/orders/42" returns:\n  """\n'
    '  {"status": "shipped"}\n  """',
    section=INTEGRATIONS,
    docstring=True,
)
def request_returns(sim: Simulator, request: str, doc: str | None, body: str | None = None) -> None:
    """Stub by request: a call whose method and URL (after {$botContext...} references are
    filled in; * in the URL matches anything) and, if given, body (equal JSON, or equal text)
    match answers this JSON. Request stubs come before stubs by integration name; one with a
    body before one without; the one given last first."""
    method, url = _split_request(request)
    parsed = _json_doc(doc, f'"a request "{request}" returns:"')
    sim.platform.api_request_stubs.append(RequestStub(method, url, body, 200, parsed))


@step(
    "a request {request} fails with status {status:int}",
    "a request {request} with body {body} fails with status {status:int}",
    example='Given a request "GET https://api.example.com/orders/0" fails with status 404',
    section=INTEGRATIONS,
)
def request_fails(sim: Simulator, request: str, status: str, body: str | None = None) -> None:
    """Stub by request: a matching call fails with this HTTP status (its failure rules run;
    without one the bot says the platform's "Sorry, I could not find anything for that.")."""
    method, url = _split_request(request)
    code = int(status)
    if not 100 <= code <= 599 or code in (200, 201):
        raise StepError(
            f"a failing HTTP status is between 100 and 599, not 200 or 201 (got {code})"
        )
    sim.platform.api_request_stubs.append(RequestStub(method, url, body, code, None))


def _requests_of(sim: Simulator, name: str) -> list[ApiRequest]:
    _check_integration(sim, name)
    return [r for _, r in sim.platform.api_requests if r.integration == name]


def _listing(requests: list[ApiRequest]) -> str:
    if not requests:
        return "it was not called"
    lines = [
        f"  {r.method} {r.url}" + (f" with body {r.body}" if r.body is not None else "")
        for r in requests
    ]
    return "its requests were:\n" + "\n".join(lines)


@step(
    "integration {name} was called with {request}",
    "integration {name} was called with {request} and body:",
    example='Then integration "getOrders" was called with "GET https://api.example.com/orders/42"',
    section=INTEGRATIONS,
    docstring=True,
)
def integration_called_with(sim: Simulator, name: str, request: str, doc: str | None) -> None:
    """Some call of the integration used this method and URL (after references were filled
    in; * matches anything) and, with a docstring, this body (equal JSON, or equal text)."""
    method, url = _split_request(request)
    made = _requests_of(sim, name)
    for r in made:
        if RequestStub(method, url, doc, 200, None).matches(r):
            return
    wanted = f"{method} {url}" + (f" with body {doc}" if doc is not None else "")
    raise ExpectationFailed(
        f'expected integration "{name}" to be called with {wanted}; {_listing(made)}'
    )


@step(
    "integration {name} was called {count:int} times",
    "integration {name} was called {count:int} time",
    example='Then integration "getOrders" was called 1 time',
    section=INTEGRATIONS,
)
def integration_called_times(sim: Simulator, name: str, count: str) -> None:
    """How many times bots called the integration in this scenario."""
    made = _requests_of(sim, name)
    if len(made) != int(count):
        raise ExpectationFailed(
            f'expected integration "{name}" to be called {count} time(s), it was called'
            f" {len(made)} time(s); {_listing(made)}"
        )
