"""Deterministic fault injection: the platform misbehaves exactly when a scenario says (F1-F4).

Faults are consumed in order, per skill, so "the next 2 transfers to skill 101 fail" means the
next two attempts and nothing else. The chaos profile draws from the scenario's seeded generator
so a soak run fails the same attempts every time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    FAIL = "fail"  # the transfer fails asynchronously (F1)
    DROP = "drop"  # the chat server drops the escalation: no response (F4)
    API_ERROR = "api_error"  # the transfer API call itself fails at once


@dataclass
class Fault:
    kind: FaultKind
    delay_ms: int = 0


ANY_SKILL = "*"


@dataclass
class _Run:
    """``remaining`` consecutive copies of one fault: "the next 10000000 transfers fail" is a
    number, so storing it costs the same as "the next transfer fails"."""

    fault: Fault
    remaining: int


@dataclass
class FaultPlan:
    by_skill: dict[str, deque[_Run]] = field(default_factory=dict)
    unresponsive_bots: set[str] = field(default_factory=set)

    def add(self, skill_id: str, fault: Fault, count: int = 1) -> None:
        """Queue ``count`` copies of ``fault`` for ``skill_id`` after those already queued."""
        if count <= 0:
            return
        queue = self.by_skill.setdefault(skill_id, deque())
        template = Fault(fault.kind, fault.delay_ms)  # later edits to ``fault`` do not leak in
        if queue and queue[-1].fault == template:
            queue[-1].remaining += count
        else:
            queue.append(_Run(template, count))

    def pending(self, skill_id: str) -> int:
        """How many faults are still queued for exactly this skill id (ANY_SKILL is its own)."""
        return sum(run.remaining for run in self.by_skill.get(skill_id, ()))

    def take(self, skill_id: str) -> Fault | None:
        """The next fault for this skill: its own queue first, then the ANY_SKILL queue."""
        for key in (skill_id, ANY_SKILL):
            queue = self.by_skill.get(key)
            if queue:
                run = queue[0]
                run.remaining -= 1
                if run.remaining == 0:
                    queue.popleft()
                return Fault(run.fault.kind, run.fault.delay_ms)
        return None
