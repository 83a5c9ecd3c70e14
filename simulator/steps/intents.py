"""A step that loads an exported bot together with the training phrases of its intents.

Exports carry no training phrases (``simulator.tenant.export_intents``); this is the feature
file's way to do what a tenant's ``bots: [{export: ..., intents: ...}]`` does.
"""

from __future__ import annotations

from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY
from simulator.tenant.export_intents import attach_intents, resolve

step = REGISTRY.step

SETUP = "Setting up the tenant"


@step(
    "the bot exported in {path} with intents from {intents}",
    example='Given the bot exported in "fixtures/exports/card-helper.json" with intents from'
    ' "fixtures/exports/card-helper.intents.yaml"',
    section=SETUP,
)
def bot_from_export_with_intents(sim: Simulator, path: str, intents: str) -> None:
    """Add an exported bot whose intents get their training phrases from an intents file (a
    YAML mapping of intent name to phrases), so intent-started dialogs run through the NLU
    without pinned scores. Intent names the export does not use are an error naming the file,
    the line and the nearest valid names."""
    from simulator.cb_export import load_export  # only when a step reads an export

    bot = load_export(sim.resolve(path))
    target = sim.resolve(intents)
    attach_intents(bot, resolve(target.name, target.parent, tenant=None, line=None))
    sim.add_inline_bot(bot.model_dump(mode="json", exclude_none=True))
