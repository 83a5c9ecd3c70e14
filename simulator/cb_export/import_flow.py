"""Where an interaction goes next: rule actions, jumps, and the default next step.

Actions: ``next`` -> next, ``none`` -> end, ``close_conversation``, an interaction id of the
same dialog -> its name, an interaction of another dialog -> ``dialog:NAME#INTERACTION``
(``dialog:NAME`` when it is that dialog's first interaction or its starter), ``DIALOG`` + group
id -> ``dialog:NAME``. API_RESULT rules of an integration or transfer: the SUCCESS rule's
action is the interaction's ``next``, the FAILURE rule's action its ``on_failure``; other
statuses are dropped with a note.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Group, Rule


class FlowImport(ImporterBase):
    """Next steps of statements, defaults and rule actions."""

    def statement_next(self, g: Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        chosen: Rule | None = None
        for rule in m.rules:
            api = [
                (j, c) for j, c in enumerate(rule.conditions) if c.get("matchType") == "API_RESULT"
            ]
            if api:
                j, condition = api[0]
                at = f"{rule.where}.conditions[{j}].apiResultsMatch"
                match = self.r.opt_obj(condition.get("apiResultsMatch"), at)
                status = self.r.text(match.get("status"), f"{at}.status") or "SUCCESS"
                if status.upper() == "SUCCESS" and chosen is None:
                    chosen = rule
                elif status.upper() in ("FAILURE", "FAILED", "ERROR") and ("on_failure" not in out):
                    out["on_failure"] = self.action(g, index, rule)
                else:
                    self.r.notes.append(
                        f'interaction "{m.name}": the API result rule for status {status} has no'
                        " equivalent in the simulator and is dropped"
                    )
                continue
            if chosen is None:
                chosen = rule
            elif rule.conditions:
                self.r.notes.append(
                    f'interaction "{m.name}" is not a question; its rule "{rule.name}" is dropped'
                )
        if chosen is None:
            out["next"] = self.default_next(g, index)
            return
        out["next"] = self.action(g, index, chosen)
        variables = self.variables(chosen)
        if variables:
            out["set"] = variables

    def default_next(self, g: Group, index: int) -> str:
        kept = g.kept
        nxt = kept[index].next_id
        if index + 1 >= len(kept):
            return "next"
        if nxt == kept[index + 1].id:
            return "next"
        if nxt is not None and nxt in g.names:
            return g.names[nxt]
        return "end"

    def action(self, g: Group, index: int, rule: Rule) -> str:
        r = self.r
        m = g.kept[index]
        action = r.opt_obj(rule.data.get("action"), f"{rule.where}.action")
        name = (r.text(action.get("name"), f"{rule.where}.action.name") or "INTERACTION").upper()
        value = r.text(action.get("value"), f"{rule.where}.action.value") or "next"
        if name == "DIALOG":
            target = self.groups.get(value)
            if target is None:
                r.notes.append(f'interaction "{m.name}": jump to unknown dialog id {value}; next')
                return "next"
            return f"dialog:{target.name}"
        lowered = value.lower()
        if lowered == "next":
            return self.default_next(g, index)
        if lowered in ("none", "end"):
            return "end"
        if lowered in ("close_conversation", "close_dialog"):
            return lowered
        if value in g.names:
            return g.names[value]
        target_msg = self.messages.get(value)
        if target_msg is None:
            r.notes.append(
                f'interaction "{m.name}": jump to unknown interaction id {value}; it goes to the'
                " next interaction instead"
            )
            return self.default_next(g, index)
        if target_msg.group == g.id:
            # A starter of this dialog without code: the dialog's first interaction.
            return next(iter(g.names.values()), "end") if g.names else "end"
        other = self.groups[target_msg.group]
        if target_msg.id in other.names and other.kept[0].id != target_msg.id:
            # Into the middle of another dialog (a starter without code is its beginning).
            return f"dialog:{other.name}#{other.names[target_msg.id]}"
        return f"dialog:{other.name}"
