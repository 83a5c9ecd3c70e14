"""A self-contained HTML report of a run: every scenario, its steps and its conversations as chats.

``simulator.report.html`` is pure (dataclasses and ``render_report``); the pytest side, which
collects results (also under pytest-xdist) and writes ``--sim-report PATH``, lives in
``simulator.report.pytest_report``.
"""

from __future__ import annotations

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
