"""Importing the step library's modules, each of which registers its steps on import."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from simulator.steps.registry import REGISTRY, StepRegistry

_PACKAGE = "simulator.steps"
#: Modules of the package that hold machinery, not steps.
_NOT_STEPS = {"registry", "loading", "project"}


def load_library() -> StepRegistry:
    """Import every step module of the package (each registers its steps on import).

    A project's own steps are registered with ``simulator.steps.step`` from its conftest."""
    folder = str(Path(__file__).parent)
    for info in sorted(pkgutil.iter_modules([folder]), key=lambda i: i.name):
        if info.name not in _NOT_STEPS:
            importlib.import_module(f"{_PACKAGE}.{info.name}")
    return REGISTRY
