"""Keeping ``datetime.now()`` in step with a simulator's virtual clock (freezegun).

Starting freezegun scans every loaded module for references to ``datetime`` and ``time``
functions, which costs milliseconds; doing it for every scenario made that scan most of a
scenario's cost. ``SharedFreeze`` starts it once and re-points it at each new simulator, and is
stopped when something that must see real time runs (a test without a simulator, the end of
the session). The pydantic models are built at import, before any freezing, so validation
never runs into freezegun's fake classes half-way through building a schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.simulator import Simulator


class SharedFreeze:
    """One freezegun freezer, moved to whichever simulator currently owns time."""

    def __init__(self) -> None:
        self._freezer: Any = None
        self._frozen: Any = None
        self._owner: Simulator | None = None

    @property
    def active(self) -> bool:
        return self._freezer is not None

    def follow(self, sim: Simulator) -> None:
        """From now on ``datetime.now()`` is ``sim``'s virtual time."""
        if self._freezer is None:
            from freezegun import freeze_time

            self._freezer = freeze_time(sim.clock.now(), tick=False)
            self._frozen = self._freezer.start()
        else:
            self._frozen.move_to(sim.clock.now())
        self._owner = sim
        sim.clock.on_change(self._moved(sim))

    def _moved(self, sim: Simulator) -> Any:
        def observer(when: datetime) -> None:
            if self._owner is sim and self._frozen is not None:
                self._frozen.move_to(when)

        return observer

    def release(self) -> None:
        """Give real time back (freezegun stopped)."""
        if self._freezer is not None:
            self._freezer.stop()
        self._freezer = None
        self._frozen = None
        self._owner = None


@contextmanager
def frozen_at(sim: Simulator) -> Iterator[None]:
    """Freeze time at ``sim``'s clock for the duration of a block (CLI chat, one-off use)."""
    freeze = SharedFreeze()
    freeze.follow(sim)
    try:
        yield
    finally:
        freeze.release()
