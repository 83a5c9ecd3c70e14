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
    """The message text of text-like tiles (structured tiles, universal JSON and images carry
    no message text: they become rich content, see ``rich_fields``)."""
    if kind in ("UNIVERSAL", "STRUCTURED", "IMAGE"):
        return ""
    parts: list[str] = []
    for i, tile in enumerate(tiles):
        text = r.text(tile.get("text"), f"{where}.tileData[{i}].text")
        if text:
            parts.append(text)
    return "\n".join(parts)


def _choice(r: Reader, raw: Any, where: str, *, button: bool) -> dict[str, Any] | None:
    """A CB quick reply (title, payload) or button (name, type, callback) -> a choice (R1)."""
    c = r.obj(raw, where)
    title = r.text(
        c.get("name") if button else c.get("title"), where + (".name" if button else ".title")
    )
    if title is None:
        title = r.text(c.get("title"), where + ".title")
    if not title:
        return None
    out: dict[str, Any] = {"title": title}
    if button:
        value = r.text(c.get("callback"), where + ".callback")
        kind = (r.text(c.get("type"), where + ".type") or "postback").lower()
        if kind == "web_url":
            out["type"] = "link"
            out["url"] = value or ""
            return out
        if value is not None and value != title:
            out["value"] = value
        return out
    value = r.text(c.get("payload"), where + ".payload")
    if value and value != title:
        out["value"] = value
    return out


def rich_fields(
    r: Reader, kind: str, d: dict[str, Any], tiles: list[dict[str, Any]], where: str
) -> dict[str, Any]:
    """The rich content of a message as tenant keys (R2): ``quick_replies``, ``buttons``,
    ``choices`` (+ ``choice_display``, ``list_style``), ``cards``, ``structured``, ``image``.

    QUICK_REPLY ``quickReplies[]`` (title, payload); BUTTON ``buttons[]`` (name, type postback
    or web_url, callback); MULTIPLE_CHOICE_QUESTION ``multipleChoice`` (choices, displayChoice
    BUTTON or QUICK_REPLY, textStyle NUMBERS or LETTERS); STRUCTURED tiles (title, subTitle,
    image, buttons) as cards; UNIVERSAL ``leMessageJson`` kept as text (it may hold
    ``{$botContext.x}`` and is parsed when sent); IMAGE ``url``.
    """
    out: dict[str, Any] = {}
    quick: list[dict[str, Any]] = []
    for i, raw in enumerate(r.lst(d.get("quickReplies"), f"{where}.quickReplies")):
        choice = _choice(r, raw, f"{where}.quickReplies[{i}]", button=False)
        if choice is not None:
            quick.append(choice)
    buttons: list[dict[str, Any]] = []
    choices: list[str] = []
    cards: list[dict[str, Any]] = []
    for t_index, tile in enumerate(tiles):
        at = f"{where}.tileData[{t_index}]"
        tile_buttons = [
            b
            for i, raw in enumerate(r.lst(tile.get("buttons"), f"{at}.buttons"))
            if (b := _choice(r, raw, f"{at}.buttons[{i}]", button=True)) is not None
        ]
        for i, raw in enumerate(r.lst(tile.get("quickReplyList"), f"{at}.quickReplyList")):
            choice = _choice(r, raw, f"{at}.quickReplyList[{i}]", button=False)
            if choice is not None:
                quick.append(choice)
        if kind == "STRUCTURED":
            card: dict[str, Any] = {}
            for key, name in (("title", "title"), ("subTitle", "subtitle"), ("image", "image")):
                value = r.text(tile.get(key), f"{at}.{key}")
                if value:
                    card[name] = value
            link = r.text(tile.get("imageClickUrl") or tile.get("itemUrl"), f"{at}.imageClickUrl")
            if link:
                card["link"] = link
            card["buttons"] = tile_buttons
            cards.append(card)
        else:
            buttons += tile_buttons
        if kind == "UNIVERSAL":
            widget = r.opt_obj(tile.get("universalWidget"), f"{at}.universalWidget")
            value = r.text(widget.get("leMessageJson"), f"{at}.universalWidget.leMessageJson")
            if value:
                out["structured"] = value
        if kind == "IMAGE":
            url = r.text(tile.get("url"), f"{at}.url")
            if url:
                caption = r.text(tile.get("caption"), f"{at}.caption")
                out["image"] = {"url": url, "caption": caption} if caption else url
        mc = r.opt_obj(tile.get("multipleChoice"), f"{at}.multipleChoice")
        if mc:
            choices += [
                c.strip()
                for c in r.texts(mc.get("multipleChoices"), f"{at}.multipleChoice.multipleChoices")
            ]
            display = r.text(mc.get("displayChoice"), f"{at}.multipleChoice.displayChoice")
            if (display or "").upper() == "QUICK_REPLY":
                out["choice_display"] = "quick_replies"
            style = r.text(mc.get("textStyle"), f"{at}.multipleChoice.textStyle")
            if (style or "").upper() == "LETTERS":
                out["list_style"] = "letters"
    if quick:
        out["quick_replies"] = quick
    if buttons:
        out["buttons"] = buttons
    if choices:
        out["choices"] = choices
    if cards:
        out["cards"] = cards
    return out
