"""Running bot JavaScript (pre/post-process, process user response, transforms) in V8.

One ``MiniRacer`` context per conversation and bot, created the first time that bot needs it
in that conversation; the bot's global functions are evaluated once in it (and
``__initConversation`` called if they define it). The context holds a fake ``botContext``
(``prelude.js``) that records every call that changes something; after a run Python applies the
recorded effects in order: bot variables (stored as text through ``session.set_variable``),
messages to send, debug lines, the bot transfer context, Conversation Context Service writes.
Reads (variables, the user message, context data, the time) come from a state object filled in
before each run. ``new Date()`` and ``Date.now()`` return the virtual clock's time.

A JavaScript error logs an ERROR entry naming the interaction and the error, and the bot sends
its default user-friendly response. So does code that runs longer than its time limit
(``DEFAULT_TIMEOUT_MS``, real time: mini-racer enforces it on an asyncio loop, which
``simulator.timefreeze`` keeps on real time while the scenario's clock is frozen) or uses more
than its memory limit; its V8 context is dropped.

Every V8 context is closed explicitly: when its conversation or runner closes it, and at the
latest by an ``atexit`` hook. A context left to the garbage collector at interpreter shutdown
is freed while mini-racer's event-loop thread is already frozen, and the process could hang
after its last line of output (seen as ``simulator chat`` hanging after "bye"). A call to a botContext function the simulator does not
implement raises ``JsUnsupportedError``, which stops the scenario with the function's name.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import threading
import weakref
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from py_mini_racer import (
    JSEvalException,
    JSOOMException,
    JSTimeoutException,
    MiniRacer,
    mini_racer,
)

from simulator.js.context_api import IMPLEMENTED as IMPLEMENTED
from simulator.js.context_api import ContextApi
from simulator.js.context_api import JsUnsupportedError as JsUnsupportedError
from simulator.tenant.schema import ApiIntegration, BotTransferContext, ContextScope
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.bots.runtime import BotSession
    from simulator.cloud.cloud import Cloud
    from simulator.cloud.conversation import Conversation
    from simulator.context_store import ContextStore

PRELUDE = (Path(__file__).with_name("prelude.js")).read_text(encoding="utf-8")

#: Limits of one run of bot code.
DEFAULT_TIMEOUT_MS = 2000
DEFAULT_MAX_MEMORY = 64 * 1024 * 1024

#: Sent when code fails and the bot has no default user-friendly response.
SYSTEM_ERROR_TEXT = "Sorry, something went wrong. Please try again later."

_SCOPES = {
    "conversation": ContextScope.CONVERSATION,
    "consumer": ContextScope.CONSUMER,
    "global": ContextScope.GLOBAL,
}


_LOOP: asyncio.AbstractEventLoop | None = None
_LOOP_LOCK = threading.Lock()


def _shared_loop() -> asyncio.AbstractEventLoop:
    """One event-loop thread for every V8 context (mini-racer otherwise starts one each)."""
    global _LOOP
    with _LOOP_LOCK:
        if _LOOP is None or _LOOP.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="mini-racer", daemon=True).start()
            _LOOP = loop
        return _LOOP


@dataclass(eq=False)
class _Context:
    racer: MiniRacer
    owner: AbstractContextManager[MiniRacer]
    skills: list[str] = field(default_factory=list)
    closed: bool = False

    def __post_init__(self) -> None:
        _OPEN_CONTEXTS.add(self)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        _OPEN_CONTEXTS.discard(self)
        self.owner.__exit__(None, None, None)


#: Every V8 context not closed yet (weak: a context nobody holds is freed by the collector
#: while the process runs, which is safe; only the ones left at exit need ``close_all``).
_OPEN_CONTEXTS: weakref.WeakSet[_Context] = weakref.WeakSet()


def close_all() -> None:
    """Close every open V8 context while mini-racer's loop thread still runs (exit hook)."""
    for ctx in list(_OPEN_CONTEXTS):
        ctx.close()


atexit.register(close_all)


