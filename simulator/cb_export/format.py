"""Names of the Conversation Builder export format shared by the importer and the exporter."""

from __future__ import annotations

#: dialogType -> the model's dialog type; any other value imports as "other".
DIALOG_TYPES = {"DIALOG": "standard", "FALLBACK_DIALOG": "fallback"}

#: Interaction types that ask the consumer something and wait for the answer.
QUESTION_TYPES = frozenset(
    {"TEXT_QUESTION", "QUICK_REPLY", "MULTIPLE_CHOICE_QUESTION", "BUTTON", "STRUCTURED"}
)

#: Statement types that become text interactions, with rich content where they carry it (R2).
TEXT_TYPES = frozenset({"TEXT", "UNIVERSAL", "STRUCTURED", "BUTTON", "IMAGE"})

#: ``integrationType`` of a responder that is a LivePerson Agent Escalation integration.
ESCALATION_RESPONDER = "LIVEPERSON_AGENT_ESCALATION"

#: Key holding model settings that have no place in Conversation Builder's format (on the
#: document for bot settings, on a message for interaction settings); Conversation Builder
#: ignores it, and the importer reads it back so export -> import loses nothing.
EXTENSION = "x-cb-simulator"
