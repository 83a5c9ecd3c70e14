"""A loaded tenant, compiled and cross-checked: the static half of the fake cloud.

Everything that refers to something else by name or id (a connector's bot, an agent's skills,
a group's members) is checked here so a typo fails at load time with the nearest valid name.
"""

from __future__ import annotations

from simulator.bots.compiled import CompiledBot
from simulator.errors import FixtureError, did_you_mean
from simulator.lint import lint_world
from simulator.tenant.loader import LoadedTenant, Origin
from simulator.tenant.schema import Agent, Bot, BotGroup, Connector, Skill
from simulator.world_model import World

__all__ = ["World", "build_world"]


def _where(loaded: LoadedTenant, kind: str, key: str) -> Origin:
    fallback = loaded.origins.get(("tenant", "file"), Origin("<tenant>", None))
    return loaded.origins.get((kind, key), fallback)


def _join_export_groups(
    bots: dict[str, CompiledBot], groups: dict[str, BotGroup], group_of: dict[str, str]
) -> None:
    """An imported bot's ``transferGroupId`` (its ``group``) puts it in that group (G1).

    The group is the tenant's group with that ``id`` (or name), so a tenant can name it and
    enable collaboration; otherwise a group named by the id is made. Exports carry no
    collaboration flag (none of the corpus exports has one), so such a group is off, the
    platform's default. A bot the tenant already lists in a group stays there.
    """
    for name, bot in bots.items():
        group_id = bot.definition.group
        if group_id is None or name in group_of:
            continue
        group = next((g for g in groups.values() if group_id in (g.id, g.name)), None)
        if group is None:
            group = BotGroup(name=group_id, id=group_id, collaboration=False)
        group = group.model_copy(update={"members": [*group.members, name]})
        groups[group.name] = group
        group_of[name] = group.name


def build_world(loaded: LoadedTenant) -> World:
    tenant = loaded.tenant
    skills: dict[str, Skill] = {}
    for skill in tenant.skills:
        if skill.id in skills:
            o = _where(loaded, "skill", skill.id)
            raise FixtureError(f'skill id "{skill.id}" is defined twice', file=o.file, line=o.line)
        skills[skill.id] = skill
    skill_names: dict[str, str] = {}
    for skill in tenant.skills:
        if skill.name in skill_names:
            o = _where(loaded, "skill", skill.id)
            raise FixtureError(
                f'skills "{skill_names[skill.name]}" and "{skill.id}" are both named'
                f' "{skill.name}"; steps refer to skills by name, so names must be unique',
                file=o.file,
                line=o.line,
            )
        skill_names[skill.name] = skill.id

    def skill_id(ref: str, kind: str, key: str, field: str) -> str:
        if ref in skills:
            return ref
        if ref in skill_names:
            return skill_names[ref]
        o = _where(loaded, kind, key)
        raise FixtureError(
            f'unknown skill "{ref}": {did_you_mean(ref, [*skills, *skill_names])}',
            file=o.file,
            line=o.line,
            field=field,
        )

    bots: dict[str, CompiledBot] = {}
    for entry in tenant.bots:
        assert isinstance(entry, Bot)
        o = _where(loaded, "bot", entry.name)
        if entry.name in bots:
            raise FixtureError(f'bot "{entry.name}" is defined twice', file=o.file, line=o.line)
        compiled = CompiledBot(entry, file=o.file, line=o.line)
        compiled.check_references()
        bots[entry.name] = compiled

    agents: dict[str, Agent] = {}
    for agent in tenant.agents:
        if agent.id in agents:
            o = _where(loaded, "agent", agent.name)
            raise FixtureError(f'agent id "{agent.id}" is defined twice', file=o.file, line=o.line)
        if any(other.name == agent.name for other in agents.values()):
            o = _where(loaded, "agent", agent.name)
            raise FixtureError(
                f'two agents are named "{agent.name}"; steps refer to agents by name, so names'
                " must be unique",
                file=o.file,
                line=o.line,
            )
        agent.skills = [
            skill_id(s, "agent", agent.name, f"agents[{agent.name}].skills") for s in agent.skills
        ]
        agents[agent.id] = agent

    connectors: dict[str, Connector] = {}
    for connector in tenant.connectors:
        o = _where(loaded, "connector", connector.bot)
        if connector.bot not in bots:
            raise FixtureError(
                f'connector for unknown bot "{connector.bot}": {did_you_mean(connector.bot, bots)}',
                file=o.file,
                line=o.line,
                field="connectors.bot",
            )
        if connector.bot in connectors:
            raise FixtureError(
                f'bot "{connector.bot}" has two agent connectors; deploy it once',
                file=o.file,
                line=o.line,
            )
        connector.skills = [
            skill_id(s, "connector", connector.bot, "connectors.skills") for s in connector.skills
        ]
        if connector.fallback_skill_id is not None:
            connector.fallback_skill_id = skill_id(
                connector.fallback_skill_id,
                "connector",
                connector.bot,
                "connectors.fallback_skill_id",
            )
        connectors[connector.bot] = connector

    groups: dict[str, BotGroup] = {}
    group_of: dict[str, str] = {}
    for group in tenant.groups:
        o = _where(loaded, "group", group.name)
        if group.name in groups:
            raise FixtureError(
                f'bot group "{group.name}" is defined twice', file=o.file, line=o.line
            )
        if len(set(group.members)) != len(group.members):
            twice = sorted({m for m in group.members if group.members.count(m) > 1})
            raise FixtureError(
                f'group "{group.name}" lists {", ".join(repr(m) for m in twice)} more than once',
                file=o.file,
                line=o.line,
                field="groups.members",
            )
        for member in group.members:
            if member not in bots:
                raise FixtureError(
                    f'group "{group.name}" lists unknown bot "{member}": {did_you_mean(member, bots)}',
                    file=o.file,
                    line=o.line,
                    field="groups.members",
                )
            if member in group_of and group_of[member] != group.name:
                raise FixtureError(
                    f'bot "{member}" is in group "{group_of[member]}" and in group'
                    f' "{group.name}"; a bot belongs to at most one group (G1)',
                    file=o.file,
                    line=o.line,
                    field="groups.members",
                )
            group_of[member] = group.name
        groups[group.name] = group
    _join_export_groups(bots, groups, group_of)
    world = World(tenant.platform, skills, agents, bots, connectors, groups, group_of, [])
    world.consumer = tenant.consumer
    for name in connectors:
        origin = _where(loaded, "connector", name)
        world.connector_origins[name] = (origin.file, origin.line)
    order = tenant.platform.group_store_order
    if isinstance(order, list):
        for name in order:
            if name not in bots:
                raise FixtureError(
                    f'platform.group_store_order names unknown bot "{name}": {did_you_mean(name, bots)}',
                    file=_where(loaded, "tenant", "platform").file,
                    line=_where(loaded, "tenant", "platform").line,
                    field="platform.group_store_order",
                )
    world.warnings = [w.message for w in lint_world(world)]
    return world
