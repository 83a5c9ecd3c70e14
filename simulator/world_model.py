"""The compiled tenant as data: what ``build_world`` produces and the linter and cloud read.

Kept apart from ``simulator.world`` (which builds it and runs the linter on it) so that the
linter can name the type without importing its own caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.bots.compiled import CompiledBot
from simulator.tenant.schema import Agent, BotGroup, Connector, ConsumerPreset, Platform, Skill


@dataclass
class World:
    platform: Platform
    skills: dict[str, Skill]
    agents: dict[str, Agent]
    bots: dict[str, CompiledBot]
    connectors: dict[str, Connector]
    groups: dict[str, BotGroup]
    group_of: dict[str, str]
    warnings: list[str]
    #: Where each connector (by bot) is written: file and line, for lint warnings.
    connector_origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    #: The tenant's ``consumer:`` preset (who the consumer is before any step changes it).
    consumer: ConsumerPreset | None = None

    def skill_label(self, skill_id: str) -> str:
        skill = self.skills.get(skill_id)
        return f'"{skill_id}" ({skill.name})' if skill else f'"{skill_id}"'
