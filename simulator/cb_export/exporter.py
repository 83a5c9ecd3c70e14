"""Writing a ``Bot`` in Conversation Builder's export format.

The result re-imports to an equal model (``load -> export -> load``). Ids that the model does
not keep (bot, dialogs, messages) are derived from names, so exporting twice gives the same
file. Settings without a place in the format go under the ``x-cb-simulator`` key.
"""

from __future__ import annotations

import uuid
from typing import Any

from simulator.cb_export.format import DIALOG_TYPES, ESCALATION_RESPONDER, EXTENSION
from simulator.nlu import NluEngine
from simulator.tenant.schema import (
    BLANK_MESSAGE,
    ApiIntegration,
    Bot,
    ChoiceSpec,
    Dialog,
    DialogType,
    Interaction,
    Rule,
)

_NS = uuid.UUID("8f0d5c1e-4b7a-4e57-9a55-6c62b0a1d3f1")


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(parts)))


def _message_id(*parts: str) -> str:
    return _id(*parts).replace("-", "")[:40]


_EXPORT_DIALOG_TYPES = {v: k for k, v in DIALOG_TYPES.items()}


def export_bot(bot: Bot) -> dict[str, Any]:
    """The export document of a bot (``json.dumps`` it to write a file)."""
    return _Exporter(bot).build()


