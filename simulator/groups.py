"""Automatic transfers inside collaborative bot groups (G1-G7).

Only a group whose ``collaboration`` is enabled transfers automatically; it is off unless the
tenant enables it (G1). An imported bot's ``transferGroupId`` puts it in that group (see
``simulator.world``).

The current bot has already looked at its own patterns and intents (G2 steps 1-2) when this
runs; here the other members are examined in the store's order (G2 step 3). The real store's
order is not guaranteed, so whenever more than one member could take the message the transcript
says so, and the all-orders mode can replay the scenario with each of them winning.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from simulator.bots.compiled import CompiledBot
from simulator.bots.runtime import GroupMatch, score_intents, top_intent
from simulator.nlu import MatchLevel
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.cloud.cloud import Cloud
    from simulator.cloud.conversation import Conversation


class GroupRouter:
    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.order_override: list[str] | None = None
        #: Operation counts of group routing (regex passes, member checks), for the
        #: regression tests that keep routing at one index pass per message.
        self.counts: Counter[str] = Counter()
        #: Per group, the fixed store order and its transcript line (see ``_listed_order``).
        self._fixed_orders: dict[str, tuple[list[str], str]] = {}

    def store_order(self, group: str) -> list[str]:
        """The order in which the platform's store lists a group's bots (G2 step 3)."""
        members = list(self.cloud.world.groups[group].members)
        setting = self.order_override or self.cloud.world.platform.group_store_order
        if isinstance(setting, list):
            listed = [m for m in setting if m in members]
            return listed + [m for m in members if m not in listed]
        if setting == "shuffled":
            shuffled = list(members)
            self.cloud.rng.shuffle(shuffled)
            return shuffled
        return members

    def _listed_order(self, group: str) -> tuple[list[str], str]:
        """The store order and the transcript line that lists it.

        With the platform's fixed order (the default) both are the same on every message, so
        they are made once per group; a shuffled or overridden order is made each time.
        """
        fixed = self.order_override is None and (
            self.cloud.world.platform.group_store_order == "fixture"
        )
        if fixed:
            known = self._fixed_orders.get(group)
            if known is not None:
                return known
        order = self.store_order(group)
        listed = order, f'group "{group}" store order: ' + ", ".join(order)
        if fixed:
            self._fixed_orders[group] = listed
        return listed

    def candidates(self, conv: Conversation, sender: CompiledBot, text: str) -> list[GroupMatch]:
        world = self.cloud.world
        group_name = world.group_of.get(sender.name)
        if group_name is None:
            return []
        group = world.groups[group_name]
        if not group.collaboration or sender.is_survey:
            return []
        order, listing = self._listed_order(group_name)
        self.cloud.log(conv, EntryKind.ROUTING, listing, note="G2")
        found: list[GroupMatch] = []
        pinned = self.cloud.pinned_scores(text)
        counts = self.counts
        counts["messages"] += 1
        takers = world.group_index(group_name).takers(text, counts)
        by_pattern = takers.by_pattern
        # Pinned scores replace the scorer: then every member without a pattern is scored.
        by_intent = takers.by_intent if pinned is None else None
        if by_intent is not None:
            if not by_pattern and not by_intent:
                return found  # no member could take it: nothing else to look at
            order = [name for name in order if name in by_pattern or name in by_intent]
        bots = world.bots
        connectors = self.cloud.connectors
        for name in order:
            if name == sender.name:
                continue
            bot = bots[name]
            if bot.is_survey:
                continue
            connector = connectors.get(name)
            if connector is None or not connector.active:
                continue
            starter = by_pattern.get(name)
            if starter is not None:
                found.append(GroupMatch(name, None, f'pattern "{starter.source}"'))
                continue
            if by_intent is not None:
                best = by_intent.get(name)
            else:
                counts["member_intent_scorings"] += 1
                # Scored without a session: looking must not create state for every member.
                good = [s for s in score_intents(bot, text, pinned) if s.level >= MatchLevel.GOOD]
                best = top_intent(bot, good) if good else None
            if best is not None:
                found.append(
                    GroupMatch(name, best.intent, f'intent "{best.intent}" {best.level.label}')
                )
        return found

    def route(self, conv: Conversation, sender: CompiledBot, text: str) -> GroupMatch | None:
        found = self.candidates(conv, sender, text)
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        names = [m.receiver for m in found]
        if self.cloud.chooser is not None:
            pick = self.cloud.choose(conv, f"group receivers for {text!r}", names)
            return found[pick]
        self.cloud.log(
            conv,
            EntryKind.WARNING,
            "order-dependent routing between "
            + " and ".join(f'"{n}"' for n in names)
            + f'; "{names[0]}" wins because the store listed it first (G7)',
            candidates=names,
            chosen=names[0],
        )
        return found[0]