@dataclass
class _Outcome:
    messages: list[str] = field(default_factory=list)
    api: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


class JsRunner:
    """The cloud's ``code_runner``: runs one piece of bot code for one conversation."""

    def __init__(
        self,
        cloud: Cloud,
        context_store: ContextStore | None = None,
        *,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        max_memory: int = DEFAULT_MAX_MEMORY,
        install_hooks: bool = True,
        account_id: str = "sim-account",
    ) -> None:
        self.cloud = cloud
        self._store = context_store
        self.timeout_ms = timeout_ms
        self.max_memory = max_memory
        self.contexts: dict[tuple[str, str], _Context] = {}
        self.account_id = account_id
        self.api = ContextApi(self)
        if install_hooks:
            self._install_hooks()

    # -- public API -----------------------------------------------------------------------
    def run(
        self, conv: Conversation, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]:
        """Run ``code`` (a function body) and return the messages it asks the bot to send."""
        return self._execute(conv, session, code, phase, interaction).messages

    def transform(
        self,
        conv: Conversation,
        session: BotSession,
        integration: ApiIntegration,
        result: Any,
    ) -> Any:
        """Run an API integration's transform script on its result; return the new result."""
        if not integration.transform:
            return result
        api = {integration.name: result}
        if integration.response_variable:
            api[integration.response_variable] = result
        outcome = self._execute(
            conv,
            session,
            integration.transform,
            "transformResultsScript",
            f'integration "{integration.name}"',
            api=api,
        )
        for text in outcome.messages:
            self._log(
                conv,
                EntryKind.WARNING,
                f'{session.bot.name}: a transform script cannot send messages; dropped "{text}"',
            )
        for key in (integration.response_variable, integration.name):
            if key and key in outcome.api:
                return outcome.api[key]
        return result

    def close(self, conversation_id: str | None = None) -> None:
        """Free the V8 contexts of one conversation (or of all)."""
        for key in list(self.contexts):
            if conversation_id is None or key[0] == conversation_id:
                self.contexts.pop(key).close()

    @property
    def context_store(self) -> ContextStore | None:
        if self._store is not None:
            return self._store
        handler = self.cloud.context_handler
        owner = getattr(handler, "__self__", None)
        from simulator.context_store import ContextStore

        return owner if isinstance(owner, ContextStore) else None

    # -- hooks into the cloud -------------------------------------------------------------
    def joined(self, conv: Conversation, session: BotSession) -> None:
        """A bot joined a conversation: build its context now (runs __initConversation)."""
        self._context(conv, session)

    def _install_hooks(self) -> None:
        """Run __initConversation when a bot joins a conversation, transforms after API calls."""

        def joined(conv: Conversation, session: BotSession) -> None:
            if session.bot.definition.global_functions:
                self.joined(conv, session)

        def transform(
            conv: Conversation, session: BotSession, integration: ApiIntegration, result: Any
        ) -> Any:
            if not integration.transform:
                return result
            return self.transform(conv, session, integration, result)

        self.cloud.session_listeners.append(joined)
        self.cloud.api_transformer = transform

    # -- running --------------------------------------------------------------------------
    def _context(self, conv: Conversation, session: BotSession) -> _Context:
        key = (conv.id, session.bot.name)
        ctx = self.contexts.get(key)
        if ctx is not None:
            return ctx
        owner = mini_racer(_shared_loop())
        racer = owner.__enter__()
        racer.eval(PRELUDE)
        ctx = _Context(racer, owner)
        self.contexts[key] = ctx
        functions = session.bot.definition.global_functions
        if functions and functions.strip():
            self._execute(
                conv, session, functions, "global functions", "(bot start)", mode="global"
            )
        return ctx

    def _execute(
        self,
        conv: Conversation,
        session: BotSession,
        code: str,
        phase: str,
        where: str,
        *,
        api: dict[str, Any] | None = None,
        mode: str = "body",
    ) -> _Outcome:
        ctx = self._context(conv, session)
        state = self._state(conv, session, ctx, api)
        bot = session.bot.name
        try:
            raw = ctx.racer.call(
                "__sim.run",
                code,
                state,
                mode,
                timeout_sec=self.timeout_ms / 1000,
                max_memory=self.max_memory,
            )
            settled = _settle(ctx.racer, self.timeout_ms, self.max_memory)
        except (JSTimeoutException, JSOOMException) as exc:
            dropped = self.contexts.pop((conv.id, bot), None)
            if dropped is not None:
                dropped.close()
            limit = (
                f"ran longer than {self.timeout_ms} ms"
                if isinstance(exc, JSTimeoutException)
                else f"used more than {self.max_memory} bytes"
            )
            return self._failed(conv, session, phase, where, f"the code {limit} and was stopped")
        except JSEvalException as exc:
            return self._failed(conv, session, phase, where, str(exc).strip().splitlines()[0])
        result = json.loads(str(raw))
        result["effects"] = list(result["effects"]) + settled
        outcome = _Outcome()
        self._apply(conv, session, result["effects"], phase, where, outcome)
        error = result.get("error")
        if error:
            failed = self._failed(
                conv, session, phase, where, f"{error['name']}: {error['message']}"
            )
            outcome.messages.extend(failed.messages)
            outcome.failed = True
        return outcome

    def _failed(
        self, conv: Conversation, session: BotSession, phase: str, where: str, why: str
    ) -> _Outcome:
        bot = session.bot.name
        self._log(
            conv,
            EntryKind.ERROR,
            f'{bot}: JavaScript error in {phase} code of "{where}": {why}',
            bot=bot,
        )
        text = session.bot.definition.default_user_friendly_response or SYSTEM_ERROR_TEXT
        return _Outcome([text], failed=True)

    def _state(
        self,
        conv: Conversation,
        session: BotSession,
        ctx: _Context,
        api: dict[str, Any] | None,
    ) -> dict[str, Any]:
        if conv.skill_id is not None and (not ctx.skills or ctx.skills[-1] != conv.skill_id):
            ctx.skills.append(conv.skill_id)
        previous = ctx.skills[-2] if len(ctx.skills) > 1 else None
        results = dict(session.api_results)
        if api:
            results.update(api)
        state = {
            "now": self.cloud.clock.now().timestamp() * 1000,
            "vars": dict(session.variables),
            "api": _jsonable(results),
            "userMessage": session.last_user_message,
            "intent": session.current_intent,
            "conversationId": conv.id,
            "channel": conv.channel.value,
            "accountId": self.account_id,
            "consumerId": str(conv.consumer.get("id", "")),
            "currentSkillId": conv.skill_id,
            "previousSkillId": previous,
            "env": dict(session.bot.definition.environment),
            "context": self._context_snapshot(conv),
        }
        self.api.state(conv, session, state)
        return state

    def _context_snapshot(self, conv: Conversation) -> dict[str, dict[str, dict[str, Any]]]:
        store = self.context_store
        if store is None:
            return {}
        snapshot: dict[str, dict[str, dict[str, Any]]] = {}
        for name, namespace in store.namespaces.items():
            scopes: dict[str, dict[str, Any]] = {}
            for label, scope in _SCOPES.items():
                owner = store.owner(scope, conv)
                bucket = namespace.data.get((scope, owner), {})
                values = {k: store.get(name, scope, owner, k) for k in list(bucket)}
                scopes[label] = {k: v for k, v in values.items() if v is not None}
            snapshot[name] = scopes
        return snapshot

    # -- effects --------------------------------------------------------------------------
    def _apply(
        self,
        conv: Conversation,
        session: BotSession,
        effects: list[dict[str, Any]],
        phase: str,
        where: str,
        outcome: _Outcome,
    ) -> None:
        bot = session.bot.name
        why = f'{phase} code of "{where}"'
        for effect in effects:
            op = effect["op"]
            if self.api.apply(conv, session, effect, why, outcome.messages):
                continue
            if op == "set":
                session.set_variable(effect["name"], effect["value"], why)
            elif op == "api":
                session.api_results[effect["name"]] = effect["value"]
                outcome.api[effect["name"]] = effect["value"]
            elif op == "send":
                outcome.messages.append(effect["text"])
            elif op == "debug":
                self._log(conv, EntryKind.DIALOG, f"{bot} debug: {effect['text']}", bot=bot)
            elif op == "trigger":
                session.trigger_next_message = effect["name"]
                self._log(
                    conv,
                    EntryKind.DIALOG,
                    f'{bot} {why} called setTriggerNextMessage("{effect["name"]}")',
                    bot=bot,
                )
            elif op == "delay":
                self._log(
                    conv,
                    EntryKind.DIALOG,
                    f"{bot} {why} called setMessageDelay({effect['ms']:g})",
                    bot=bot,
                )
            elif op == "transfer":
                session._override_transfer(
                    BotTransferContext(
                        domain=effect.get("domain"),
                        intent=effect.get("intent"),
                        intent_id=effect.get("intent_id"),
                        message=effect.get("message"),
                    )
                )
            elif op.startswith("ctx_"):
                self._context_effect(conv, session, effect)

    def _context_effect(
        self, conv: Conversation, session: BotSession, effect: dict[str, Any]
    ) -> None:
        from simulator.context_store import ContextStoreError

        bot = session.bot.name
        store = self.context_store
        if store is None:
            self._log(
                conv,
                EntryKind.ERROR,
                f"{bot}: the Conversation Context Service is not available in this simulator",
            )
            return
        op = effect["op"]
        ns = effect["namespace"]
        try:
            if op == "ctx_register":
                ttl = effect.get("ttl")
                # JSON carries NaN and Infinity as null, which reads as "no TTL".
                try:
                    seconds = None if ttl is None else int(ttl)
                except (OverflowError, ValueError, TypeError):
                    seconds = 0
                if seconds is not None and (seconds <= 0 or seconds > 10**12):
                    shown = f"{ttl:.6g}" if isinstance(ttl, float) else repr(ttl)[:40]
                    raise ContextStoreError(
                        f'namespace "{ns}": a TTL must be a positive number of seconds'
                        f" (1 to 10^12), not {shown}"
                    )
                store.register(ns, seconds)
                text = f'{bot} registered namespace "{ns}"'
            elif op == "ctx_delete_namespace":
                store.delete_namespace(ns)
                text = f'{bot} deleted namespace "{ns}"'
            else:
                scope = _SCOPES[effect["scope"]]
                owner = store.owner(scope, conv)
                key = effect["key"]
                if op == "ctx_set":
                    store.set(ns, scope, owner, key, effect["value"])
                    text = (
                        f"{bot} stored {ns}.{key} = {json.dumps(effect['value'])} ({scope.value})"
                    )
                else:
                    store.delete(ns, scope, owner, key)
                    text = f"{bot} deleted {ns}.{key} ({scope.value})"
        except ContextStoreError as exc:
            conv.transcript.add(self.cloud.clock.now(), EntryKind.ERROR, "context", f"{bot}: {exc}")
            return
        conv.transcript.add(self.cloud.clock.now(), EntryKind.CONTEXT, "context", text)

    def _log(self, conv: Conversation, kind: EntryKind, text: str, **details: Any) -> None:
        self.cloud.log(conv, kind, text, **details)


def _settle(racer: MiniRacer, timeout_ms: int, max_memory: int) -> list[Any]:
    """What the run's microtasks recorded (Promise callbacks, async functions after an await).

    V8 runs them as soon as ``__sim.run`` returns, before this second call starts; collecting
    them here delivers their messages in the same interaction, as the platform does, instead of
    losing them. A microtask that never ends shows up as this call's timeout."""
    raw = racer.call("__sim.settle", timeout_sec=timeout_ms / 1000, max_memory=max_memory)
    return list(json.loads(str(raw))["effects"])


def _jsonable(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return {}
