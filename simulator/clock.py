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
from datetime import UTC, datetime, timedelta

from simulator.errors import RunawayError, StepError

#: Scenarios start here unless told otherwise; a fixed instant keeps transcripts stable.
DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

#: A scenario that runs more events than this is looping; it fails instead of hanging CI.
DEFAULT_EVENT_CAP = 200_000


class ScheduledEvent:
    """One callback due at a virtual instant.

    ``settles`` marks work that is part of answering something already said (a bot reply, a
    transfer being processed). ``run_until_settled`` drives those to completion; timers such as
    the 3-minute escalation timeout are not ``settles`` and wait for time to be advanced.

    A plain class with ``__slots__`` rather than an ordered dataclass: the queue holds
    ``(due, seq, event, action, label)`` tuples whose ``seq`` is unique, so the heap compares
    datetimes and ints natively and never compares events (a generated ``__lt__`` ran some
    fifty times per consumer message).
    """

    __slots__ = ("action", "cancelled", "due", "label", "seq", "settles")

    def __init__(
        self,
        due: datetime,
        seq: int,
        action: Callable[[], None],
        label: str = "",
        settles: bool = True,
    ) -> None:
        self.due = due
        self.seq = seq
        self.action = action
        self.label = label
        self.settles = settles
        self.cancelled = False

    def __repr__(self) -> str:
        return (
            f"ScheduledEvent(due={self.due!r}, seq={self.seq}, label={self.label!r},"
            f" settles={self.settles}, cancelled={self.cancelled})"
        )

    def cancel(self) -> None:
        self.cancelled = True


def _nothing() -> None:
    """The action of ``_POSTED`` (never run: a posted entry carries its own action)."""


#: Stands in for the event of a posted entry (``VirtualClock.post``): settling, never
#: cancelled, so the run loops read ``settles``/``cancelled`` the same way for every entry.
_POSTED = ScheduledEvent(DEFAULT_EPOCH, -1, _nothing, "posted")

#: A queue entry: (due, seq, event, action, label). ``seq`` is unique, so tuple comparison
#: never reaches the event; ``action`` and ``label`` are the event's, copied so that posted
#: entries need no event object at all.
_Entry = tuple[datetime, int, ScheduledEvent, Callable[[], None], str]

#: The queue is never compacted below this size (a scan would cost more than it saves).
_COMPACT_MIN = 64


