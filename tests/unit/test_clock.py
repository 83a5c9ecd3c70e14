from datetime import timedelta

import pytest

from simulator.clock import VirtualClock, format_elapsed, parse_duration, parse_offset
from simulator.errors import RunawayError, StepError


def test_events_run_in_time_then_insertion_order() -> None:
    clock = VirtualClock()
    seen: list[str] = []
    clock.call_later(timedelta(seconds=2), lambda: seen.append("b"))
    clock.call_later(timedelta(seconds=1), lambda: seen.append("a"))
    clock.call_later(timedelta(seconds=2), lambda: seen.append("c"))
    clock.advance(timedelta(seconds=1))
    assert seen == ["a"]
    clock.advance(timedelta(seconds=5))
    assert seen == ["a", "b", "c"]
    assert clock.elapsed() == timedelta(seconds=6)


def test_an_event_exactly_at_the_target_runs_and_one_after_does_not() -> None:
    clock = VirtualClock()
    seen: list[int] = []
    clock.call_later(timedelta(minutes=3), lambda: seen.append(1))
    clock.call_later(timedelta(minutes=3, milliseconds=1), lambda: seen.append(2))
    clock.advance(timedelta(minutes=3))
    assert seen == [1]
    clock.advance(timedelta(milliseconds=1))
    assert seen == [1, 2]


def test_events_scheduled_by_events_run_when_due() -> None:
    clock = VirtualClock()
    seen: list[timedelta] = []

    def tick() -> None:
        seen.append(clock.elapsed())
        if len(seen) < 3:
            clock.call_later(timedelta(minutes=1), tick)

    clock.call_later(timedelta(minutes=1), tick)
    clock.advance(timedelta(days=90))
    assert seen == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=3)]


def test_settle_runs_answers_but_leaves_later_timers() -> None:
    clock = VirtualClock()
    seen: list[str] = []
    clock.call_later(timedelta(minutes=3), lambda: seen.append("timeout"), settles=False)
    clock.call_later(timedelta(seconds=1), lambda: seen.append("reply"))
    clock.run_until_settled()
    assert seen == ["reply"]
    assert clock.elapsed() == timedelta(seconds=1)
    clock.run_until_settled()
    assert seen == ["reply"]


def test_cancelled_events_do_not_run() -> None:
    clock = VirtualClock()
    seen: list[int] = []
    event = clock.call_later(timedelta(seconds=1), lambda: seen.append(1))
    event.cancel()
    clock.advance(timedelta(seconds=2))
    clock.run_until_settled()
    assert seen == []


def test_runaway_is_a_clear_error() -> None:
    clock = VirtualClock(event_cap=100)

    def again() -> None:
        clock.call_later(timedelta(0), again, label="again")

    clock.call_later(timedelta(0), again, label="again")
    with pytest.raises(RunawayError, match="more than 100 events"):
        clock.run_until_settled()


def test_time_never_goes_back() -> None:
    clock = VirtualClock()
    clock.advance(timedelta(minutes=5))
    with pytest.raises(StepError, match="cannot go back"):
        clock.advance_to(clock.start + timedelta(minutes=1))
    with pytest.raises(StepError):
        clock.advance(timedelta(seconds=-1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 minutes", timedelta(minutes=3)),
        ("1 second", timedelta(seconds=1)),
        ("2500 ms", timedelta(milliseconds=2500)),
        ("90 days", timedelta(days=90)),
        ("1.5 s", timedelta(seconds=1.5)),
        ("00:03:01", timedelta(minutes=3, seconds=1)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["3 fortnights", "soon", "", "-1 s"])
def test_parse_duration_errors_say_what_is_expected(text: str) -> None:
    with pytest.raises(StepError, match="expected a number and a unit"):
        parse_duration(text)


def test_offsets_and_formatting_round_trip() -> None:
    assert parse_offset("00:03:00.5") == timedelta(minutes=3, milliseconds=500)
    assert format_elapsed(timedelta(days=90, milliseconds=7)) == "2160:00:00.007"
    with pytest.raises(StepError, match="HH:MM:SS"):
        parse_offset("3:61")


def test_pydantic_models_build_while_time_is_frozen() -> None:
    """freezegun + pydantic: schemas are built at import, so validation works when frozen."""
    from freezegun import freeze_time

    from simulator.tenant.schema import Tenant

    with freeze_time("2026-01-05 09:00:00"):
        tenant = Tenant.model_validate(
            {"skills": [{"id": 1, "name": "A"}], "bots": [{"name": "B", "dialogs": []}]}
        )
    assert tenant.skills[0].id == "1"
