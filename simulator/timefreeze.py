"""Keeping ``datetime.now()`` in step with a simulator's virtual clock (freezegun).

Starting freezegun scans every loaded module for references to ``datetime`` and ``time``
functions, which costs milliseconds; doing it for every scenario made that scan most of a
scenario's cost. ``SharedFreeze`` starts it once and re-points it at each new simulator, and is
stopped when something that must see real time runs (a test without a simulator, the end of
the session). Under pytest it is also lazy: started and moved only around code that may read
``datetime.now()`` (a project's or user's step, a scenario function with a body), never for the
library's own steps, which read the virtual clock directly. The pydantic models are built at
import, before any freezing, so validation never runs into freezegun's fake classes half-way
through building a schema.

Only the scenario's own code may see the virtual clock. The host around it (pytest's durations,
JUnit XML, pytest-bdd's cucumber JSON step times, logging records' ``created``, xdist's and
execnet's messaging, and the asyncio loop that enforces bot JavaScript's time limit) keeps real
time through freezegun's ignore list, ``REAL_TIME_MODULES``. freezegun leaves those modules'
own references to ``time``/``datetime`` functions unpatched, and when one of them calls
``time.time()`` or ``time.perf_counter()`` through the ``time`` module, freezegun sees the caller
in the stack and answers with real time. ``datetime.now()`` never consults the list: it is the
virtual time everywhere, so step code that reads it keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.simulator import Simulator

#: Modules that keep real time while a scenario's clock is frozen (prefixes of module names).
#: Kept to the modules that measure or stamp the host's time: a broad prefix such as
#: ``pytest_bdd`` or ``pluggy`` would also match frames a few calls above a step function, and
#: freezegun would then hand the step real time from ``time.time()``.
REAL_TIME_MODULES: tuple[str, ...] = (
    "_pytest.timing",  # --durations, the session time, JUnit XML times and timestamp
    "_pytest.junitxml",
    "_pytest.terminal",
    "_pytest.runner",
    "_pytest.logging",
    "pytest_bdd.reporting",  # cucumber JSON step durations
    "pytest_bdd.cucumber_json",
    "xdist",
    "execnet",
    "logging",  # LogRecord.created
    "asyncio",  # the loop that enforces bot JavaScript's time limit (mini-racer)
    "concurrent.futures",
    "py_mini_racer",
    "simulator.report",
)


def start_freeze(when: datetime) -> tuple[Any, Any]:
    """Start freezegun at ``when`` for the scenario's code only; return (freezer, factory)."""
    from freezegun import freeze_time

    freezer = freeze_time(when, tick=False, ignore=list(REAL_TIME_MODULES), real_asyncio=True)
    return freezer, freezer.start()


class SharedFreeze:
    """One freezegun freezer, moved to whichever simulator currently owns time.

    ``lazy`` is for the pytest plugin. The library's own steps never read the host's clock (they
    read the virtual one), so moving freezegun for them is wasted work: a started freezegun makes
    every ``time.perf_counter()`` pytest calls walk the stack, and every tick of the virtual clock
    would move it. A lazy freeze only keeps ``datetime.now()`` on the virtual clock while code
    that may read it runs: the plugin calls ``observe()`` before such code (a project's or a
    user's step, a scenario function with a body) and ``ignore()`` before a library step. While
    observed, every tick moves freezegun; while ignored, nothing does, and ``observe()`` catches
    up in one move. freezegun is started on the first ``observe()`` with a simulator to follow,
    so a suite of library steps never starts it at all.
    """

    def __init__(self, *, lazy: bool = False) -> None:
        self._freezer: Any = None
        self._frozen: Any = None
        self._owner: Simulator | None = None
        #: The simulator whose clock reports to this freeze (its observer is added once, on the
        #: first sync: a scenario of library steps never has one).
        self._watched: Simulator | None = None
        self._lazy = lazy
        self._observed = not lazy
        #: The instant freezegun was last moved to (a move to the same instant is skipped).
        self._at: datetime | None = None
        #: How many times freezegun was started (for the tests that keep this cheap).
        self.starts = 0

    @property
    def active(self) -> bool:
        return self._freezer is not None

    def follow(self, sim: Simulator) -> None:
        """From now on ``datetime.now()`` is ``sim``'s virtual time (while observed)."""
        self._owner = sim
        if self._observed:
            self._watch(sim)
            self._sync(sim.clock.now())

    def observe(self) -> None:
        """Code that may read ``datetime.now()`` is about to run: bring freezegun in step."""
        self._observed = True
        if self._owner is not None:
            self._watch(self._owner)
            self._sync(self._owner.clock.now())

    def _watch(self, sim: Simulator) -> None:
        if self._watched is not sim:
            self._watched = sim
            sim.clock.on_change(self._moved(sim))

    def ignore(self) -> None:
        """Only code that reads the virtual clock runs next: stop moving freezegun (lazy only)."""
        if self._lazy:
            self._observed = False

    def _sync(self, when: datetime) -> None:
        if self._freezer is None:
            self._freezer, self._frozen = start_freeze(when)
            self.starts += 1
        elif when != self._at:
            self._frozen.move_to(when)
        self._at = when

    def _moved(self, sim: Simulator) -> Any:
        def observer(when: datetime) -> None:
            if self._observed and self._owner is sim:
                self._sync(when)

        return observer

    def release(self) -> None:
        """Give real time back (freezegun stopped)."""
        if self._freezer is not None:
            self._freezer.stop()
        self._freezer = None
        self._frozen = None
        self._owner = None
        self._watched = None
        self._at = None
        self._observed = not self._lazy


@contextmanager
def frozen_at(sim: Simulator) -> Iterator[None]:
    """Freeze time at ``sim``'s clock for the duration of a block (CLI chat, one-off use)."""
    freeze = SharedFreeze()
    freeze.follow(sim)
    try:
        yield
    finally:
        freeze.release()