class VirtualClock:
    """The single source of time for one simulated tenant.

    Cancelled timers that do not settle (the no-response timer, restarted on every consumer
    message and cancelled by every bot reply) would otherwise pile up in the queue until
    their due time, one per message within ``fallbackEscalationTime``, and make every push and
    pop cost the logarithm of that pile. Whenever the queue has doubled since it was last
    rebuilt, it is rebuilt without them: linear work paid for by at least as many pushes, so
    O(1) amortised per event, and the queue stays within twice what is really pending.
    Cancelled settling events stay until popped, because they keep ``run_until_settled``
    going until their instant (that is how they behaved before and transcripts depend on it).
    """

    def __init__(self, start: datetime = DEFAULT_EPOCH, *, event_cap: int = DEFAULT_EVENT_CAP):
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self.start = start
        self._now = start
        self._queue: list[_Entry] = []
        self._seq = itertools.count()
        self._observers: list[Callable[[datetime], None]] = []
        self._told = start  # the time observers were last given
        self.events_run = 0
        self.event_cap = event_cap
        self._pending_settles = 0
        self._compact_at = _COMPACT_MIN  # queue size that triggers the next rebuild

    # -- reading time ---------------------------------------------------------------------
    def now(self) -> datetime:
        return self._now

    def elapsed(self) -> timedelta:
        return self._now - self.start

    def on_change(self, observer: Callable[[datetime], None]) -> None:
        """Call ``observer`` with the new time once time has moved (keeps freezegun in step).

        Observers are told when the clock hands control back (after settling, advancing or
        running what is due) and at ``sync`` points, not at every event in between: moving
        freezegun costs more than a whole bot turn, and nothing inside the engine reads the
        host's time. Code that hands control to user callbacks mid-run calls ``sync`` first.
        """
        self._observers.append(observer)
        self._told = self._now

    def sync(self) -> None:
        """Tell the observers the current time, if it moved since they were last told."""
        now = self._now
        if now is not self._told and now != self._told:
            self._told = now
            for observer in self._observers:
                observer(now)

    @property
    def queue_size(self) -> int:
        """Entries in the event queue, cancelled ones included (for operation-count tests)."""
        return len(self._queue)

    # -- scheduling -----------------------------------------------------------------------
    def call_at(
        self, due: datetime, action: Callable[[], None], *, label: str = "", settles: bool = True
    ) -> ScheduledEvent:
        if due < self._now:
            due = self._now
        seq = next(self._seq)
        event = ScheduledEvent(due, seq, action, label, settles)
        queue = self._queue
        if len(queue) >= self._compact_at:
            queue = self._compact()
        heapq.heappush(queue, (due, seq, event, action, label))
        if settles:
            self._pending_settles += 1
        return event

    def post(self, due: datetime, action: Callable[[], None], label: str) -> None:
        """``call_at`` for settling work nobody will cancel (a bot action, a delivery): the
        same place in the order, without an event object to build."""
        if due < self._now:
            due = self._now
        heapq.heappush(self._queue, (due, next(self._seq), _POSTED, action, label))
        self._pending_settles += 1

    def call_later(
        self, delay: timedelta, action: Callable[[], None], *, label: str = "", settles: bool = True
    ) -> ScheduledEvent:
        try:
            due = self._now + delay
        except OverflowError:
            raise self._past_calendar(
                f"scheduling {label or 'an event'} {format_elapsed(delay)} later"
            ) from None
        return self.call_at(due, action, label=label, settles=settles)

    def _after(self, delta: timedelta, what: str) -> datetime:
        """``now + delta``, or a clear error when that passes the calendar's end (year 9999)."""
        try:
            return self._now + delta
        except OverflowError:
            raise self._past_calendar(what) from None

    def _past_calendar(self, what: str) -> StepError:
        return StepError(
            f"{what} would pass the end of the virtual calendar (year 9999): the clock is"
            f" at {self._now:%Y-%m-%d}, {format_elapsed(self.elapsed())} after the start"
        )

    def pending(self) -> list[ScheduledEvent]:
        return [
            ScheduledEvent(due, seq, action, label, True) if event is _POSTED else event
            for due, seq, event, action, label in sorted(self._queue)
            if not event.cancelled
        ]

    def _compact(self) -> list[_Entry]:
        """Rebuild the queue without cancelled non-settling events; return the new queue."""
        kept = [e for e in self._queue if e[2].settles or not e[2].cancelled]
        heapq.heapify(kept)
        self._queue = kept
        self._compact_at = max(_COMPACT_MIN, 2 * len(kept))
        return kept

    # -- running --------------------------------------------------------------------------
    def _set_now(self, when: datetime) -> None:
        if when != self._now:
            self._now = when

    def _pop_due(self, limit: datetime) -> _Entry | None:
        queue = self._queue
        while queue and queue[0][0] <= limit:
            entry = heapq.heappop(queue)
            event = entry[2]
            if event.settles:
                self._pending_settles -= 1
            if not event.cancelled:
                return entry
        return None

    def _run(self, entry: _Entry) -> None:
        self.events_run += 1
        if self.events_run > self.event_cap:
            raise self._runaway(entry[4], entry[0])
        self._set_now(entry[0])
        entry[3]()

    def _runaway(self, label: str, due: datetime) -> RunawayError:
        return RunawayError(
            f"more than {self.event_cap} events ran in one scenario (last: {label or '?'}"
            f" at {format_elapsed(due - self.start)}); something schedules itself"
            " forever, such as a transfer loop"
        )

    def run_due(self) -> None:
        """Run everything due at the current instant, including what those events schedule."""
        try:
            while (entry := self._pop_due(self._now)) is not None:
                self._run(entry)
        finally:
            self.sync()

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
        try:
            while (entry := self._pop_due(target)) is not None:
                self._run(entry)
            self._set_now(target)
        finally:
            self.sync()

    def run_until_settled(self) -> None:
        """Run events in time order while any settling work remains.

        Timers that fall due before the last piece of settling work run too, in order; timers
        after it stay pending. This is what "the consumer says X" waits for.

        The loop (``_settle``) is the engine's innermost one (three or four events per consumer
        message), so ``_run`` is written out in it.
        """
        try:
            self._settle()
            while (entry := self._pop_due(self._now)) is not None:
                self._run(entry)
        finally:
            self.sync()

    def _settle(self) -> None:
        pop = heapq.heappop
        while self._pending_settles > 0:
            queue = self._queue  # compaction (from a cancel inside an action) replaces it
            # Cancelled events at the head go first; the next live event then runs even when
            # the last settling event was among them (the behaviour transcripts were made with).
            while queue and queue[0][2].cancelled:
                if pop(queue)[2].settles:
                    self._pending_settles -= 1
            if not queue:
                self._pending_settles = 0
                break
            when, _seq, event, action, label = pop(queue)
            if event.settles:
                self._pending_settles -= 1
            self.events_run += 1
            if self.events_run > self.event_cap:
                raise self._runaway(label, when)
            self._now = when
            action()


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


_MILLISECONDS: dict[int, timedelta] = {}


def milliseconds(ms: int) -> timedelta:
    """``timedelta(milliseconds=ms)``, shared: building one costs as much as a dict look-up
    and a function call several times over, and the engine needs a few per consumer message
    (joining window, delivery time, no-response timer), always the same few values."""
    delta = _MILLISECONDS.get(ms)
    if delta is None:
        delta = timedelta(milliseconds=ms)
        if len(_MILLISECONDS) < 4096:
            _MILLISECONDS[ms] = delta
    return delta


def format_elapsed(delta: timedelta) -> str:
    """Render time since the scenario started as HH:MM:SS.mmm (hours may exceed 24)."""
    total_ms = round(delta.total_seconds() * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
