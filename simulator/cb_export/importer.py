"""Reading a Conversation Builder export into the ``Bot`` model: the entry points.

The mapping is split by interaction family, one module each (``import_bot``, ``import_code``,
``import_dialogs``, ``import_interactions``, ``import_questions``, ``import_flow``,
``import_integrations``, ``import_transfers``, over ``reader`` and ``import_base``);
``ExportImporter`` composes them. In short:

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
Context conditions of rules become variable conditions, exclude keywords of rule patterns
``Rule.exclude``; what the simulator cannot run is kept (``Rule.unsupported``, interaction
``notes``), warned by ``simulator check`` and reported in ``ImportResult.notes`` (R3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.bots.compiled import CompiledBot
from simulator.cb_export.import_bot import BotImport
from simulator.cb_export.import_code import CodeImport
from simulator.cb_export.import_dialogs import DialogImport
from simulator.cb_export.import_flow import FlowImport
from simulator.cb_export.import_integrations import IntegrationImport
from simulator.cb_export.import_interactions import InteractionImport
from simulator.cb_export.import_questions import QuestionImport
from simulator.cb_export.import_transfers import TransferImport
from simulator.cb_export.reader import Reader
from simulator.errors import FixtureError
from simulator.files import checked_json_loads
from simulator.tenant.files import read_text
from simulator.tenant.schema import Bot

__all__ = [
    "MAX_EXPORT_BYTES",
    "ExportImporter",
    "ImportResult",
    "import_export",
    "load_export",
    "parse_export",
]

MAX_EXPORT_BYTES = 20 * 1024 * 1024


@dataclass
class ImportResult:
    """A bot read from an export, with what could not be mapped exactly."""

    bot: Bot
    notes: list[str] = field(default_factory=list)


class ExportImporter(
    BotImport,
    CodeImport,
    DialogImport,
    InteractionImport,
    QuestionImport,
    FlowImport,
    IntegrationImport,
    TransferImport,
):
    """One export document mapped to the data of a ``Bot``: every family, composed."""


# -- entry points ---------------------------------------------------------------------------
def load_export(path: str | Path) -> Bot:
    """Read one export file into a ``Bot`` (raises ``FixtureError`` when it is malformed)."""
    return import_export(path).bot


def import_export(path: str | Path) -> ImportResult:
    """Like ``load_export``, with the notes on what could not be mapped exactly."""
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
    reader = Reader(file)
    doc = reader.obj(data, "(top level)")
    if "bot" not in doc:
        keys = ", ".join(sorted(doc)[:8]) or "none"
        raise reader.error(
            f'not a Conversation Builder export: the key "bot" is missing (keys found: {keys})',
            "bot",
        )
    raw = ExportImporter(reader, doc).build()
    # Import notes about the bot as a whole (not one interaction, whose own notes are kept on
    # it) stay on the bot, so check and the transcript can say them (R3).
    bot_notes = raw.setdefault("notes", [])
    for note in reader.notes:
        if not note.startswith('interaction "') and note not in bot_notes:
            bot_notes.append(note)
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
    CompiledBot(bot, file=file).check_references()
