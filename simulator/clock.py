"""Virtual clock and event scheduler (rule B5).

Every wait, delay and timeout in the simulator is an event on this scheduler. Nothing sleeps:
``advance`` jumps straight from one due event to the next, so 90 days of virtual time cost what
their events cost, not what their duration is. Events due at the same instant run in the order
they were scheduled, which is what makes transcripts byte-for-byte repeatable.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from simulator.errors import RunawayError, StepError

#: Scenarios start here unless told otherwise; a fixed instant keeps transcripts stable.
DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

#: A scenario that runs more events than this is looping; it fails instead of hanging CI.
DEFAULT_EVENT_CAP = 200_000


@dataclass(order=True, slots=True)
class ScheduledEvent:
    """One callback due at a virtual instant.

    ``settles`` marks work that is part of answering something already said (a bot reply, a
    transfer being processed). ``run_until_settled`` drives those to completion; timers such as
    the 3-minute escalation timeout are not ``settles`` and wait for time to be advanced.
    Slotted: every open conversation keeps timers in the heap.
    """

    due: datetime
    seq: int
    action: Callable[[], None] = field(compare=False)
    label: str = field(default="", compare=False)
    settles: bool = field(default=True, compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """The single source of time for one simulated tenant."""

    def __init__(self, start: datetime = DEFAULT_EPOCH, *, event_cap: int = DEFAULT_EVENT_CAP):
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self.start = start
        self._now = start
        self._queue: list[ScheduledEvent] = []
        self._seq = itertools.count()
        self._observers: list[Callable[[datetime], None]] = []
        self.events_run = 0
        self.event_cap = event_cap
        self._pending_settles = 0

    # -- reading time ---------------------------------------------------------------------
    def now(self) -> datetime:
        return self._now

    def elapsed(self) -> timedelta:
        return self._now - self.start

    def on_change(self, observer: Callable[[datetime], None]) -> None:
        """Call ``observer`` whenever time moves (used to keep freezegun in step)."""
        self._observers.append(observer)

    # -- scheduling -----------------------------------------------------------------------
    def call_at(
        self, due: datetime, action: Callable[[], None], *, label: str = "", settles: bool = True
    ) -> ScheduledEvent:
        if due < self._now:
            due = self._now
        event = ScheduledEvent(due, next(self._seq), action, label, settles)
        heapq.heappush(self._queue, event)
        if settles:
            self._pending_settles += 1
        return event

    def call_later(
        self, delay: timedelta, action: Callable[[], None], *, label: str = "", settles: bool = True
    ) -> ScheduledEvent:
        due = self._after(delay, f"scheduling {label or 'an event'} {format_elapsed(delay)} later")
        return self.call_at(due, action, label=label, settles=settles)

    def _after(self, delta: timedelta, what: str) -> datetime:
        """``now + delta``, or a clear error when that passes the calendar's end (year 9999)."""
        try:
            return self._now + delta
        except OverflowError:
            raise StepError(
                f"{what} would pass the end of the virtual calendar (year 9999): the clock is"
                f" at {self._now:%Y-%m-%d}, {format_elapsed(self.elapsed())} after the start"
            ) from None

    def pending(self) -> list[ScheduledEvent]:
        return sorted(e for e in self._queue if not e.cancelled)

    # -- running --------------------------------------------------------------------------
    def _set_now(self, when: datetime) -> None:
        if when != self._now:
            self._now = when
            for observer in self._observers:
                observer(when)

    def _pop_due(self, limit: datetime) -> ScheduledEvent | None:
        while self._queue and self._queue[0].due <= limit:
            event = heapq.heappop(self._queue)
            if event.settles:
                self._pending_settles -= 1
            if not event.cancelled:
                return event
        return None

    def _run(self, event: ScheduledEvent) -> None:
        self.events_run += 1
        if self.events_run > self.event_cap:
            raise RunawayError(
                f"more than {self.event_cap} events ran in one scenario (last: {event.label or '?'}"
                f" at {format_elapsed(event.due - self.start)}); something schedules itself"
                " forever, such as a transfer loop"
            )
        self._set_now(event.due)
        event.action()

    def run_due(self) -> None:
        """Run everything due at the current instant, including what those events schedule."""
        while (event := self._pop_due(self._now)) is not None:
            self._run(event)

    def advance(self, delta: timedelta) -> None:
        """Move time forward by ``delta``, running every event that falls due on the way."""
        if delta < timedelta(0):
            raise StepError(f"time cannot go backwards (asked to advance by {delta})")
        self.advance_to(self._after(delta, f"waiting {format_elapsed(delta)}"))

    def advance_to(self, target: datetime) -> None:
        if target < self._now:
            raise StepError(
                f"the clock is already at {format_elapsed(self.elapsed())};"
                f" it cannot go back to {format_elapsed(target - self.start)}"
            )
        while (event := self._pop_due(target)) is not None:
            self._run(event)
        self._set_now(target)

    def run_until_settled(self) -> None:
        """Run events in time order while any settling work remains.

        Timers that fall due before the last piece of settling work run too, in order; timers
        after it stay pending. This is what "the consumer says X" waits for.
        """
        while self._pending_settles > 0:
            self._drop_cancelled_head()
            if not self._queue:
                self._pending_settles = 0
                break
            event = heapq.heappop(self._queue)
            if event.settles:
                self._pending_settles -= 1
            if event.cancelled:
                continue
            self._run(event)
        self.run_due()

    def _drop_cancelled_head(self) -> None:
        while self._queue and self._queue[0].cancelled:
            event = heapq.heappop(self._queue)
            if event.settles:
                self._pending_settles -= 1


