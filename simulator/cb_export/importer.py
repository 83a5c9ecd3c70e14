"""Reading a Conversation Builder export into the ``Bot`` model.

The mapping (see the module ``simulator.cb_export.format`` for the export keys):

* ``bot.name``/``language``, ``botAttributes.DEFAULT_ERROR_MESSAGE`` ->
  ``default_user_friendly_response``, ``transferGroupId`` -> ``group``, ``sessionLength`` ->
  ``session_length_minutes`` (0 or absent: not set); ``globalFunctions.methods`` ->
  ``global_functions``.
* ``groups[]`` -> dialogs: ``DIALOG`` standard, ``FALLBACK_DIALOG`` fallback, anything else
  "other" with ``kind_label`` holding the original type.
* ``conversationMessage[]`` -> interactions of the dialog named by ``group``, ordered by
  following ``nextMessageId`` from the chain heads, then the rest in file order.
* ``DIALOG_STARTER`` messages -> ``DialogStarter(patterns, intent)``; ``intentId`` is mapped to
  an intent name through ``associatedIntents`` (no entry: the starter keeps only its patterns).
  A starter with code (pre/post process) or that is the target of a jump inside its dialog also
  becomes a first interaction that sends nothing (``BLANK_MESSAGE``) and runs the code.
* question rules from ``responseMatches[]``: PATTERN -> ``pattern``, REGEX -> ``regex``,
  EVAL_OPTION -> ``exact`` (the option text), NO_MATCH -> ``no_match``; a rule without
  conditions on a question is "any answer": the interaction's ``next`` when it is the only
  rule, else a ``no_match`` rule. ``contextDataVariables`` -> ``Rule.set``. API_RESULT rules of
  an integration or transfer: the SUCCESS rule's action is the interaction's ``next``, the
  FAILURE rule's action its ``on_failure``; other statuses are dropped with a note.
* actions: ``next`` -> next, ``none`` -> end, ``close_conversation``, an interaction id of the
  same dialog -> its name, an interaction of another dialog -> ``dialog:NAME#INTERACTION``
  (``dialog:NAME`` when it is that dialog's first interaction or its starter), ``DIALOG`` +
  group id -> ``dialog:NAME``.
* ``ESCALATION`` -> ``transfer`` (skill, message, Transfer Bot Context); ``API_INTEGRATION`` ->
  ``integration`` with an ``ApiIntegration`` built from the ``responder[]`` entry; other
  unknown types -> ``unsupported``.

Interactions are named by their export ``name``, the name Conversation Builder shows and bot code
passes to ``setTriggerNextMessage``; when several in a dialog share a name, the first keeps it
and the others are named by their id (with a note).
Context conditions of rules and exclude keywords of rule patterns have no equivalent in the
model; they are dropped and reported in ``ImportResult.notes``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.cb_export.format import (
    DIALOG_TYPES,
    ESCALATION_RESPONDER,
    EXTENSION,
    QUESTION_TYPES,
    TEXT_TYPES,
)
from simulator.errors import FixtureError
from simulator.files import checked_json_loads
from simulator.tenant.schema import BLANK_MESSAGE, Bot

MAX_EXPORT_BYTES = 20 * 1024 * 1024


@dataclass
class ImportResult:
    """A bot read from an export, with what could not be mapped exactly."""

    bot: Bot
    notes: list[str] = field(default_factory=list)


class _Reader:
    """Typed access to the JSON document with errors that name the field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.notes: list[str] = []

    def error(self, message: str, where: str | None = None) -> FixtureError:
        return FixtureError(message, file=self.file, field=where)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"expected an object, found {_kind(value)}", where)
        return value

    def opt_obj(self, value: Any, where: str) -> dict[str, Any]:
        return {} if value is None else self.obj(value, where)

    def lst(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"expected a list, found {_kind(value)}", where)
        return value

    def text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise self.error("required key is missing", where)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.error(f"expected text, found {_kind(value)}", where)
        return str(value)

    def texts(self, value: Any, where: str) -> list[str]:
        return [
            t
            for i, v in enumerate(self.lst(value, where))
            if (t := self.text(v, f"{where}[{i}]")) is not None
        ]


