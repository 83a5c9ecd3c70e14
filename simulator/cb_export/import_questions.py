"""Text and questions: message content, reply options, question rules and their conditions.

Question rules from ``responseMatches[]``: PATTERN -> ``pattern``, REGEX -> ``regex``,
EVAL_OPTION -> ``exact`` (the option text), NO_MATCH -> ``no_match``, INTENT -> ``intent``; a
rule without conditions is "any answer": the interaction's ``next`` when it is the only rule,
else a ``no_match`` rule (its ``noMatch.fallbackMessage`` -> ``fallback_message``).
``contextDataVariables`` -> ``Rule.set``; ``contextConditions`` -> ``Rule.conditions``
(``contextMatchConditionType`` ANY/ALL -> ``conditions_match``); exclude keywords of pattern
and regex conditions -> ``Rule.exclude``. A condition the simulator cannot evaluate becomes
``Rule.unsupported`` (R3: nothing is dropped).
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Group, Message, Reader, Rule

#: Export names of variable-condition operators (``contextConditions[].matchType``).
CONTEXT_OPS = {
    "CONTAINS": "contains",
    "NOT_CONTAINS": "not_contains",
    "EQUALS": "equals",
    "NOT_EQUALS": "not_equals",
    "GREATER_THAN": "greater_than",
    "LESS_THAN": "less_than",
}


class QuestionImport(ImporterBase):
    """The rules of questions and the variables rules set."""

    def question_rules(self, g: Group, index: int, out: dict[str, Any]) -> None:
        self._question_rules(g, index, out)
        self.flush_action_notes(g.kept[index], out)

    def _question_rules(self, g: Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        rules = m.rules
        mapped: list[dict[str, Any]] = []
        plain = [x for x in rules if not x.conditions]
        if (
            len(rules) == 1
            and plain
            and not self.variables(plain[0])
            and not plain[0].data.get("contextConditions")
        ):
            out["next"] = self.action(g, index, plain[0])
            return
        if not rules:
            out["next"] = self.default_next(g, index)
            return
        for rule in rules:
            entry: dict[str, Any] = {}
            if rule.name:
                entry["name"] = rule.name
            main = self._condition(rule, m, out)
            extra = self.rule_conditions(rule, m)
            if "unsupported" in extra:
                self.r.notes.append(f'interaction "{m.name}": {extra["unsupported"]}')
                main = extra
            elif "unsupported" not in main:
                main.update(extra)
            entry.update(main)
            variables = self.variables(rule)
            if variables:
                entry["set"] = variables
            entry["next"] = self.action(g, index, rule)
            mapped.append(entry)
        out["rules"] = mapped

    def rule_conditions(self, rule: Rule, m: Message) -> dict[str, Any]:
        """A rule's ``contextConditions`` (variable conditions) and how they combine; an
        operator the simulator does not know makes the whole rule unsupported (R3)."""
        r = self.r
        where = f"{rule.where}.contextConditions"
        conditions: list[dict[str, str]] = []
        for j, raw in enumerate(r.lst(rule.data.get("contextConditions"), where)):
            c = r.obj(raw, f"{where}[{j}]")
            kind = (r.text(c.get("matchType"), f"{where}[{j}].matchType") or "").upper()
            name = r.text(c.get("contextName"), f"{where}[{j}].contextName") or ""
            value = r.text(c.get("value"), f"{where}[{j}].value") or ""
            if kind not in CONTEXT_OPS:
                return {"unsupported": f"variable condition {kind or '(none)'} on {name!r}"}
            conditions.append({"name": name, "op": CONTEXT_OPS[kind], "value": value})
        if not conditions:
            return {}
        how = (
            r.text(rule.data.get("contextMatchConditionType"), f"{rule.where}.contextMatch")
            or "ANY"
        ).upper()
        if how not in ("ANY", "ALL"):
            return {"unsupported": f"variable conditions combined by {how}"}
        return {"conditions": conditions, "conditions_match": how.lower()}

    def _condition(self, rule: Rule, m: Message, out: dict[str, Any]) -> dict[str, Any]:
        """The rule's main condition; one the simulator cannot evaluate is kept as
        ``unsupported`` (the rule never matches; check warns, the transcript says so)."""
        r = self.r
        conditions = rule.conditions
        if not conditions:
            return {"no_match": True}
        kinds = {str(c.get("matchType", "")).upper() for c in conditions}
        label = rule.name or rule.where.rpartition(".")[2]
        if len(kinds) > 1:
            self.unmapped(
                out,
                m,
                f'rule "{label}" combines {", ".join(sorted(kinds))} conditions; only the'
                " first kind is evaluated",
            )
        kind = str(conditions[0].get("matchType", "")).upper()
        same = [
            (f"{rule.where}.conditions[{j}]", c)
            for j, c in enumerate(conditions)
            if str(c.get("matchType", "")).upper() == kind
        ]
        if kind == "PATTERN":
            patterns: list[str] = []
            exclude: list[str] = []
            for at, c in same:
                pm = r.opt_obj(c.get("patternMatch"), f"{at}.patternMatch")
                patterns += r.texts(pm.get("patterns"), f"{at}.patternMatch.patterns")
                exclude += r.texts(pm.get("excludeKeywords"), f"{at}.patternMatch.excludeKeywords")
            if not patterns:
                raise r.error("a PATTERN condition needs patterns", f"{rule.where}.conditions")
            result: dict[str, Any] = {"pattern": patterns[0] if len(patterns) == 1 else patterns}
            if exclude:
                result["exclude"] = exclude
            return result
        if kind == "REGEX":
            at = same[0][0]
            rm = r.opt_obj(same[0][1].get("regexMatch"), f"{at}.regexMatch")
            regex = r.text(rm.get("regexText"), f"{at}.regexMatch.regexText", required=True)
            result = {"regex": regex}
            exclude = r.texts(rm.get("excludeKeywords"), f"{at}.regexMatch.excludeKeywords")
            if exclude:
                result["exclude"] = exclude
            return result
        if kind == "EVAL_OPTION":
            values = [
                r.text(
                    r.opt_obj(c.get("evaluateOptionMatch"), f"{at}.evaluateOptionMatch").get(
                        "value"
                    ),
                    f"{at}.evaluateOptionMatch.value",
                    required=True,
                )
                or ""
                for at, c in same
            ]
            return {"exact": values[0] if len(values) == 1 else values}
        if kind == "NO_MATCH":
            at = same[0][0]
            nm = r.opt_obj(same[0][1].get("noMatch"), f"{at}.noMatch")
            message = r.text(nm.get("fallbackMessage"), f"{at}.noMatch.fallbackMessage")
            result = {"no_match": True}
            if message and message.strip():
                result["fallback_message"] = message
            return result
        if kind == "INTENT":
            at = same[0][0]
            im = r.opt_obj(same[0][1].get("intentMatch"), f"{at}.intentMatch")
            intent_id = r.text(im.get("intentId"), f"{at}.intentMatch.intentId")
            name = self.intents_by_id.get(intent_id or "") or r.text(
                im.get("intentName"), f"{at}.intentMatch.intentName"
            )
            if name:
                return {"intent": name}
            r.notes.append(f'interaction "{m.name}": rule "{label}" names an unknown intent')
            return {"unsupported": f"intent id {intent_id} is not in associatedIntents"}
        r.notes.append(f'interaction "{m.name}": rule "{label}" has condition {kind}')
        if kind == "UNSUPPORTED":  # written by the simulator's own exporter
            kept = r.text(conditions[0].get("unsupported"), f"{rule.where}.conditions[0]")
            return {"unsupported": kept or "condition UNSUPPORTED is not modelled"}
        return {"unsupported": f"condition {kind or '(none)'} is not modelled"}

    def variables(self, rule: Rule) -> dict[str, str]:
        r = self.r
        result: dict[str, str] = {}
        where = f"{rule.where}.contextDataVariables"
        for i, raw in enumerate(r.lst(rule.data.get("contextDataVariables"), where)):
            v = r.obj(raw, f"{where}[{i}]")
            name = r.text(v.get("name"), f"{where}[{i}].name")
            if name:
                result[name] = r.text(v.get("value"), f"{where}[{i}].value") or ""
        return result


def content_text(r: Reader, kind: str, tiles: list[dict[str, Any]], where: str) -> str:
    parts: list[str] = []
    for i, tile in enumerate(tiles):
        at = f"{where}.tileData[{i}]"
        if kind == "UNIVERSAL":
            widget = r.opt_obj(tile.get("universalWidget"), f"{at}.universalWidget")
            value = r.text(widget.get("leMessageJson"), f"{at}.universalWidget.leMessageJson")
            if value:
                parts.append(value)
            continue
        text = r.text(tile.get("text"), f"{at}.text")
        if text:
            parts.append(text)
        elif kind == "STRUCTURED":
            for key in ("title", "subTitle"):
                value = r.text(tile.get(key), f"{at}.{key}")
                if value:
                    parts.append(value)
    return "\n".join(parts)


def reply_options(
    r: Reader, kind: str, d: dict[str, Any], tiles: list[dict[str, Any]], where: str
) -> list[str]:
    options: list[str] = []
    for i, raw in enumerate(r.lst(d.get("quickReplies"), f"{where}.quickReplies")):
        q = r.obj(raw, f"{where}.quickReplies[{i}]")
        title = r.text(q.get("title"), f"{where}.quickReplies[{i}].title")
        if title:
            options.append(title)
    for t_index, tile in enumerate(tiles):
        at = f"{where}.tileData[{t_index}]"
        for i, raw in enumerate(r.lst(tile.get("buttons"), f"{at}.buttons")):
            b = r.obj(raw, f"{at}.buttons[{i}]")
            title = r.text(b.get("name") or b.get("title"), f"{at}.buttons[{i}].name")
            if title:
                options.append(title)
        for i, raw in enumerate(r.lst(tile.get("quickReplyList"), f"{at}.quickReplyList")):
            if isinstance(raw, dict):
                title = r.text(raw.get("title"), f"{at}.quickReplyList[{i}].title")
                if title:
                    options.append(title)
        choice = r.opt_obj(tile.get("multipleChoice"), f"{at}.multipleChoice")
        options += [
            c.strip()
            for c in r.texts(choice.get("multipleChoices"), f"{at}.multipleChoice.multipleChoices")
        ]
    return options
