"""A self-contained HTML report of a run: every scenario, its steps and its conversations as chats.

``simulator.report.html`` is pure (dataclasses and ``render_report``); the pytest side, which
collects results (also under pytest-xdist) and writes ``--sim-report PATH``, lives in
``simulator.report.pytest_report``.

The names below are imported on first use (PEP 562): the pytest plugin imports
``simulator.report.pytest_report`` at start-up to add ``--sim-report``, and a run without that
option should not pay for building the HTML renderer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.report.html import (
        ConversationResult,
        EntryResult,
        ScenarioResult,
        StepResult,
        render_report,
    )

__all__ = [
    "ConversationResult",
    "EntryResult",
    "ScenarioResult",
    "StepResult",
    "render_report",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("simulator.report.html"), name)
    raise AttributeError(f"module 'simulator.report' has no attribute {name!r}")
