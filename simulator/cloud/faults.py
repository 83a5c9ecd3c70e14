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
class FaultPlan:
    by_skill: dict[str, deque[Fault]] = field(default_factory=dict)
    unresponsive_bots: set[str] = field(default_factory=set)

    def add(self, skill_id: str, fault: Fault, count: int = 1) -> None:
        queue = self.by_skill.setdefault(skill_id, deque())
        for _ in range(count):
            queue.append(Fault(fault.kind, fault.delay_ms))

    def take(self, skill_id: str) -> Fault | None:
        for key in (skill_id, ANY_SKILL):
            queue = self.by_skill.get(key)
            if queue:
                return queue.popleft()
        return None