def _minutes(r: _Reader, value: Any, where: str) -> int | None:
    """A whole number of minutes: an integer, an integral float (30.0) or digits in text."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    expected = "expected a whole number of minutes"
    if isinstance(value, float):
        raise r.error(f"{expected}, found {value}", where)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise r.error(f"{expected}, found {_kind(value)}", where)
    if isinstance(value, int):
        return value
    try:
        return int(value.strip() or "0")
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        raise r.error(f'{expected}, found "{value}"', where) from None
    if number.is_integer():
        return int(number)
    raise r.error(f'{expected}, found "{value}"', where)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


# -- entry points ---------------------------------------------------------------------------
def load_export(path: str | Path) -> Bot:
    """Read one export file into a ``Bot`` (raises ``FixtureError`` when it is malformed)."""
    return import_export(path).bot


def import_export(path: str | Path) -> ImportResult:
    """Like ``load_export``, with the notes on what could not be mapped exactly."""
    from simulator.tenant.loader import read_text

    full = Path(path)
    text = read_text(full, limit=MAX_EXPORT_BYTES, what="exports")
    return parse_export(text, file=str(full))


def parse_export(text: str | dict[str, Any], *, file: str = "<export>") -> ImportResult:
    """Map export JSON (text or an already parsed document) to a ``Bot``."""
    if isinstance(text, str):
        if not text.strip():
            raise FixtureError("the export file is empty", file=file)
        try:
            data = checked_json_loads(text, file)  # our depth limit, no lone surrogates
        except json.JSONDecodeError as exc:
            raise FixtureError(
                f"not a Conversation Builder export: invalid JSON ({exc.msg}, column {exc.colno})",
                file=file,
                line=exc.lineno,
            ) from None
    else:
        data = text
    reader = _Reader(file)
    doc = reader.obj(data, "(top level)")
    if "bot" not in doc:
        keys = ", ".join(sorted(doc)[:8]) or "none"
        raise reader.error(
            f'not a Conversation Builder export: the key "bot" is missing (keys found: {keys})',
            "bot",
        )
    raw = _Importer(reader, doc).build()
    try:
        bot = Bot.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise reader.error(
            f"the export maps to an invalid bot: {err['msg'].removeprefix('Value error, ')}",
            loc or None,
        ) from None
    _check_compiles(bot, file)
    return ImportResult(bot, reader.notes)


def _check_compiles(bot: Bot, file: str) -> None:
    """Patterns, jump targets, intents and integrations resolve (errors name the export)."""
    from simulator.bots.compiled import CompiledBot

    CompiledBot(bot, file=file).check_references()


# -- the mapping ----------------------------------------------------------------------------
@dataclass
class _Rule:
    where: str
    data: dict[str, Any]
    conditions: list[dict[str, Any]]
    name: str | None


@dataclass
class _Message:
    index: int
    data: dict[str, Any]
    id: str
    name: str
    type: str
    group: str
    where: str
    next_id: str | None
    rules: list[_Rule]


@dataclass
class _Group:
    id: str
    name: str
    data: dict[str, Any]
    where: str
    messages: list[_Message] = field(default_factory=list)
    ordered: list[_Message] = field(default_factory=list)
    kept: list[_Message] = field(default_factory=list)  # the messages that are interactions
    names: dict[str, str] = field(default_factory=dict)  # message id -> interaction name
    starter: dict[str, Any] = field(default_factory=dict)


class _Importer:
    def __init__(self, reader: _Reader, doc: dict[str, Any]) -> None:
        self.r = reader
        self.doc = doc
        self.groups: dict[str, _Group] = {}
        self.messages: dict[str, _Message] = {}
        self.intents_by_id: dict[str, str] = {}

    # -- bot ------------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        r = self.r
        bot = r.obj(self.doc["bot"], "bot")
        name = r.text(bot.get("name"), "bot.name", required=True)
        out: dict[str, Any] = {"name": name}
        language = r.text(bot.get("language"), "bot.language")
        if language:
            out["language"] = language
        if str(bot.get("chatBotType", "")).upper().startswith("SURVEY"):
            out["type"] = "survey"
        attributes = r.opt_obj(bot.get("botAttributes"), "bot.botAttributes")
        error_message = r.text(
            attributes.get("DEFAULT_ERROR_MESSAGE"), "bot.botAttributes.DEFAULT_ERROR_MESSAGE"
        )
        if error_message:
            out["default_user_friendly_response"] = error_message
        minutes = _minutes(r, bot.get("sessionLength"), "bot.sessionLength")
        if minutes is not None and minutes > 0:
            out["session_length_minutes"] = minutes
        group = r.text(bot.get("transferGroupId"), "bot.transferGroupId")
        if group:
            out["group"] = group
        functions = self.doc.get("globalFunctions")
        if functions is not None:
            methods = r.text(
                r.obj(functions, "globalFunctions").get("methods"), "globalFunctions.methods"
            )
            if methods and methods.strip():
                out["global_functions"] = methods
        out["intents"] = self._intents()
        out["integrations"] = self._integrations()
        out["dialogs"] = self._dialogs()
        ext = r.opt_obj(self.doc.get(EXTENSION), EXTENSION)
        for key in ("environment", "nlu_engine", "type"):
            if key in ext:
                out[key] = ext[key]
        return out

    # -- intents --------------------------------------------------------------------------
    def _intents(self) -> list[dict[str, Any]]:
        r = self.r
        domains: dict[str, str] = {}
        for i, raw in enumerate(r.lst(self.doc.get("associatedDomains"), "associatedDomains")):
            d = r.obj(raw, f"associatedDomains[{i}]")
            d_id = r.text(d.get("id"), f"associatedDomains[{i}].id")
            d_name = r.text(d.get("name"), f"associatedDomains[{i}].name")
            if d_id and d_name:
                domains[d_id] = d_name
        intents: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, raw in enumerate(r.lst(self.doc.get("associatedIntents"), "associatedIntents")):
            where = f"associatedIntents[{i}]"
            entry = r.obj(raw, where)
            name = r.text(entry.get("name"), f"{where}.name") or r.text(
                entry.get("displayName"), f"{where}.displayName"
            )
            if not name:
                raise r.error("an intent needs a name", f"{where}.name")
            if name in seen:
                r.notes.append(f'intent "{name}" appears twice; the second one is ignored')
                continue
            seen.add(name)
            intent: dict[str, Any] = {"name": name}
            phrases = r.texts(entry.get("trainingPhrases"), f"{where}.trainingPhrases")
            if phrases:
                intent["phrases"] = phrases
            domain = r.text(entry.get("domain"), f"{where}.domain")
            domain_id = r.text(entry.get("domainId"), f"{where}.domainId")
            if domain is None and domain_id is not None:
                domain = domains.get(domain_id)
            if domain:
                intent["domain"] = domain
            intent_id = r.text(entry.get("id"), f"{where}.id")
            if intent_id:
                intent["id"] = intent_id
                self.intents_by_id[intent_id] = name
            intents.append(intent)
        return intents

    # -- integrations ---------------------------------------------------------------------
    def _integrations(self) -> list[dict[str, Any]]:
        r = self.r
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, raw in enumerate(r.lst(self.doc.get("responder"), "responder")):
            where = f"responder[{i}]"
            entry = r.obj(raw, where)
            name = r.text(entry.get("name"), f"{where}.name", required=True)
            assert name is not None
            if name in seen:
                r.notes.append(f'integration "{name}" appears twice; the second one is ignored')
                continue
            seen.add(name)
            custom: dict[str, str] = {}
            for j, field_raw in enumerate(
                r.lst(entry.get("customDataFields"), f"{where}.customDataFields")
            ):
                f = r.obj(field_raw, f"{where}.customDataFields[{j}]")
                key = r.text(f.get("key"), f"{where}.customDataFields[{j}].key")
                if key:
                    custom[key] = (
                        r.text(f.get("value"), f"{where}.customDataFields[{j}].value") or ""
                    )
            kind = str(entry.get("integrationType") or "API").upper()
            response_variable = r.text(
                entry.get("responseDataVariable"), f"{where}.responseDataVariable"
            )
            if kind == ESCALATION_RESPONDER:
                esc: dict[str, Any] = {"name": name, "type": "liveperson_agent_escalation"}
                for key, export_key in (
                    ("skill_id", "agentSkillId"),
                    ("skill_name", "agentSkillName"),
                    ("agent_id", "agentId"),
                    ("message_to_user", "messageToUser"),
                ):
                    value = r.text(entry.get(export_key), f"{where}.{export_key}")
                    if value is not None:
                        esc[key] = value
                esc["transfer_bot_context"] = bool(entry.get("tangoContextEnabled"))
                if response_variable:
                    esc["response_variable"] = response_variable
                if custom:
                    esc["custom_data"] = custom
                result.append(esc)
                continue
            api: dict[str, Any] = {"name": name, "type": "api"}
            method = r.text(entry.get("method"), f"{where}.method")
            if method:
                api["method"] = method
            url = r.text(entry.get("webhook"), f"{where}.webhook")
            if url:
                api["url"] = url
            if response_variable:
                api["response_variable"] = response_variable
            transform = r.text(
                entry.get("transformResultsScript"), f"{where}.transformResultsScript"
            )
            if transform and transform.strip():
                api["transform"] = transform
            if custom:
                api["custom_data"] = custom
            result.append(api)
        return result

    # -- dialogs --------------------------------------------------------------------------
    def _dialogs(self) -> list[dict[str, Any]]:
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
            self.groups[g_id] = _Group(g_id, name, g, where)
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
            message = _Message(
                i,
                m,
                m_id,
                r.text(m.get("name"), f"{where}.name") or m_id,
                kind.upper(),
                group,
                where,
                next_id,
                _rules(r, m, where),
            )
            self.messages[m_id] = message
            self.groups[group].messages.append(message)
        for group_ in self.groups.values():
            self._order(group_)
        # Every dialog's interactions and their names first: jumps may point into any dialog.
        for group_ in self.groups.values():
            self._keep(group_)
        return [self._dialog(group_) for group_ in self.groups.values()]

    def _order(self, g: _Group) -> None:
        by_id = {m.id: m for m in g.messages}
        pointed = {m.next_id for m in g.messages if m.next_id in by_id}
        ordered: list[_Message] = []
        done: set[str] = set()
        # Chains start at starters first, then at any message nobody points to (file order).
        heads = [m for m in g.messages if m.type == "DIALOG_STARTER"]
        heads += [m for m in g.messages if m.id not in pointed and m not in heads]
        for head in [*heads, *g.messages]:
            current: _Message | None = head
            while current is not None and current.id not in done:
                done.add(current.id)
                ordered.append(current)
                current = by_id.get(current.next_id) if current.next_id is not None else None
        g.ordered = ordered

    def _starter_targets(self, g: _Group) -> set[str]:
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

    def _keep(self, g: _Group) -> None:
        """The messages that become interactions, their names, and the dialog starter.

        Interactions keep the name shown in Conversation Builder, which is also the name bot
        code passes to ``setTriggerNextMessage``; when a dialog has several with one name, the
        first keeps it and the others are named by their message id.
        """
        targets = self._starter_targets(g)
        kept: list[_Message] = []
        for m in g.ordered:
            if m.type != "DIALOG_STARTER":
                kept.append(m)
                continue
            self._starter(m, g.starter)
            has_code = any(
                isinstance(m.data.get(k), str) and m.data[k].strip()
                for k in ("preProcessMessage", "postProcessMessage", "processUserResponse")
            )
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

    def _dialog(self, g: _Group) -> dict[str, Any]:
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
        out["interactions"] = [self._interaction(g, i) for i in range(len(g.kept))]
        return out

    def _starter(self, m: _Message, starter: dict[str, Any]) -> None:
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

    # -- interactions ---------------------------------------------------------------------
    def _interaction(self, g: _Group, index: int) -> dict[str, Any]:
        r = self.r
        m = g.kept[index]
        d = m.data
        out: dict[str, Any] = {"name": g.names[m.id]}
        delay = d.get("interactionDelay")
        if delay not in (None, "", 0, "0"):
            try:
                out["delay_ms"] = max(0, int(str(delay)))
            except ValueError:
                raise r.error(
                    f'expected a delay in milliseconds, found "{delay}"',
                    f"{m.where}.interactionDelay",
                ) from None
        for key, export_key in (
            ("pre_process", "preProcessMessage"),
            ("post_process", "postProcessMessage"),
            ("process_user_response", "processUserResponse"),
        ):
            code = r.text(d.get(export_key), f"{m.where}.{export_key}")
            if code and code.strip():
                out[key] = code
        content = r.opt_obj(d.get("content"), f"{m.where}.content")
        results = r.opt_obj(content.get("results"), f"{m.where}.content.results")
        tile = r.opt_obj(results.get("tile"), f"{m.where}.content.results.tile")
        tiles = [
            r.obj(t, f"{m.where}.content.results.tile.tileData[{i}]")
            for i, t in enumerate(
                r.lst(tile.get("tileData"), f"{m.where}.content.results.tile.tileData")
            )
        ]
        first = tiles[0] if tiles else {}
        has_conditions = any(rule.conditions for rule in m.rules)
        kind = m.type
        is_question = kind in QUESTION_TYPES or bool(d.get("userInputRequired"))
        if kind == "DIALOG_STARTER":
            out["text"] = BLANK_MESSAGE
        elif kind == "ESCALATION":
            esc = r.opt_obj(first.get("escalation"), f"{m.where}.tileData[0].escalation")
            transfer: dict[str, Any] = {
                "message_to_user": _tile_text(r, first, m.where) or BLANK_MESSAGE,
                "transfer_bot_context": bool(esc.get("tangoContextEnabled")),
            }
            for key, export_key in (
                ("skill_id", "agentSkillId"),
                ("skill_name", "agentSkillName"),
                ("agent_id", "agentId"),
            ):
                value = r.text(esc.get(export_key), f"{m.where}.escalation.{export_key}")
                if value:
                    transfer[key] = value
            out["transfer"] = transfer
        elif kind == "API_INTEGRATION":
            name = r.text(content.get("responderName"), f"{m.where}.content.responderName")
            if not name:
                raise r.error("an API integration interaction needs content.responderName", m.where)
            out["integration"] = name
        elif kind in TEXT_TYPES or (kind in QUESTION_TYPES):
            text = _content_text(r, kind, tiles, m.where)
            options = _options(r, kind, d, tiles, m.where)
            if options:
                out["options"] = options
            if is_question or has_conditions:
                out["question"] = text
                is_question = True
            else:
                out["text"] = text or BLANK_MESSAGE
        else:
            out["unsupported"] = kind
        if is_question and "question" in out:
            self._question_rules(g, index, out)
        else:
            self._statement_next(g, index, out)
        ext = r.opt_obj(d.get(EXTENSION), f"{m.where}.{EXTENSION}")
        for key in ("set", "save_as", "bot_transfer", "context", "options", "next"):
            if key in ext:
                out[key] = ext[key]
        return out

    def _statement_next(self, g: _Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        chosen: _Rule | None = None
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
                    out["on_failure"] = self._action(g, index, rule)
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
            out["next"] = self._default_next(g, index)
            return
        out["next"] = self._action(g, index, chosen)
        variables = self._variables(chosen)
        if variables:
            out["set"] = variables

    def _question_rules(self, g: _Group, index: int, out: dict[str, Any]) -> None:
        m = g.kept[index]
        rules = m.rules
        mapped: list[dict[str, Any]] = []
        plain = [x for x in rules if not x.conditions]
        if len(rules) == 1 and plain and not self._variables(plain[0]):
            out["next"] = self._action(g, index, plain[0])
            return
        if not rules:
            out["next"] = self._default_next(g, index)
            return
        for i, rule in enumerate(rules):
            entry: dict[str, Any] = {}
            if rule.name:
                entry["name"] = rule.name
            condition = self._condition(rule, m)
            if condition is None:
                continue
            entry.update(condition)
            variables = self._variables(rule)
            if variables:
                entry["set"] = variables
            entry["next"] = self._action(g, index, rule)
            if rule.data.get("contextConditions"):
                self.r.notes.append(
                    f'interaction "{m.name}", rule "{rule.name or i + 1}": context conditions'
                    " are not simulated and are ignored"
                )
            mapped.append(entry)
        out["rules"] = mapped

    def _condition(self, rule: _Rule, m: _Message) -> dict[str, Any] | None:
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

    def _variables(self, rule: _Rule) -> dict[str, str]:
        r = self.r
        result: dict[str, str] = {}
        where = f"{rule.where}.contextDataVariables"
        for i, raw in enumerate(r.lst(rule.data.get("contextDataVariables"), where)):
            v = r.obj(raw, f"{where}[{i}]")
            name = r.text(v.get("name"), f"{where}[{i}].name")
            if name:
                result[name] = r.text(v.get("value"), f"{where}[{i}].value") or ""
        return result

    def _default_next(self, g: _Group, index: int) -> str:
        kept = g.kept
        nxt = kept[index].next_id
        if index + 1 >= len(kept):
            return "next"
        if nxt == kept[index + 1].id:
            return "next"
        if nxt is not None and nxt in g.names:
            return g.names[nxt]
        return "end"

    def _action(self, g: _Group, index: int, rule: _Rule) -> str:
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
            return self._default_next(g, index)
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
            return self._default_next(g, index)
        if target_msg.group == g.id:
            # A starter of this dialog without code: the dialog's first interaction.
            return next(iter(g.names.values()), "end") if g.names else "end"
        other = self.groups[target_msg.group]
        if target_msg.id in other.names and other.kept[0].id != target_msg.id:
            # Into the middle of another dialog (a starter without code is its beginning).
            return f"dialog:{other.name}#{other.names[target_msg.id]}"
        return f"dialog:{other.name}"


def _rules(r: _Reader, m: dict[str, Any], where: str) -> list[_Rule]:
    """The ``responseMatches[]`` of a message, each an object with a list of conditions."""
    rules: list[_Rule] = []
    for i, raw in enumerate(r.lst(m.get("responseMatches"), f"{where}.responseMatches")):
        at = f"{where}.responseMatches[{i}]"
        data = r.obj(raw, at)
        conditions = [
            r.obj(c, f"{at}.conditions[{j}]")
            for j, c in enumerate(r.lst(data.get("conditions"), f"{at}.conditions"))
        ]
        name = r.text(data.get("name"), f"{at}.name")
        rules.append(_Rule(at, data, conditions, name))
    return rules


def _tile_text(r: _Reader, tile: dict[str, Any], where: str) -> str | None:
    return r.text(tile.get("text"), f"{where}.tileData[0].text")


def _content_text(r: _Reader, kind: str, tiles: list[dict[str, Any]], where: str) -> str:
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


def _options(
    r: _Reader, kind: str, d: dict[str, Any], tiles: list[dict[str, Any]], where: str
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
