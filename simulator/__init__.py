"""cb-simulator: a deterministic fake Conversational Cloud for testing Conversation Builder bots.

The public entry point for Python code is :class:`Simulator`; feature files use the pytest
plugin's step library; ``simulator`` (or ``python -m simulator``) is the command line.

``Simulator`` is imported on first use (PEP 562), not with the package: every ``import
simulator.x`` runs this file first, and the simulator pulls in the whole engine and the tenant
schema (pydantic models), which the pytest controller of an xdist run, ``--collect-only`` and
most CLI commands never use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.errors import PlatformError, SimulatorError, UserError

if TYPE_CHECKING:
    from simulator.simulator import Simulator

__all__ = ["PlatformError", "Simulator", "SimulatorError", "UserError"]


def __getattr__(name: str) -> Any:
    if name == "Simulator":
        from simulator.simulator import Simulator

        return Simulator
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