class _Exporter:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.bot_id = _id("bot", bot.name)
        self.intent_ids = {i.name: i.id or _id("intent", bot.name, i.name) for i in bot.intents}
        self.group_ids = {d.name: _id("dialog", bot.name, d.name) for d in bot.dialogs}

    def build(self) -> dict[str, Any]:
        bot = self.bot
        attributes: dict[str, str] = {}
        if bot.default_user_friendly_response is not None:
            attributes["DEFAULT_ERROR_MESSAGE"] = bot.default_user_friendly_response
        head: dict[str, Any] = {
            "id": self.bot_id,
            "name": bot.name,
            "chatBotType": "SURVEY_BOT" if bot.type.value == "survey" else "CUSTOMER_FACING_BOT",
            "language": bot.language,
            "botAttributes": attributes,
            "sessionLength": bot.session_length_minutes or 0,
        }
        if bot.group is not None:
            head["transferGroupId"] = bot.group
        doc: dict[str, Any] = {"bot": head, "responder": self._responders()}
        messages: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        for dialog in bot.dialogs:
            groups.append(self._group(dialog))
            messages.extend(self._messages(dialog))
        doc["conversationMessage"] = messages
        doc["groups"] = groups
        doc["globalFunctions"] = (
            {"chatBotId": self.bot_id, "methods": bot.global_functions}
            if bot.global_functions is not None
            else None
        )
        domains = sorted({i.domain for i in bot.intents if i.domain})
        doc["associatedDomains"] = [{"id": _id("domain", d), "name": d} for d in domains]
        doc["associatedIntents"] = [
            {
                "id": self.intent_ids[i.name],
                "name": i.name,
                "displayName": i.name,
                **({"domain": i.domain, "domainId": _id("domain", i.domain)} if i.domain else {}),
                "type": "INTENT",
                "trainingPhrases": list(i.phrases),
            }
            for i in bot.intents
        ]
        ext: dict[str, Any] = {}
        if bot.environment:
            ext["environment"] = dict(bot.environment)
        if bot.nlu_engine is not NluEngine.LIVEPERSON:
            ext["nlu_engine"] = bot.nlu_engine.value
        if bot.notes:
            ext["notes"] = list(bot.notes)
        if ext:
            doc[EXTENSION] = ext
        return doc

    # -- integrations -----------------------------------------------------------------------
    def _responders(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for integration in self.bot.integrations:
            entry: dict[str, Any] = {
                "chatbotId": self.bot_id,
                "id": _id("responder", self.bot.name, integration.name),
                "name": integration.name,
            }
            if isinstance(integration, ApiIntegration):
                entry.update(
                    {
                        "webhook": integration.url,
                        "method": integration.method,
                        "integrationType": "API",
                        "tangoContextEnabled": False,
                    }
                )
                if integration.transform is not None:
                    entry["transformResultsScript"] = integration.transform
                if integration.headers:
                    entry["headers"] = [
                        {"key": k, "value": v} for k, v in integration.headers.items()
                    ]
                if integration.body is not None:
                    entry["postBody"] = integration.body
            else:
                entry["integrationType"] = ESCALATION_RESPONDER
                entry["tangoContextEnabled"] = integration.transfer_bot_context
                for key, value in (
                    ("agentSkillId", integration.skill_id),
                    ("agentSkillName", integration.skill_name),
                    ("agentId", integration.agent_id),
                    ("messageToUser", integration.message_to_user),
                ):
                    if value is not None:
                        entry[key] = value
            if integration.response_variable is not None:
                entry["responseDataVariable"] = integration.response_variable
            if integration.custom_data:
                entry["customDataFields"] = [
                    {"key": k, "value": v} for k, v in integration.custom_data.items()
                ]
            result.append(entry)
        return result

    # -- dialogs ----------------------------------------------------------------------------
    def _group(self, dialog: Dialog) -> dict[str, Any]:
        if dialog.type is DialogType.OTHER:
            kind = dialog.kind_label or "OTHER"
        else:
            kind = _EXPORT_DIALOG_TYPES[dialog.type.value]
        return {
            "chatBotId": self.bot_id,
            "id": self.group_ids[dialog.name],
            "name": dialog.name,
            "dialogType": kind,
            "status": "ENABLED",
        }

    def _messages(self, dialog: Dialog) -> list[dict[str, Any]]:
        names = [i.name or f"{dialog.name} #{n + 1}" for n, i in enumerate(dialog.interactions)]
        ids = {name: _message_id("message", self.bot.name, dialog.name, name) for name in names}
        targets = _jump_targets(dialog.interactions)
        messages: list[dict[str, Any]] = []
        interactions = list(zip(names, dialog.interactions, strict=True))
        starter = dialog.starter
        if starter is not None:
            merged = None
            if interactions and _mergeable(interactions[0][1], interactions[0][0] in targets):
                merged = interactions.pop(0)
            if merged is not None:
                message = self._message(dialog, merged[0], merged[1], ids)
                message["interactionType"] = "DIALOG_STARTER"
                message["content"] = _content("DIALOG_STARTER", [{}])
            else:
                message = {
                    "id": _message_id("starter", self.bot.name, dialog.name),
                    "name": "dialog_starter",
                    "type": "BOT_MESSAGE",
                    "interactionType": "DIALOG_STARTER",
                    "content": _content("DIALOG_STARTER", [{}]),
                    "responseMatches": [_rule([], {"name": "INTERACTION", "value": "next"}, {})],
                }
            message["pattern"] = list(starter.patterns)
            if starter.exclude:
                message["excludeKeywords"] = list(starter.exclude)
            if starter.intent is not None:
                message["intentId"] = self.intent_ids.get(starter.intent, starter.intent)
            messages.append(message)
        for name, interaction in interactions:
            messages.append(self._message(dialog, name, interaction, ids))
        group = self.group_ids[dialog.name]
        for index, message in enumerate(messages):
            message["chatBotId"] = self.bot_id
            message["group"] = group
            message.setdefault("status", "ACTIVE")
            if index > 0:
                message["prevMessageId"] = messages[index - 1]["id"]
            if index + 1 < len(messages):
                message["nextMessageId"] = messages[index + 1]["id"]
        return messages

    def _message(
        self, dialog: Dialog, name: str, i: Interaction, ids: dict[str, str]
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": ids[name],
            "name": name,
            "type": "BOT_MESSAGE",
            "userInputRequired": False,
        }
        ext: dict[str, Any] = {}
        if (i.text is not None or i.question is not None) and i.has_rich_content:
            self._rich(message, i, ext)
        elif i.text is not None:
            message["interactionType"] = "TEXT"
            message["content"] = _content("TEXT", [{"text": i.text}])
        elif i.question is not None:
            message["interactionType"] = "TEXT_QUESTION"
            message["content"] = _content(message["interactionType"], [{"text": i.question}])
        elif i.transfer is not None:
            t = i.transfer
            escalation: dict[str, Any] = {"tangoContextEnabled": t.transfer_bot_context}
            for key, value in (
                ("agentSkillId", t.skill_id),
                ("agentSkillName", t.skill_name),
                ("agentId", t.agent_id),
            ):
                if value is not None:
                    escalation[key] = value
            message["interactionType"] = "ESCALATION"
            message["content"] = _content(
                "ESCALATION", [{"text": t.message_to_user, "escalation": escalation}]
            )
        elif i.integration is not None:
            message["interactionType"] = "API_INTEGRATION"
            message["content"] = {
                "contentType": "DYNAMIC",
                "responderName": i.integration,
                "responderId": _id("responder", self.bot.name, i.integration),
            }
        else:
            kind = i.unsupported or "UNKNOWN"
            message["interactionType"] = kind
            message["content"] = _content(kind, [])
        if i.delay_ms:
            message["interactionDelay"] = str(i.delay_ms)
        for key, value in (
            ("preProcessMessage", i.pre_process),
            ("postProcessMessage", i.post_process),
            ("processUserResponse", i.process_user_response),
        ):
            if value is not None:
                message[key] = value
        if i.disabled:
            message["status"] = "INACTIVE"
        if i.notes:
            ext["notes"] = list(i.notes)
        if i.question is not None and i.rules:
            message["responseMatches"] = [self._rule(dialog, r, ids) for r in i.rules]
            if i.next != "next":
                ext["next"] = i.next
        elif i.integration is not None and i.rules:
            message["responseMatches"] = [self._rule(dialog, r, ids) for r in i.rules] + [
                _rule([], self._action(i.next, ids), i.set, name=None)
            ]
        elif i.on_failure is not None:
            message["responseMatches"] = [
                _rule(_api_result("SUCCESS"), self._action(i.next, ids), i.set, name="Success"),
                _rule(_api_result("FAILURE"), self._action(i.on_failure, ids), {}, name="Failure"),
            ]
        else:
            variables = i.set if i.question is None else {}
            message["responseMatches"] = [
                _rule([], self._action(i.next, ids), variables, name=None)
            ]
        if i.question is not None and i.set:
            ext["set"] = dict(i.set)
        if i.save_as is not None:
            ext["save_as"] = i.save_as
        if i.bot_transfer is not None:
            ext["bot_transfer"] = i.bot_transfer.model_dump(mode="json", exclude_none=True)
        if i.context:
            ext["context"] = [c.model_dump(mode="json", exclude_none=True) for c in i.context]
        if ext:
            message[EXTENSION] = ext
        return message

    def _rich(self, message: dict[str, Any], i: Interaction, ext: dict[str, Any]) -> None:
        """Rich content back in Conversation Builder's shapes (the inverse of ``rich_fields``)."""
        text = i.text if i.text is not None else i.question or ""
        tile: dict[str, Any] = {"text": text} if text else {}
        if i.structured is not None:
            kind = "UNIVERSAL"
            tile = {"universalWidget": {"leMessageJson": i.structured}}
        elif i.cards:
            kind = "STRUCTURED"
        elif i.image is not None:
            kind = "IMAGE"
            tile = {"url": i.image.url, **({"caption": i.image.caption} if i.image.caption else {})}
        elif i.choices:
            kind = "MULTIPLE_CHOICE_QUESTION"
            tile["multipleChoice"] = {
                "multipleChoices": list(i.choices),
                "displayChoice": "QUICK_REPLY" if i.choice_display == "quick_replies" else "BUTTON",
                "textStyle": "LETTERS" if i.list_style == "letters" else "NUMBERS",
            }
        elif i.buttons:
            kind = "BUTTON"
        else:
            kind = "QUICK_REPLY"
        message["interactionType"] = kind
        message["userInputRequired"] = i.question is not None
        if i.cards:
            tiles = [
                {
                    **{
                        k: v
                        for k, v in (
                            ("title", c.title),
                            ("subTitle", c.subtitle),
                            ("image", c.image),
                            ("imageClickUrl", c.link),
                        )
                        if v
                    },
                    "buttons": [_button(b) for b in c.buttons],
                    "quickReplyList": [],
                }
                for c in i.cards
            ]
            message["content"] = {
                "contentType": "STATIC",
                "results": {"type": kind, "tile": {"tileData": tiles}},
            }
        else:
            message["content"] = _content(kind, [tile])
            if i.buttons:
                message["content"]["results"]["tile"]["tileData"][0]["buttons"] = [
                    _button(b) for b in i.buttons
                ]
        quick = [*(ChoiceSpec(title=o) for o in i.options), *i.quick_replies]
        if quick:
            message["quickReplies"] = [
                {"type": "text", "title": q.title, "payload": q.value or q.title} for q in quick
            ]
        if i.options:
            ext["options"] = list(i.options)
        if i.text is not None:
            ext["statement"] = True
        if text and kind in ("UNIVERSAL", "STRUCTURED", "IMAGE"):
            ext["text"] = text  # these types carry no message text in Conversation Builder

    def _rule(self, dialog: Dialog, rule: Rule, ids: dict[str, str]) -> dict[str, Any]:
        conditions: list[dict[str, Any]]
        if rule.pattern is not None:
            patterns = [rule.pattern] if isinstance(rule.pattern, str) else list(rule.pattern)
            conditions = [
                {
                    "matchType": "PATTERN",
                    "patternMatch": {"patterns": patterns, "excludeKeywords": []},
                }
            ]
        elif rule.regex is not None:
            conditions = [
                {
                    "matchType": "REGEX",
                    "regexMatch": {"regexText": rule.regex, "excludeKeywords": []},
                }
            ]
        elif rule.exact is not None:
            values = [rule.exact] if isinstance(rule.exact, str) else list(rule.exact)
            conditions = [
                {"matchType": "EVAL_OPTION", "evaluateOptionMatch": {"value": v}} for v in values
            ]
        elif rule.intent is not None:
            conditions = [
                {
                    "matchType": "INTENT",
                    "intentMatch": {
                        "intentId": self.intent_ids.get(rule.intent, rule.intent),
                        "intentName": rule.intent,
                    },
                }
            ]
        elif rule.api_result is not None:
            conditions = _api_result(rule.api_result.upper())
        elif rule.unsupported is not None:
            conditions = [{"matchType": "UNSUPPORTED", "unsupported": rule.unsupported}]
        else:
            no_match: dict[str, Any] = {}
            if rule.fallback_message is not None:
                no_match["fallbackMessage"] = rule.fallback_message
            conditions = [{"matchType": "NO_MATCH", "noMatch": no_match}]
        for c in conditions:
            for key in ("patternMatch", "regexMatch"):
                if key in c and rule.exclude:
                    c[key]["excludeKeywords"] = list(rule.exclude)
        out = _rule(conditions, self._action(rule.next, ids), rule.set, name=rule.name)
        if rule.conditions:
            out["contextConditions"] = [
                {"matchType": c.op.upper(), "contextName": c.name, "value": c.value}
                for c in rule.conditions
            ]
            out["contextMatchConditionType"] = rule.conditions_match.upper()
        return out

    def _action(self, target: str, ids: dict[str, str]) -> dict[str, str]:
        if target.startswith("dialog:"):
            name, _, interaction = target.removeprefix("dialog:").partition("#")
            if interaction:
                # Into the middle of another dialog: Conversation Builder jumps to its message.
                return {
                    "name": "INTERACTION",
                    "value": _message_id("message", self.bot.name, name, interaction),
                }
            return {"name": "DIALOG", "value": self.group_ids.get(name, name)}
        if target == "end":
            return {"name": "INTERACTION", "value": "none"}
        if target in ("next", "close_conversation", "close_dialog"):
            return {"name": "INTERACTION", "value": target}
        return {"name": "INTERACTION", "value": ids.get(target, target)}


def _button(b: ChoiceSpec) -> dict[str, Any]:
    if b.type == "link":
        return {"name": b.title, "type": "web_url", "callback": b.url or b.value or ""}
    return {"name": b.title, "type": "postback", "callback": b.value or b.title}


def _content(kind: str, tiles: list[dict[str, Any]]) -> dict[str, Any]:
    data = [{**t, "buttons": [], "quickReplyList": []} for t in tiles]
    return {"contentType": "STATIC", "results": {"type": kind, "tile": {"tileData": data}}}


def _api_result(status: str) -> list[dict[str, Any]]:
    return [{"matchType": "API_RESULT", "apiResultsMatch": {"status": status}}]


def _rule(
    conditions: list[dict[str, Any]],
    action: dict[str, str],
    variables: dict[str, str],
    name: str | None = None,
) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    if name is not None:
        rule["name"] = name
    rule["conditions"] = conditions
    rule["contextConditions"] = []
    rule["action"] = action
    rule["contextDataVariables"] = [
        {"name": k, "value": v, "scope": "SESSION"} for k, v in variables.items()
    ]
    return rule


def _jump_targets(interactions: list[Interaction]) -> set[str]:
    targets = {i.next for i in interactions}
    targets |= {i.on_failure for i in interactions if i.on_failure is not None}
    targets |= {r.next for i in interactions for r in i.rules}
    return targets


def _mergeable(first: Interaction, targeted: bool) -> bool:
    """A first interaction that is the dialog starter's own code (see the importer)."""
    if first.text is None or first.text.strip() != BLANK_MESSAGE or first.text != BLANK_MESSAGE:
        return False
    has_code = any(
        c is not None and c.strip()
        for c in (first.pre_process, first.post_process, first.process_user_response)
    )
    return has_code or targeted