_DURATION_UNITS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "day": 86400,
    "days": 86400,
    "week": 604800,
    "weeks": 604800,
}

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$", re.I)
_CLOCK = re.compile(r"^\s*(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?\s*$")


def parse_duration(text: str) -> timedelta:
    """Parse "3 minutes", "90 days", "2500 ms", "1.5 s" or a clock offset "00:03:01"."""
    clock = _CLOCK.match(text)
    if clock:
        return parse_offset(text)
    m = _DURATION.match(text)
    if not m or m.group(2).lower() not in _DURATION_UNITS:
        units = ", ".join(sorted({"ms", "seconds", "minutes", "hours", "days", "weeks"}))
        raise StepError(
            f'cannot read "{text}" as a duration: expected a number and a unit ({units}),'
            ' for example "3 minutes", or a clock offset such as "00:03:00"'
        )
    try:
        return _checked(
            timedelta(seconds=float(m.group(1)) * _DURATION_UNITS[m.group(2).lower()]), text
        )
    except OverflowError:
        raise _too_long(text) from None


def parse_offset(text: str) -> timedelta:
    """Parse "HH:MM:SS[.mmm]" as the time since the scenario started."""
    m = _CLOCK.match(text)
    if not m:
        raise StepError(
            f'cannot read "{text}" as a clock time: expected HH:MM:SS or HH:MM:SS.mmm counted'
            ' from the start of the scenario, for example "00:03:01"'
        )
    hours, minutes, seconds, millis = m.groups()
    try:
        return _checked(
            timedelta(
                hours=int(hours),
                minutes=int(minutes),
                seconds=int(seconds),
                milliseconds=int((millis or "0").ljust(3, "0")),
            ),
            text,
        )
    except OverflowError:
        raise _too_long(text) from None


#: The longest wait a step may ask for; far beyond any timeout, far inside datetime's range.
MAX_WAIT = timedelta(days=365 * 100)


def _too_long(text: str) -> StepError:
    return StepError(
        f'"{text}" is too long for the virtual clock: waits are limited to {MAX_WAIT.days} days'
    )


def _checked(delta: timedelta, text: str) -> timedelta:
    if delta > MAX_WAIT:
        raise _too_long(text)
    return delta


def format_elapsed(delta: timedelta) -> str:
    """Render time since the scenario started as HH:MM:SS.mmm (hours may exceed 24)."""
    total_ms = round(delta.total_seconds() * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
