"""Dialogs and their starters: ``groups[]``, ``conversationMessage[]`` order, starters, names.

``groups[]`` -> dialogs (``DIALOG`` standard, ``FALLBACK_DIALOG`` fallback, anything else
"other" with ``kind_label``); messages become interactions of the dialog named by ``group``,
ordered by following ``nextMessageId`` from the chain heads, then the rest in file order.
``DIALOG_STARTER`` messages -> ``DialogStarter(patterns, intent)`` (``intentId`` through
``associatedIntents``); a starter with code or that is jumped to also becomes a first
interaction that sends nothing. Interactions keep their export ``name``; duplicates in a
dialog are named by id, with a note.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from simulator.cb_export.format import DIALOG_TYPES
from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Group, Message, parse_rules


class DialogImport(ImporterBase):
    """Dialogs, the order and names of their interactions, and their starters."""

    def dialogs(self) -> list[dict[str, Any]]:
        r = self.r
        used_names: Counter[str] = Counter()
        for i, raw in enumerate(r.lst(self.doc.get("groups"), "groups")):
            where = f"groups[{i}]"
            g = r.obj(raw, where)
            g_id = r.text(g.get("id"), f"{where}.id", required=True)
            assert g_id is not None
            name = r.text(g.get("name"), f"{where}.name") or g_id
            used_names[name] += 1
            if used_names[name] > 1:
                new = f"{name} ({used_names[name]})"
                r.notes.append(f'two dialogs are named "{name}"; the second is imported as "{new}"')
                name = new
            if g_id in self.groups:
                raise r.error(f'two dialogs have the id "{g_id}"', f"{where}.id")
            self.groups[g_id] = Group(g_id, name, g, where)
        for i, raw in enumerate(r.lst(self.doc.get("conversationMessage"), "conversationMessage")):
            where = f"conversationMessage[{i}]"
            m = r.obj(raw, where)
            m_id = r.text(m.get("id"), f"{where}.id", required=True)
            assert m_id is not None
            group = r.text(m.get("group"), f"{where}.group", required=True)
            assert group is not None
            if group not in self.groups:
                raise r.error(
                    f'the message "{m.get("name", m_id)}" belongs to dialog id "{group}", which'
                    " is not in groups[]",
                    f"{where}.group",
                )
            if m_id in self.messages:
                raise r.error(f'two messages have the id "{m_id}"', f"{where}.id")
            kind = r.text(m.get("interactionType"), f"{where}.interactionType")
            if kind is None:
                content = r.opt_obj(m.get("content"), f"{where}.content")
                results = r.opt_obj(content.get("results"), f"{where}.content.results")
                kind = r.text(results.get("type"), f"{where}.content.results.type") or "TEXT"
            next_id = r.text(m.get("nextMessageId"), f"{where}.nextMessageId")
            r.text(m.get("prevMessageId"), f"{where}.prevMessageId")
            message = Message(
                i,
                m,
                m_id,
                r.text(m.get("name"), f"{where}.name") or m_id,
                kind.upper(),
                group,
                where,
                next_id,
                parse_rules(r, m, where),
            )
            self.messages[m_id] = message
            self.groups[group].messages.append(message)
        for group_ in self.groups.values():
            self._order(group_)
        # Every dialog's interactions and their names first: jumps may point into any dialog.
        for group_ in self.groups.values():
            self._keep(group_)
        return [self._dialog(group_) for group_ in self.groups.values()]

    def _order(self, g: Group) -> None:
        by_id = {m.id: m for m in g.messages}
        pointed = {m.next_id for m in g.messages if m.next_id in by_id}
        ordered: list[Message] = []
        done: set[str] = set()
        # Chains start at starters first, then at any message nobody points to (file order).
        heads = [m for m in g.messages if m.type == "DIALOG_STARTER"]
        heads += [m for m in g.messages if m.id not in pointed and m not in heads]
        for head in [*heads, *g.messages]:
            current: Message | None = head
            while current is not None and current.id not in done:
                done.add(current.id)
                ordered.append(current)
                current = by_id.get(current.next_id) if current.next_id is not None else None
        g.ordered = ordered

    def _starter_targets(self, g: Group) -> set[str]:
        """Starter messages that interactions of the same dialog jump to."""
        starters = {m.id for m in g.messages if m.type == "DIALOG_STARTER"}
        targets: set[str] = set()
        for m in g.messages:
            for rule in m.rules:
                action = rule.data.get("action")
                if not isinstance(action, dict):
                    continue
                value = action.get("value")
                name = action.get("name")
                if (
                    isinstance(value, str)
                    and value in starters
                    and str(name or "INTERACTION").upper() == "INTERACTION"
                ):
                    targets.add(value)
        return targets

    def _keep(self, g: Group) -> None:
        """The messages that become interactions, their names, and the dialog starter.

        Interactions keep the name shown in Conversation Builder, which is also the name bot
        code passes to ``setTriggerNextMessage``; when a dialog has several with one name, the
        first keeps it and the others are named by their message id.
        """
        targets = self._starter_targets(g)
        kept: list[Message] = []
        for m in g.ordered:
            if m.type != "DIALOG_STARTER":
                kept.append(m)
                continue
            self.starter(m, g.starter)
            has_code = self.has_code(m)
            if has_code or m.id in targets:
                kept.append(m)
        g.kept = kept
        taken = {m.name for m in kept}
        names: dict[str, str] = {}
        used: set[str] = set()
        for m in kept:
            name = m.name
            if name in used:
                name = m.id
                if name in taken or name in used:
                    name = f"{m.name} ({m.id})"
                self.r.notes.append(
                    f'dialog "{g.name}" has several interactions named "{m.name}"; the one with'
                    f' id {m.id} is imported as "{name}"'
                )
            used.add(name)
            names[m.id] = name
        g.names = names

    def _dialog(self, g: Group) -> dict[str, Any]:
        r = self.r
        dialog_type = r.text(g.data.get("dialogType"), f"{g.where}.dialogType") or "DIALOG"
        out: dict[str, Any] = {"name": g.name}
        mapped = DIALOG_TYPES.get(dialog_type.upper())
        if mapped is None:
            out["type"] = "other"
            out["kind_label"] = dialog_type
        elif mapped != "standard":
            out["type"] = mapped
        if g.starter:
            out["starter"] = g.starter
        out["interactions"] = [self.interaction(g, i) for i in range(len(g.kept))]
        return out

    def starter(self, m: Message, starter: dict[str, Any]) -> None:
        r = self.r
        patterns = r.texts(m.data.get("pattern"), f"{m.where}.pattern")
        if patterns:
            starter.setdefault("patterns", []).extend(patterns)
        exclude = r.texts(m.data.get("excludeKeywords"), f"{m.where}.excludeKeywords")
        if exclude:
            starter.setdefault("exclude", []).extend(exclude)
        intent_id = r.text(m.data.get("intentId"), f"{m.where}.intentId")
        if intent_id:
            name = self.intents_by_id.get(intent_id)
            if name is None:
                r.notes.append(
                    f'dialog starter "{m.name}": intent id {intent_id} is not in'
                    " associatedIntents; the starter keeps only its patterns"
                )
            elif "intent" in starter and starter["intent"] != name:
                r.notes.append(
                    f'dialog starter "{m.name}": a dialog has one starter intent; "{name}" is'
                    f' ignored (keeps "{starter["intent"]}")'
                )
            else:
                starter["intent"] = name
