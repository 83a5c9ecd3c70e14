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


#: Kinds whose text the consumer actually sees.
VISIBLE = frozenset({EntryKind.BOT, EntryKind.AGENT})


@dataclass(frozen=True)
class Entry:
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


class Transcript:
    """Append-only list of entries of one conversation."""

    def __init__(self, conversation_id: str, start: datetime) -> None:
        self.conversation_id = conversation_id
        self.start = start
        self.entries: list[Entry] = []

    def add(self, at: datetime, kind: EntryKind, actor: str, text: str, **details: Any) -> Entry:
        elapsed = round((at - self.start).total_seconds() * 1000)
        entry = Entry(
            at, elapsed, kind, actor, text, {k: v for k, v in details.items() if v is not None}
        )
        self.entries.append(entry)
        return entry

    def of_kind(self, *kinds: EntryKind) -> list[Entry]:
        return [e for e in self.entries if e.kind in kinds]

    def visible(self) -> list[Entry]:
        return [e for e in self.entries if e.visible]

    def render(self) -> str:
        return "\n".join(e.render() for e in self.entries)

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
