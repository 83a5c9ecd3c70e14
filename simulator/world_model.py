"""The compiled tenant as data: what ``build_world`` produces and the linter and cloud read.

Kept apart from ``simulator.world`` (which builds it and runs the linter on it) so that the
linter can name the type without importing its own caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.bots.compiled import CompiledBot
from simulator.group_index import GroupIndex
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
    #: Routing indexes of the groups, built on first use. A world is cached per tenant file
    #: and shared by scenarios (``dataclasses.replace`` copies share this dict): an index
    #: depends only on the group's compiled members, which never change, so each group's is
    #: built once per world and shared, whichever scenario asks first.
    group_indexes: dict[str, GroupIndex] = field(default_factory=dict, repr=False, compare=False)

    def group_index(self, group: str) -> GroupIndex:
        """The routing index of ``group`` (see ``simulator.group_index``)."""
        index = self.group_indexes.get(group)
        if index is None:
            members = tuple(self.bots[m] for m in self.groups[group].members)
            index = self.group_indexes[group] = GroupIndex(members)
        return index

    def skill_label(self, skill_id: str) -> str:
        skill = self.skills.get(skill_id)
        return f'"{skill_id}" ({skill.name})' if skill else f'"{skill_id}"'
