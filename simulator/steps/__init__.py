"""The step library: plain-words Gherkin steps, matched by one compiled matcher.

The library is plain Python (no pytest import) so the CLI can list it and the pytest plugin can
bind the whole of it to a single pytest-bdd step definition: pytest-bdd's lookup cost grows with
every registered definition, so a hundred steps registered one by one would slow every step of
every scenario.
"""

from __future__ import annotations

import importlib
import pkgutil

from simulator.steps.registry import PROJECT_SECTION, REGISTRY, StepRegistry, step

__all__ = ["PROJECT_SECTION", "REGISTRY", "StepRegistry", "load_library", "step"]


def load_library() -> StepRegistry:
    """Import every step module of this package (each registers its steps on import).

    A project's own steps are registered with ``simulator.steps.step`` from its conftest."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name != "registry":  # every other module holds steps (qa, routing...)
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY
