"""FaultPlan stores "the next N attempts fail" as a count, not N objects (issue 11 §3)."""

from __future__ import annotations

from simulator.cloud.faults import ANY_SKILL, Fault, FaultKind, FaultPlan


def _kinds(plan: FaultPlan, skill: str, n: int) -> list[str | None]:
    out: list[str | None] = []
    for _ in range(n):
        fault = plan.take(skill)
        out.append(None if fault is None else f"{fault.kind.value}:{fault.delay_ms}")
    return out


def test_ten_million_faults_are_one_run() -> None:
    plan = FaultPlan()
    plan.add("101", Fault(FaultKind.FAIL), 10**7)
    assert len(plan.by_skill["101"]) == 1
    assert plan.pending("101") == 10**7
    assert plan.take("101") == Fault(FaultKind.FAIL)
    assert plan.pending("101") == 10**7 - 1
    assert len(plan.by_skill["101"]) == 1


def test_runs_are_consumed_in_order_per_skill_then_any_skill() -> None:
    plan = FaultPlan()
    plan.add("101", Fault(FaultKind.FAIL, 5), 2)
    plan.add(ANY_SKILL, Fault(FaultKind.API_ERROR), 1)
    plan.add("101", Fault(FaultKind.DROP), 1)
    plan.add("101", Fault(FaultKind.DROP), 1)  # merges with the run before it
    plan.add("202", Fault(FaultKind.DROP), 0)  # nothing queued
    assert len(plan.by_skill["101"]) == 2
    assert _kinds(plan, "202", 1) == ["api_error:0"]
    assert _kinds(plan, "101", 5) == ["fail:5", "fail:5", "drop:0", "drop:0", None]
    assert plan.pending("202") == 0


def test_taken_faults_are_independent_copies() -> None:
    plan = FaultPlan()
    original = Fault(FaultKind.FAIL, 10)
    plan.add("1", original, 3)
    original.delay_ms = 99  # the caller's object does not alter what was queued
    first = plan.take("1")
    assert first is not None
    first.delay_ms = 7  # nor does editing a taken fault alter the rest
    assert _kinds(plan, "1", 3) == ["fail:10", "fail:10", None]
