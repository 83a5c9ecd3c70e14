"""A project's own steps, registered next to the library from its ``conftest.py``."""

from __future__ import annotations

from collections.abc import Callable

from simulator.errors import StepError, did_you_mean
from simulator.steps.loading import load_library
from simulator.steps.registry import (
    PROJECT_SECTION,
    REGISTRY,
    StepFunc,
    is_library_step,
    known_kinds,
    placeholder_kinds,
    sample_text,
)


def step(
    *templates: str,
    example: str | None = None,
    section: str = PROJECT_SECTION,
    table: bool = False,
    docstring: bool = False,
) -> Callable[[StepFunc], StepFunc]:
    """Register a project's own step next to the library (call it from ``conftest.py``).

    The function receives the scenario's ``Simulator`` first, then one keyword argument per
    placeholder (``{name}`` is a quoted text, ``{n:int}``, ``{d:duration}``, ``{t:clock}``...),
    plus ``table`` / ``doc`` when asked for. Such a step is matched by the same single pytest-bdd
    definition as the library, so it gets ``$name`` substitution, appears in ``simulator steps
    --steps-from conftest.py`` and in the did-you-mean list of an undefined step. Registering the
    same phrasing again (a conftest imported twice) replaces the earlier function; a phrasing the
    library already understands is an error, since the library's step would always win.
    """
    if not templates:
        raise TypeError("step() needs at least one phrasing")
    load_library()
    for template in templates:
        for kind in placeholder_kinds(template):
            if kind not in known_kinds():
                raise StepError(
                    f'step "{template}": unknown placeholder kind "{kind}":'
                    f" {did_you_mean(kind, known_kinds())}"
                )
    REGISTRY.steps[:] = [
        s for s in REGISTRY.steps if is_library_step(s) or s.template not in templates
    ]
    REGISTRY.match.cache_clear()
    for template in templates:
        existing = REGISTRY.match(sample_text(template))
        if existing is not None and is_library_step(existing.step):
            raise StepError(
                f'step "{template}" is already a library step ("{existing.step.template}"),'
                " which would always be used instead; choose other words"
            )
    shown = example or f"Given {sample_text(templates[0])}"
    return REGISTRY.step(
        *templates, example=shown, section=section, table=table, docstring=docstring
    )
