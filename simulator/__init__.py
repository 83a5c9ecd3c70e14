"""cb-simulator: a deterministic fake Conversational Cloud for testing Conversation Builder bots.

The public entry point for Python code is :class:`Simulator`; feature files use the pytest
plugin's step library; ``simulator`` (or ``python -m simulator``) is the command line.
"""

from simulator.errors import PlatformError, SimulatorError, UserError
from simulator.simulator import Simulator

__all__ = ["PlatformError", "Simulator", "SimulatorError", "UserError"]
