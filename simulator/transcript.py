"""The per-conversation transcript: the record a failing scenario prints and users diff.

Every entry carries its virtual time, who acted and why, so a transcript alone explains a
conversation: which dialog started and by which pattern or intent level, which variables
changed, where routing sent the conversation. Rendering is deterministic text or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from simulator.clock import format_elapsed
from simulator.rich import Content, render_lines


class EntryKind(StrEnum):
    CONVERSATION = "conversation"  # opened, closed, channel
    CONSUMER = "consumer"  # a message the consumer typed
    BOT = "bot"  # a bot message delivered to the consumer
    AGENT = "agent"  # a human agent's message
    PLATFORM = "platform"  # a message the platform sends, e.g. __agent_escalation_failed__
    DIALOG = "dialog"  # a dialog started or ended, and why
    VARIABLE = "variable"  # a bot variable changed
    ROUTING = "routing"  # where the conversation goes, queues, assignment
    TRANSFER = "transfer"  # escalations and their outcomes
    FAULT = "fault"  # an injected fault took effect
    WARNING = "warning"  # late messages, missing variables, order-dependent routing
    ERROR = "error"  # bot code failed, unsupported interaction reached
    CONTEXT = "context"  # Conversation Context Service operations


#: Each kind's value, the default actor of a logged entry (``EntryKind.value`` is a property
#: of the enum machinery, several times dearer than this look-up).
KIND_VALUES: dict[EntryKind, str] = {kind: kind.value for kind in EntryKind}

#: Kinds whose text the consumer actually sees.
VISIBLE = frozenset({EntryKind.BOT, EntryKind.AGENT})


#: The details of an entry that has none, shared by all of them (read-only, so sharing is safe).
NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


class _Shared:
    """Texts and details that many entries repeat, stored once (a bounded intern table).

    Most entries of a load test's conversations are equal across conversations ('Routing
    started "Welcome" (pattern ...)', ``{"bot": "Routing"}``), yet each was formatted into a new
    string and a new dict. Entries keep the first equal value seen instead; the table forgets
    everything when full, so unique texts (names, numbers) cannot grow it without bound. Only
    details whose values are all strings are shared (as read-only mappings): ``True`` and ``1``
    are equal keys, and lists or dicts are not hashable. Sharing equal immutable values changes
    no output, so transcripts stay byte-identical.
    """

    __slots__ = ("details", "details_limit", "limit", "texts")

    def __init__(self, limit: int, details_limit: int) -> None:
        self.limit = limit
        # Smaller: a details key (a tuple of pairs) costs several times a text's table slot.
        self.details_limit = details_limit
        self.texts: dict[str, str] = {}
        self.details: dict[tuple[tuple[str, Any], ...], Mapping[str, Any]] = {}

    def text(self, text: str) -> str:
        texts = self.texts
        found = texts.get(text)
        if found is not None:
            return found
        if len(texts) >= self.limit:
            texts.clear()
        texts[text] = text
        return text

    def mapping(self, details: dict[str, Any]) -> Mapping[str, Any]:
        for value in details.values():
            if value.__class__ is not str:
                return details
        key = tuple(details.items())
        table = self.details
        found = table.get(key)
        if found is None:
            if len(table) >= self.details_limit:
                table.clear()
            found = table[key] = MappingProxyType(details)
        return found


_SHARED = _Shared(4096, 512)


@dataclass(slots=True)
class Entry:
    """One line of a transcript. Treat it as immutable: the indexes below assume entries never
    change once added, and entries share ``NO_DETAILS`` and interned texts.

    Slotted, because a conversation holds ten or more entries and a load test holds 100,000
    conversations (a per-entry ``__dict__`` and an empty dict each were a fifth of a
    conversation's memory). Not ``frozen``: a frozen dataclass sets each field through
    ``object.__setattr__``, four times the cost of this plain ``__init__``, and the engine makes
    three entries per consumer message."""

    at: datetime
    elapsed_ms: int
    kind: EntryKind
    actor: str
    text: str
    details: Mapping[str, Any]

    @property
    def visible(self) -> bool:
        return self.kind in VISIBLE

    def render(self) -> str:
        from datetime import timedelta

        stamp = format_elapsed(timedelta(milliseconds=self.elapsed_ms))
        if self.kind in (EntryKind.BOT, EntryKind.AGENT):
            # A rich message without text (a card, an image) has nothing after the colon.
            line = f"{stamp}  {self.actor}:" + (f" {self.text}" if self.text else "")
        elif self.kind is EntryKind.CONSUMER:
            line = f"{stamp}  consumer: {self.text}"
        else:
            line = f"{stamp}  [{self.kind.value}] {self.text}"
        note = self.details.get("note")
        if note:
            line += f"  [{note}]"
        content = self.details.get("content")
        if isinstance(content, dict):
            # Rich content (R2): its structure, or the text version a text-only channel sent.
            version = self.details.get("text_version")
            for extra in render_lines(
                self.text, content, version if isinstance(version, str) else None
            ):
                line += "\n" + extra
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "elapsed_ms": self.elapsed_ms,
            "kind": self.kind.value,
            "actor": self.actor,
            "text": self.text,
            "details": dict(self.details),
        }


class ExaminedCounter:
    """Counts entries that Then-step queries look at (for operation-count regression tests).

    A step whose count grows with the length of the conversation is what makes a long
    scenario quadratic; tests/perf_counts bounds this number instead of timing anything.
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries = 0


EXAMINED = ExaminedCounter()


class _Index:
    """What Then steps ask about a transcript, brought up to date only when asked."""

    def __init__(self) -> None:
        self.done = 0  # entries[:done] are indexed
        self.consumer_count = 0
        self.since_consumer: list[Entry] = []  # visible entries after the last consumer one
        self.by_kind: dict[EntryKind, list[int]] = {}
        self.visible_texts: set[str] = set()
        self.dialogs: dict[str, list[Entry]] = {}
        self.dialog_keys: set[tuple[str, str | None]] = set()

    def catch_up(self, entries: list[Entry]) -> None:
        new = entries[self.done :]
        EXAMINED.entries += len(new)
        for position, entry in enumerate(new, self.done):
            kind = entry.kind
            self.by_kind.setdefault(kind, []).append(position)
            if kind is EntryKind.CONSUMER:
                self.consumer_count += 1
                self.since_consumer = []
            elif kind in VISIBLE:
                self.since_consumer.append(entry)
                self.visible_texts.add(entry.text)
            elif kind is EntryKind.DIALOG and "dialog" in entry.details:
                dialog = entry.details["dialog"]
                self.dialogs.setdefault(dialog, []).append(entry)
                self.dialog_keys.update(((dialog, None), (dialog, entry.details.get("bot"))))
        self.done += len(new)


class Transcript:
    """Append-only list of entries of one conversation, with indexes for the Then steps.

    Then steps ask the same few questions after every turn (what arrived since the consumer's
    last message, was this text ever shown, did this dialog start); answering them from
    indexes instead of re-reading ``entries`` keeps turn 10,000 as cheap as turn 10. The
    indexes read only the entries added since the last question, so ``add`` (the engine's hot
    path) pays nothing for them. ``entries`` must only grow through ``add``.

    Slotted, and the indexes, rendered lines and search cursors are made on first use: most
    conversations of a load test are never queried, and those empty containers were ~400
    bytes of each.
    """

    __slots__ = (
        "_dialog_searched",
        "_index",
        "_last_at",
        "_last_elapsed",
        "_rendered",
        "_searched",
        "conversation_id",
        "entries",
        "start",
    )

    def __init__(self, conversation_id: str, start: datetime) -> None:
        self.conversation_id = conversation_id
        self.start = start
        self.entries: list[Entry] = []
        self._index: _Index | None = None
        self._rendered: list[str] | None = None  # rendered lines of entries[: len(_rendered)]
        #: text -> lines searched so far, -1 once found
        self._searched: dict[str, int] | None = None
        self._dialog_searched: dict[tuple[str, str], int] | None = None
        # The instant of the last entry and its offset: a turn adds several entries at the
        # same instant, and they share one int instead of computing and keeping one each.
        self._last_at = start
        self._last_elapsed = 0

    def add(self, at: datetime, kind: EntryKind, actor: str, text: str, **details: Any) -> Entry:
        return self.append(at, kind, actor, text, details)

    def append(
        self, at: datetime, kind: EntryKind, actor: str, text: str, details: dict[str, Any]
    ) -> Entry:
        """``add`` with the details as a dict the transcript may keep (None values dropped).

        Equal texts and all-string details are stored once, and no details as the shared
        ``NO_DETAILS`` (see ``_Shared``).
        """
        if details and None in details.values():
            details = {k: v for k, v in details.items() if v is not None}
        if at is self._last_at:
            elapsed = self._last_elapsed
        else:
            elapsed = round((at - self.start).total_seconds() * 1000)
            self._last_at = at
            self._last_elapsed = elapsed
        shared = _SHARED
        entry = Entry(
            at,
            elapsed,
            kind,
            actor,
            shared.text(text),
            shared.mapping(details) if details else NO_DETAILS,
        )
        self.entries.append(entry)
        return entry

    def _indexed(self) -> _Index:
        index = self._index
        if index is None:
            index = self._index = _Index()
        if index.done < len(self.entries):
            index.catch_up(self.entries)
        return index

    @property
    def consumer_count(self) -> int:
        """How many consumer messages the transcript holds."""
        return self._indexed().consumer_count

    def of_kind(self, *kinds: EntryKind) -> list[Entry]:
        """Entries of these kinds in transcript order; costs the number returned."""
        index = self._indexed()
        lists = [index.by_kind.get(k, []) for k in dict.fromkeys(kinds)]
        positions = lists[0] if len(lists) == 1 else sorted(i for ids in lists for i in ids)
        EXAMINED.entries += len(positions)
        return [self.entries[i] for i in positions]

    def visible(self) -> list[Entry]:
        return self.of_kind(*VISIBLE)

    def last_of_kind(self, kind: EntryKind) -> Entry | None:
        """The latest entry of this kind (e.g. the consumer's last message), in O(1)."""
        positions = self._indexed().by_kind.get(kind)
        EXAMINED.entries += 1
        return self.entries[positions[-1]] if positions else None

    def visible_since_consumer(self) -> list[Entry]:
        """Bot and agent messages since the consumer's last message (or the start)."""
        since = self._indexed().since_consumer
        EXAMINED.entries += len(since)
        return list(since)

    def has_visible_text(self, text: str) -> bool:
        """Whether any bot or agent message so far had exactly this text."""
        EXAMINED.entries += 1
        return text in self._indexed().visible_texts

    def dialog_starts(self) -> list[Entry]:
        """Every dialog entry that names a dialog, in order (for failure messages)."""
        return [e for e in self.of_kind(EntryKind.DIALOG) if "dialog" in e.details]

    def dialog_started(self, dialog: str, bot: str | None = None) -> bool:
        """Whether ``dialog`` started (in ``bot``, when given) at some point so far."""
        EXAMINED.entries += 1
        return (dialog, bot) in self._indexed().dialog_keys

    def dialog_reason_contains(self, dialog: str, needle: str) -> bool:
        """Whether some start of ``dialog`` has ``needle`` in its text (its reason).

        Same per-query cursor as ``contains_text``: asking again reads only new starts.
        """
        key = (dialog, needle)
        searched = self._dialog_searched
        if searched is None:
            searched = self._dialog_searched = {}
        start = searched.get(key, 0)
        if start < 0:
            return True
        entries = self._indexed().dialogs.get(dialog, [])
        EXAMINED.entries += len(entries) - start
        found = any(needle in e.text for e in entries[start:])
        searched[key] = -1 if found else len(entries)
        return found

    def _lines(self) -> list[str]:
        rendered = self._rendered
        if rendered is None:
            rendered = self._rendered = []
        for entry in self.entries[len(rendered) :]:
            rendered.append(entry.render())
        return rendered

    def contains_text(self, text: str) -> bool:
        """Whether the rendered transcript contains ``text``; repeated asks only read new lines.

        Without a newline in ``text``, an occurrence lies within one rendered line, and an
        append-only transcript never loses one, so a per-text cursor is exact.
        """
        if "\n" in text:
            EXAMINED.entries += len(self.entries)
            return text in self.render()
        lines = self._lines()
        searched = self._searched
        if searched is None:
            searched = self._searched = {}
        start = searched.get(text, 0)
        if start < 0:
            return True
        EXAMINED.entries += len(lines) - start
        found = any(text in line for line in lines[start:])
        searched[text] = -1 if found else len(lines)
        return found

    def render(self) -> str:
        return "\n".join(self._lines())

    def last_offer(self) -> Content | None:
        """The rich content of the latest bot message that offers choices (R1, R2): what the
        consumer can tap now (earlier choices count as scrolled away)."""
        for entry in reversed(self.entries):
            if entry.kind is not EntryKind.BOT:
                continue
            raw = entry.details.get("content")
            if isinstance(raw, dict):
                content = Content.from_json(raw)
                if content.offered():
                    return content
        return None

    def to_json(self) -> str:
        return json.dumps(
            {"conversation": self.conversation_id, "entries": [e.to_json() for e in self.entries]},
            indent=2,
            sort_keys=True,
        )
