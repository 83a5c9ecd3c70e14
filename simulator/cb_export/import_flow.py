"""Where an interaction goes next: rule actions, jumps, and the default next step.

Actions: ``next`` -> next, ``none`` -> end, ``close_conversation``, an interaction id of the
same dialog -> its name, an interaction of another dialog -> ``dialog:NAME#INTERACTION``
(``dialog:NAME`` when it is that dialog's first interaction or its starter), ``DIALOG`` + group
id -> ``dialog:NAME``. API_RESULT rules of an integration or transfer: the SUCCESS rule's
action is the interaction's ``next``, the FAILURE rule's action its ``on_failure``. An API
integration whose result rules say more (variable conditions, several rules per status, other
statuses) keeps them as ``rules`` with ``api_result``; a rule the simulator cannot evaluate is
kept as ``unsupported`` and other rules it cannot follow become interaction ``notes`` (R3).
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Group, Message, Rule


class FlowImport(ImporterBase):
    """Next steps of statements, defaults and rule actions."""

    def statement_next(self, g: Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        if m.type == "API_INTEGRATION" and self._needs_result_rules(m):
            self._result_rules(g, index, out)
        else:
            self._statement_next(g, index, out)
        self.flush_action_notes(m, out)

    def _statement_next(self, g: Group, index: int, out: dict[str, Any]) -> None:
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
                    self.unmapped(
                        out,
                        m,
                        f'the API result rule "{rule.name or status}" (status {status}) is not'
                        " followed",
                    )
                if rule.data.get("contextConditions"):
                    self.unmapped(
                        out, m, f'the variable conditions of rule "{rule.name}" are not evaluated'
                    )
                continue
            if chosen is None:
                chosen = rule
            elif rule.conditions:
                self.unmapped(
                    out, m, f'this is not a question; its rule "{rule.name}" is never evaluated'
                )
        if chosen is None:
            out["next"] = self.default_next(g, index)
            return
        out["next"] = self.action(g, index, chosen)
        variables = self.variables(chosen)
        if variables:
            out["set"] = variables

    def _needs_result_rules(self, m: Message) -> bool:
        """Whether an integration's result rules say more than "success: next, failure:
        on_failure" (then they are kept as rules)."""
        seen: set[str] = set()
        for rule in m.rules:
            if not rule.conditions:
                continue
            kinds = {str(c.get("matchType", "")).upper() for c in rule.conditions}
            status = self._status(rule) if kinds == {"API_RESULT"} else None
            if status is None or status in seen or rule.data.get("contextConditions"):
                return True
            if status == "failure" and self.variables(rule):
                return True
            seen.add(status)
        return False

    def _status(self, rule: Rule) -> str | None:
        for j, c in enumerate(rule.conditions):
            if str(c.get("matchType", "")).upper() == "API_RESULT":
                at = f"{rule.where}.conditions[{j}].apiResultsMatch"
                match = self.r.opt_obj(c.get("apiResultsMatch"), at)
                status = (self.r.text(match.get("status"), f"{at}.status") or "SUCCESS").upper()
                if status == "SUCCESS":
                    return "success"
                if status in ("FAILURE", "FAILED", "ERROR"):
                    return "failure"
        return None

    def _result_rules(self, g: Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        rules: list[dict[str, Any]] = []
        default: Rule | None = None
        for rule in m.rules:
            if not rule.conditions:
                default = default or rule
                continue
            entry: dict[str, Any] = {"name": rule.name} if rule.name else {}
            kinds = sorted({str(c.get("matchType", "")).upper() for c in rule.conditions})
            status = self._status(rule) if kinds == ["API_RESULT"] else None
            extra = self.rule_conditions(rule, m)
            if status is None:
                what = f"condition {', '.join(kinds)} on an integration result"
                entry["unsupported"] = what
                self.r.notes.append(f'interaction "{m.name}": {what}')
            elif "unsupported" in extra:
                entry.update(extra)
                self.r.notes.append(f'interaction "{m.name}": {extra["unsupported"]}')
            else:
                entry["api_result"] = status
                entry.update(extra)
            variables = self.variables(rule)
            if variables:
                entry["set"] = variables
            entry["next"] = self.action(g, index, rule)
            rules.append(entry)
        out["rules"] = rules
        out["next"] = (
            self.action(g, index, default) if default is not None else self.default_next(g, index)
        )

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
                what = f"jump to unknown dialog id {value}; it goes to the next interaction"
                r.notes.append(f'interaction "{m.name}": {what}')
                self.action_notes.setdefault(m.id, []).append(what)
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
            what = f"jump to unknown interaction id {value}; it goes to the next interaction"
            r.notes.append(f'interaction "{m.name}": {what}')
            self.action_notes.setdefault(m.id, []).append(what)
            return self.default_next(g, index)
        if target_msg.group == g.id:
            # A starter of this dialog without code: the dialog's first interaction.
            return next(iter(g.names.values()), "end") if g.names else "end"
        other = self.groups[target_msg.group]
        if target_msg.id in other.names and other.kept[0].id != target_msg.id:
            # Into the middle of another dialog (a starter without code is its beginning).
            return f"dialog:{other.name}#{other.names[target_msg.id]}"
        return f"dialog:{other.name}"
