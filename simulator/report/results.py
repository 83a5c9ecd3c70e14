"""The results an HTML report is drawn from: scenarios, steps, conversations and entries as
plain dataclasses that round-trip through JSON (the pytest plugin stores them between runs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

#: Outcomes of a scenario, in the order the summary lists them.
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
#: Statuses of a step.
STEP_STATUSES = ("passed", "failed", "not run")

_ALERT_KINDS = frozenset({"warning", "error"})


def format_ms(elapsed_ms: int) -> str:
    """Virtual time since the scenario started, as HH:MM:SS.mmm (hours may exceed 24)."""
    sign = "-" if elapsed_ms < 0 else ""
    hours, rest = divmod(abs(elapsed_ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _json_safe(value: Any) -> Any:
    result: Any = json.loads(json.dumps(value, default=str, sort_keys=True))
    return result


# -- the model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    """One transcript entry (see ``simulator.transcript.Entry``), JSON-safe."""

    elapsed_ms: int
    kind: str
    actor: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def note(self) -> str:
        note = self.details.get("note")
        return str(note) if note else ""

    @property
    def is_late(self) -> bool:
        return "late" in self.note.lower()

    @property
    def is_order_dependent(self) -> bool:
        return self.kind == "warning" and (
            "candidates" in self.details or "order-dependent" in self.text
        )

    @property
    def is_alert(self) -> bool:
        """A warning of the report. Faults the scenario injected on purpose are not."""
        return self.kind in _ALERT_KINDS or self.is_late

    @property
    def is_failed_transfer(self) -> bool:
        """A transfer entry that records an escalation that did not happen (F1, F3, T2, S1)."""
        text = self.text
        return self.kind == "transfer" and ("escalation failed" in text or ": no transfer" in text)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EntryResult:
        return cls(
            elapsed_ms=int(data["elapsed_ms"]),
            kind=str(data["kind"]),
            actor=str(data.get("actor", "")),
            text=str(data.get("text", "")),
            details=dict(data.get("details") or {}),
        )


@dataclass(frozen=True)
class ConversationResult:
    id: str
    channel: str
    entries: list[EntryResult] = field(default_factory=list)

    @classmethod
    def from_conversation(cls, conversation: Any) -> ConversationResult:
        """From a ``simulator.cloud.conversation.Conversation`` (duck-typed: ``id``,
        ``channel``, ``transcript.entries``)."""
        channel = getattr(conversation.channel, "value", conversation.channel)
        entries = [
            EntryResult(
                elapsed_ms=int(e.elapsed_ms),
                kind=str(getattr(e.kind, "value", e.kind)),
                actor=str(e.actor),
                text=str(e.text),
                details=_json_safe(dict(e.details)),
            )
            for e in conversation.transcript.entries
        ]
        return cls(id=str(conversation.id), channel=str(channel), entries=entries)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationResult:
        return cls(
            id=str(data["id"]),
            channel=str(data.get("channel", "")),
            entries=[EntryResult.from_dict(e) for e in data.get("entries", [])],
        )


@dataclass
class StepResult:
    keyword: str
    name: str
    line: int = 0
    status: str = "not run"  # one of STEP_STATUSES
    message: str = ""
    background: bool = False
    docstring: str | None = None
    datatable: list[list[str]] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StepResult:
        table = data.get("datatable")
        return cls(
            keyword=str(data.get("keyword", "")),
            name=str(data.get("name", "")),
            line=int(data.get("line", 0)),
            status=str(data.get("status", "not run")),
            message=str(data.get("message", "")),
            background=bool(data.get("background", False)),
            docstring=None if data.get("docstring") is None else str(data["docstring"]),
            datatable=None if table is None else [[str(c) for c in row] for row in table],
        )


@dataclass
class ScenarioResult:
    feature: str
    name: str
    outcome: str = "passed"  # one of OUTCOMES
    nodeid: str = ""
    feature_file: str = ""
    line: int = 0
    tags: list[str] = field(default_factory=list)
    message: str = ""  # the failure (or skip) message, short
    longrepr: str = ""  # pytest's full failure report
    steps: list[StepResult] = field(default_factory=list)
    conversations: list[ConversationResult] = field(default_factory=list)
    seed: int | None = None
    example: dict[str, str] = field(default_factory=dict)

    @property
    def alerts(self) -> int:
        return sum(1 for c in self.conversations for e in c.entries if e.is_alert)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.feature_file, self.line, self.nodeid)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> ScenarioResult:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScenarioResult:
        seed = data.get("seed")
        return cls(
            feature=str(data.get("feature", "")),
            name=str(data.get("name", "")),
            outcome=str(data.get("outcome", "passed")),
            nodeid=str(data.get("nodeid", "")),
            feature_file=str(data.get("feature_file", "")),
            line=int(data.get("line", 0)),
            tags=[str(t) for t in data.get("tags", [])],
            message=str(data.get("message", "")),
            longrepr=str(data.get("longrepr", "")),
            steps=[StepResult.from_dict(s) for s in data.get("steps", [])],
            conversations=[ConversationResult.from_dict(c) for c in data.get("conversations", [])],
            seed=None if seed is None else int(seed),
            example={str(k): str(v) for k, v in (data.get("example") or {}).items()},
        )
