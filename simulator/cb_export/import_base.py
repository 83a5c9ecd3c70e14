"""The state of one export being imported, and the seams between the interaction families.

``ImporterBase`` holds the document, its dialogs (``groups``), messages and the intent names by
id. Each family of the mapping has its own module (``import_bot``, ``import_code``,
``import_dialogs``, ``import_interactions``, ``import_questions``, ``import_flow``,
``import_integrations``, ``import_transfers``); the abstract methods below are what they offer
each other, and ``simulator.cb_export.importer.ExportImporter`` composes them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from simulator.cb_export.format import EXTENSION
from simulator.cb_export.reader import Group, Message, Reader, Rule


class ImporterBase(ABC):
    """One export document being mapped to the data of a ``Bot``."""

    def __init__(self, reader: Reader, doc: dict[str, Any]) -> None:
        self.r = reader
        self.doc = doc
        self.groups: dict[str, Group] = {}
        self.messages: dict[str, Message] = {}
        self.intents_by_id: dict[str, str] = {}
        #: Notes on a message found while mapping its actions, by message id (R3).
        self.action_notes: dict[str, list[str]] = {}

    def unmapped(self, out: dict[str, Any], m: Message, what: str) -> None:
        """R3: something of message ``m`` the simulator cannot run as written. It goes into
        the interaction's ``notes`` (``simulator check`` warns, the transcript logs it when
        the interaction is reached) and into the import's notes."""
        out.setdefault("notes", []).append(what)
        self.r.notes.append(f'interaction "{m.name}": {what}')

    def flush_action_notes(self, m: Message, out: dict[str, Any]) -> None:
        """Move the notes ``action`` left for message ``m`` into its interaction, and mark it
        disabled when the export says so (``status`` other than ACTIVE, or ``disabled``)."""
        ext = m.data.get(EXTENSION)
        kept = ext.get("notes") if isinstance(ext, dict) else None
        written = self.r.texts(kept, f"{m.where}.{EXTENSION}.notes")
        for what in [*self.action_notes.pop(m.id, []), *written]:
            notes = out.setdefault("notes", [])
            if what not in notes:
                notes.append(what)
        status = self.r.text(m.data.get("status"), f"{m.where}.status")
        disabled = m.data.get("disabled") is True or m.data.get("isDisabled") is True
        if disabled or (status is not None and status.upper() in ("INACTIVE", "DISABLED")):
            out["disabled"] = True

    @abstractmethod
    def intents(self) -> list[dict[str, Any]]:
        """``associatedIntents[]`` as intents; fills ``intents_by_id`` (``import_bot``)."""

    @abstractmethod
    def integrations(self) -> list[dict[str, Any]]:
        """``responder[]`` as integrations (``import_integrations``)."""

    @abstractmethod
    def escalation_responder(
        self,
        entry: dict[str, Any],
        where: str,
        name: str,
        custom: dict[str, str],
        response_variable: str | None,
    ) -> dict[str, Any]:
        """A LivePerson Agent Escalation responder (``import_transfers``)."""

    @abstractmethod
    def dialogs(self) -> list[dict[str, Any]]:
        """``groups[]`` and ``conversationMessage[]`` as dialogs (``import_dialogs``)."""

    @abstractmethod
    def starter(self, m: Message, starter: dict[str, Any]) -> None:
        """Add a ``DIALOG_STARTER`` message to the dialog's starter (``import_dialogs``)."""

    @abstractmethod
    def global_functions(self, out: dict[str, Any]) -> None:
        """``globalFunctions.methods`` into the bot (``import_code``)."""

    @abstractmethod
    def has_code(self, m: Message) -> bool:
        """Whether a message has pre/post process code (``import_code``)."""

    @abstractmethod
    def code_hooks(self, m: Message, out: dict[str, Any]) -> None:
        """Copy a message's code into the interaction (``import_code``)."""

    @abstractmethod
    def interaction(self, g: Group, index: int) -> dict[str, Any]:
        """The ``index``-th kept message of a dialog as an interaction (``import_interactions``)."""

    @abstractmethod
    def escalation_transfer(self, m: Message, first: dict[str, Any]) -> dict[str, Any]:
        """An ``ESCALATION`` interaction's transfer (``import_transfers``)."""

    @abstractmethod
    def integration_name(self, m: Message, content: dict[str, Any]) -> str:
        """The integration an ``API_INTEGRATION`` interaction calls (``import_integrations``)."""

    @abstractmethod
    def question_rules(self, g: Group, index: int, out: dict[str, Any]) -> None:
        """A question's ``responseMatches[]`` as rules (``import_questions``)."""

    @abstractmethod
    def rule_conditions(self, rule: Rule, m: Message) -> dict[str, Any]:
        """A rule's ``contextConditions`` as variable conditions (``import_questions``)."""

    @abstractmethod
    def variables(self, rule: Rule) -> dict[str, str]:
        """A rule's ``contextDataVariables`` (``import_questions``)."""

    @abstractmethod
    def statement_next(self, g: Group, index: int, out: dict[str, Any]) -> None:
        """Where a statement goes next, API result rules included (``import_flow``)."""

    @abstractmethod
    def default_next(self, g: Group, index: int) -> str:
        """Where a message goes when no rule says (``import_flow``)."""

    @abstractmethod
    def action(self, g: Group, index: int, rule: Rule) -> str:
        """A rule's action as a jump target (``import_flow``)."""
