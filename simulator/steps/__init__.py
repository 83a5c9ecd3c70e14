"""The step library: plain-words Gherkin steps, matched by one compiled matcher.

The library is plain Python (no pytest import) so the CLI can list it and the pytest plugin can
bind the whole of it to a single pytest-bdd step definition: pytest-bdd's lookup cost grows with
every registered definition, so a hundred steps registered one by one would slow every step of
every scenario.
"""

from __future__ import annotations

from simulator.steps.loading import load_library
from simulator.steps.project import step
from simulator.steps.registry import PROJECT_SECTION, REGISTRY, StepRegistry

__all__ = ["PROJECT_SECTION", "REGISTRY", "StepRegistry", "load_library", "step"]
