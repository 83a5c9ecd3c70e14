"""The per-conversation transcript: the record a failing scenario prints and users diff.

Every entry carries its virtual time, who acted and why, so a transcript alone explains a
conversation: which dialog started and by which pattern or intent level, which variables
changed, where routing sent the conversation. Rendering is deterministic text or JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
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


@dataclass(slots=True)
class Entry:
    """One line of a transcript. Treat it as immutable: the indexes below assume entries never
    change once added. Not ``frozen``: a frozen dataclass sets each field through
    ``object.__setattr__``, four times the cost of this plain ``__init__``, and the engine
    makes three entries per consumer message."""

    at: datetime
    elapsed_ms: int
    kind: EntryKind
    actor: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)

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
            "details": self.details,
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
    """

    def __init__(self, conversation_id: str, start: datetime) -> None:
        self.conversation_id = conversation_id
        self.start = start
        self.entries: list[Entry] = []
        self._index: _Index | None = None
        self._rendered: list[str] = []  # rendered lines of entries[: len(_rendered)]
        self._searched: dict[str, int] = {}  # text -> lines searched so far, -1 once found
        self._dialog_searched: dict[tuple[str, str], int] = {}
        # The instant of the last entry and its offset: a turn adds several entries at the
        # same instant, and the offset costs a subtraction, a division and a rounding.
        self._last_at = start
        self._last_elapsed = 0

    def add(self, at: datetime, kind: EntryKind, actor: str, text: str, **details: Any) -> Entry:
        return self.append(at, kind, actor, text, details)

    def append(
        self, at: datetime, kind: EntryKind, actor: str, text: str, details: dict[str, Any]
    ) -> Entry:
        """``add`` with the details as a dict the entry may keep (None values are dropped):
        callers that already hold one skip building it again from keywords."""
        if details and None in details.values():
            details = {k: v for k, v in details.items() if v is not None}
        if at is self._last_at:
            elapsed = self._last_elapsed
        else:
            elapsed = round((at - self.start).total_seconds() * 1000)
            self._last_at = at
            self._last_elapsed = elapsed
        entry = Entry(at, elapsed, kind, actor, text, details)
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
        start = self._dialog_searched.get(key, 0)
        if start < 0:
            return True
        entries = self._indexed().dialogs.get(dialog, [])
        EXAMINED.entries += len(entries) - start
        found = any(needle in e.text for e in entries[start:])
        self._dialog_searched[key] = -1 if found else len(entries)
        return found

    def _lines(self) -> list[str]:
        for entry in self.entries[len(self._rendered) :]:
            self._rendered.append(entry.render())
        return self._rendered

    def contains_text(self, text: str) -> bool:
        """Whether the rendered transcript contains ``text``; repeated asks only read new lines.

        Without a newline in ``text``, an occurrence lies within one rendered line, and an
        append-only transcript never loses one, so a per-text cursor is exact.
        """
        if "\n" in text:
            EXAMINED.entries += len(self.entries)
            return text in self.render()
        lines = self._lines()
        start = self._searched.get(text, 0)
        if start < 0:
            return True
        EXAMINED.entries += len(lines) - start
        found = any(text in line for line in lines[start:])
        self._searched[text] = -1 if found else len(lines)
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
