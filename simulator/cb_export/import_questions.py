"""Text and questions: message content, reply options, question rules and their conditions.

Question rules from ``responseMatches[]``: PATTERN -> ``pattern``, REGEX -> ``regex``,
EVAL_OPTION -> ``exact`` (the option text), NO_MATCH -> ``no_match``, INTENT -> ``intent``; a
rule without conditions is "any answer": the interaction's ``next`` when it is the only rule,
else a ``no_match`` rule. ``contextDataVariables`` -> ``Rule.set``. Context conditions and
exclude keywords of rule patterns have no equivalent and are dropped with a note.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Group, Message, Reader, Rule


class QuestionImport(ImporterBase):
    """The rules of questions and the variables rules set."""

    def question_rules(self, g: Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        rules = m.rules
        mapped: list[dict[str, Any]] = []
        plain = [x for x in rules if not x.conditions]
        if len(rules) == 1 and plain and not self.variables(plain[0]):
            out["next"] = self.action(g, index, plain[0])
            return
        if not rules:
            out["next"] = self.default_next(g, index)
            return
        for i, rule in enumerate(rules):
            entry: dict[str, Any] = {}
            if rule.name:
                entry["name"] = rule.name
            condition = self._condition(rule, m)
            if condition is None:
                continue
            entry.update(condition)
            variables = self.variables(rule)
            if variables:
                entry["set"] = variables
            entry["next"] = self.action(g, index, rule)
            if rule.data.get("contextConditions"):
                self.r.notes.append(
                    f'interaction "{m.name}", rule "{rule.name or i + 1}": context conditions'
                    " are not simulated and are ignored"
                )
            mapped.append(entry)
        out["rules"] = mapped

    def _condition(self, rule: Rule, m: Message) -> dict[str, Any] | None:
        r = self.r
        conditions = rule.conditions
        if not conditions:
            return {"no_match": True}
        kinds = {str(c.get("matchType", "")).upper() for c in conditions}
        if len(kinds) > 1:
            r.notes.append(
                f'interaction "{m.name}": a rule combines {", ".join(sorted(kinds))}; only the'
                " first condition is used"
            )
        kind = str(conditions[0].get("matchType", "")).upper()
        same = [
            (f"{rule.where}.conditions[{j}]", c)
            for j, c in enumerate(conditions)
            if str(c.get("matchType", "")).upper() == kind
        ]
        if kind == "PATTERN":
            patterns: list[str] = []
            for at, c in same:
                pm = r.opt_obj(c.get("patternMatch"), f"{at}.patternMatch")
                patterns += r.texts(pm.get("patterns"), f"{at}.patternMatch.patterns")
                if pm.get("excludeKeywords"):
                    r.notes.append(
                        f'interaction "{m.name}": exclude keywords of a rule pattern are ignored'
                    )
            if not patterns:
                raise r.error("a PATTERN condition needs patterns", f"{rule.where}.conditions")
            return {"pattern": patterns[0] if len(patterns) == 1 else patterns}
        if kind == "REGEX":
            at = same[0][0]
            rm = r.opt_obj(same[0][1].get("regexMatch"), f"{at}.regexMatch")
            regex = r.text(rm.get("regexText"), f"{at}.regexMatch.regexText", required=True)
            return {"regex": regex}
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
            return {"no_match": True}
        if kind == "INTENT":
            at = same[0][0]
            im = r.opt_obj(same[0][1].get("intentMatch"), f"{at}.intentMatch")
            intent_id = r.text(im.get("intentId"), f"{at}.intentMatch.intentId")
            name = self.intents_by_id.get(intent_id or "") or r.text(
                im.get("intentName"), f"{at}.intentMatch.intentName"
            )
            if name:
                return {"intent": name}
        r.notes.append(f'interaction "{m.name}": a rule with condition {kind} is dropped')
        return None

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
