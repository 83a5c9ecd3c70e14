"""The Conversation Context Service: data bots share across transfers (T8).

Bots never see each other's variables; this store is the sanctioned way to pass data. Values
live in namespaces, scoped to a conversation, a consumer or the whole account, and expire on the
virtual clock.

Readings (the public pages leave these open, so they are settings of the class): a namespace
name is 1-64 letters, digits, ``_`` or ``-``; names starting with ``__`` are reserved for the
platform; one namespace holds at most ``MAX_NAMESPACE_BYTES`` of JSON per scope key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from simulator.clock import VirtualClock
from simulator.errors import StepError, UserError, did_you_mean
from simulator.tenant.schema import ContextOperation, ContextScope
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.bots.runtime import BotSession
    from simulator.cloud.conversation import Conversation

NAMESPACE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
RESERVED_PREFIX = "__"
MAX_NAMESPACE_BYTES = 100_000


class ContextStoreError(UserError):
    """A Context Service call the real service would reject."""


@dataclass
class _Value:
    value: Any
    expires: datetime | None


@dataclass
class _Namespace:
    ttl: timedelta | None
    data: dict[tuple[ContextScope, str], dict[str, _Value]] = field(default_factory=dict)


class ContextStore:
    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.namespaces: dict[str, _Namespace] = {}

    @staticmethod
    def check_name(namespace: str) -> None:
        if not NAMESPACE_NAME.match(namespace):
            raise ContextStoreError(
                f'namespace "{namespace}" is not valid: use 1-64 letters, digits, "_" or "-"'
            )
        if namespace.startswith(RESERVED_PREFIX):
            raise ContextStoreError(f'namespace "{namespace}" is reserved (names starting "__")')

    @staticmethod
    def _ttl(ttl_seconds: int | None) -> timedelta | None:
        """A TTL as a duration; one that does not fit a duration is a clear error."""
        if not ttl_seconds:
            return None
        try:
            return timedelta(seconds=ttl_seconds)
        except (OverflowError, ValueError, TypeError):
            raise ContextStoreError(
                f"a TTL of {ttl_seconds} seconds is too long for the virtual calendar"
            ) from None

    def _expiry(self, ttl: timedelta | None) -> datetime | None:
        if ttl is None:
            return None
        try:
            return self.clock.now() + ttl
        except OverflowError:
            raise ContextStoreError(
                f"a TTL of {ttl.total_seconds():.0f} seconds would expire after the end of the"
                " virtual calendar (year 9999)"
            ) from None

    def register(self, namespace: str, ttl_seconds: int | None = None) -> None:
        self.check_name(namespace)
        ttl = self._ttl(ttl_seconds)
        self.namespaces.setdefault(namespace, _Namespace(ttl))

    def delete_namespace(self, namespace: str) -> None:
        self.namespaces.pop(namespace, None)

    def _ns(self, namespace: str) -> _Namespace:
        ns = self.namespaces.get(namespace)
        if ns is None:
            raise ContextStoreError(
                f'namespace "{namespace}" is not registered: {did_you_mean(namespace, self.namespaces)}'
            )
        return ns

    def set(
        self,
        namespace: str,
        scope: ContextScope,
        owner: str,
        key: str,
        value: Any,
        ttl_seconds: int | None = None,
    ) -> None:
        ns = self._ns(namespace)
        bucket = ns.data.setdefault((scope, owner), {})
        ttl = self._ttl(ttl_seconds) or ns.ttl
        bucket[key] = _Value(value, self._expiry(ttl))
        size = len(json.dumps({k: v.value for k, v in bucket.items()}, default=str))
        if size > MAX_NAMESPACE_BYTES:
            del bucket[key]
            raise ContextStoreError(
                f'namespace "{namespace}" would hold {size} bytes for this {scope.value};'
                f" the limit is {MAX_NAMESPACE_BYTES}"
            )

    def get(self, namespace: str, scope: ContextScope, owner: str, key: str) -> Any:
        ns = self._ns(namespace)
        item = ns.data.get((scope, owner), {}).get(key)
        if item is None:
            return None
        if item.expires is not None and self.clock.now() >= item.expires:
            del ns.data[(scope, owner)][key]
            return None
        return item.value

    def delete(self, namespace: str, scope: ContextScope, owner: str, key: str) -> None:
        self._ns(namespace).data.get((scope, owner), {}).pop(key, None)

    @staticmethod
    def owner(scope: ContextScope, conv: Conversation) -> str:
        if scope is ContextScope.CONVERSATION:
            return conv.id
        if scope is ContextScope.CONSUMER:
            return str(conv.consumer.get("id", ""))
        return ""

    def bot_operation(self, conv: Conversation, session: BotSession, op: ContextOperation) -> None:
        """Run one operation declared in a fixture, as bot code would."""
        who = session.bot.name
        owner = self.owner(op.scope, conv)
        log = conv.transcript.add
        try:
            if op.op == "register":
                self.register(op.namespace, op.ttl_seconds)
                text = f'{who} registered namespace "{op.namespace}"'
            elif op.op == "delete_namespace":
                self.delete_namespace(op.namespace)
                text = f'{who} deleted namespace "{op.namespace}"'
            elif op.op == "set":
                if op.key is None:
                    raise StepError("a context set needs a key")
                value = session.render(op.value or "", "context store")
                self.set(op.namespace, op.scope, owner, op.key, value, op.ttl_seconds)
                text = f'{who} stored {op.namespace}.{op.key} = "{value}" ({op.scope.value})'
            elif op.op == "get":
                if op.key is None:
                    raise StepError("a context get needs a key")
                value = self.get(op.namespace, op.scope, owner, op.key)
                text = f"{who} read {op.namespace}.{op.key} ({op.scope.value}) = {value!r}"
                if op.variable:
                    session.set_variable(
                        op.variable, "" if value is None else str(value), "context store"
                    )
            else:
                if op.key is None:
                    raise StepError("a context delete needs a key")
                self.delete(op.namespace, op.scope, owner, op.key)
                text = f"{who} deleted {op.namespace}.{op.key} ({op.scope.value})"
        except ContextStoreError as exc:
            log(self.clock.now(), EntryKind.ERROR, "context", f"{who}: {exc}")
            return
        log(self.clock.now(), EntryKind.CONTEXT, "context", text)
