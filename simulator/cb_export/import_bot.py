"""The bot itself: name, language, type, attributes, session length, and its intents.

``bot.name``/``language``, ``botAttributes.DEFAULT_ERROR_MESSAGE`` ->
``default_user_friendly_response``, ``transferGroupId`` -> ``group``, ``sessionLength`` ->
``session_length_minutes`` (0 or absent: not set); ``associatedIntents[]`` (with
``associatedDomains[]``) -> intents. ``build`` is the whole mapping, family by family.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.format import EXTENSION
from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import whole_minutes


class BotImport(ImporterBase):
    """The bot-level fields and intents; ``build`` runs every family in order."""

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
        minutes = whole_minutes(r, bot.get("sessionLength"), "bot.sessionLength")
        if minutes is not None and minutes > 0:
            out["session_length_minutes"] = minutes
        group = r.text(bot.get("transferGroupId"), "bot.transferGroupId")
        if group:
            out["group"] = group
            r.notes.append(
                f'transferGroupId "{group}": the bot joins that bot group; exports carry no'
                " collaboration setting, so collaboration is off unless the tenant's group with"
                f' id "{group}" enables it (G1)'
            )
        self.global_functions(out)
        out["intents"] = self.intents()
        out["integrations"] = self.integrations()
        out["dialogs"] = self.dialogs()
        ext = r.opt_obj(self.doc.get(EXTENSION), EXTENSION)
        for key in ("environment", "nlu_engine", "type", "notes"):
            if key in ext:
                out[key] = ext[key]
        flagged = response_flag_messages(self.doc)
        if flagged:
            note = (
                f"{len(flagged)} messages carry changeResponse/cancelResponse settings, which"
                " LivePerson does not document; they are not modelled (first: "
                + ", ".join(f'"{n}"' for n in flagged[:3])
                + ")"
            )
            notes = out.setdefault("notes", [])
            if note not in notes:
                notes.append(note)
        return out

    def intents(self) -> list[dict[str, Any]]:
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


#: Message fields of exports whose platform behaviour LivePerson does not document (R3).
RESPONSE_FLAGS = ("changeResponse", "cancelResponse")


def response_flag_messages(doc: dict[str, Any]) -> list[str]:
    """Names of the export's messages that carry ``changeResponse`` or ``cancelResponse``."""
    messages = doc.get("conversationMessage")
    return [
        str(m.get("name") or m.get("id") or "?")
        for m in (messages if isinstance(messages, list) else [])
        if isinstance(m, dict) and any(k in m for k in RESPONSE_FLAGS)
    ]
