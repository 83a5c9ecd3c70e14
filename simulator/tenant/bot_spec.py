"""A bot of the tenant file: its intents, dialogs and integrations, or a reference to an export."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    Tag,
)

from simulator.nlu import NluEngine
from simulator.tenant.fields import MAX_MINUTES, Id, Model
from simulator.tenant.interactions import Interaction


class BotType(StrEnum):
    CUSTOM = "custom"
    SURVEY = "survey"


class DialogType(StrEnum):
    STANDARD = "standard"
    FALLBACK = "fallback"
    # Imported exports carry other dialog kinds (disambiguation, auto-escalation, ...); they
    # load, keep their kind for the transcript and behave like standard dialogs.
    OTHER = "other"


class Intent(Model):
    name: str
    phrases: list[str] = Field(default_factory=list, description="Training phrases.")
    domain: str | None = None
    id: str | None = None


class DialogStarter(Model):
    patterns: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(
        default_factory=list,
        description="Exclude keywords: a message containing any of these does not start the dialog.",
    )
    intent: str | None = None


class Dialog(Model):
    name: str
    type: DialogType = DialogType.STANDARD
    kind_label: str | None = Field(default=None, description="Original dialog type of an export.")
    starter: DialogStarter | None = None
    interactions: list[Interaction] = Field(default_factory=list)


class EscalationIntegration(Model):
    """A LivePerson Agent Escalation integration."""

    name: str
    type: Literal["liveperson_agent_escalation"] = "liveperson_agent_escalation"
    response_variable: str | None = None
    skill_name: str | None = None
    skill_id: Id | None = None
    agent_id: Id | None = None
    transfer_bot_context: bool = False
    message_to_user: str | None = None
    custom_data: dict[str, str] = Field(default_factory=dict)


class ApiIntegration(Model):
    """An API integration; scenarios stub its response (the simulator never calls out)."""

    name: str
    type: Literal["api"] = "api"
    method: str = "GET"
    url: str = ""
    response_variable: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = Field(default=None, description="Post body; may hold references.")
    transform: str | None = Field(default=None, description="Transform result script (JS).")
    custom_data: dict[str, str] = Field(default_factory=dict)


Integration = Annotated[EscalationIntegration | ApiIntegration, Field(discriminator="type")]


class Bot(Model):
    name: str
    type: BotType = BotType.CUSTOM
    language: str = "en-US"
    nlu_engine: NluEngine = NluEngine.LIVEPERSON
    default_user_friendly_response: str | None = None
    session_length_minutes: int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    intents: list[Intent] = Field(default_factory=list)
    dialogs: list[Dialog] = Field(default_factory=list)
    integrations: list[Integration] = Field(default_factory=list)
    global_functions: str | None = Field(default=None, description="JavaScript (imports).")
    environment: dict[str, str] = Field(default_factory=dict)
    group: str | None = Field(default=None, description="Bot group id from an import.")
    notes: list[str] = Field(
        default_factory=list,
        description="What the importer could not map at the bot level (R3): warned by check,"
        " noted in the transcript when the bot joins a conversation.",
    )


class BotRef(Model):
    """A bot given by a Conversation Builder export file instead of inline."""

    export: str
    name: str | None = Field(default=None, description="Rename the imported bot.")
    intents: str | None = Field(
        default=None,
        description="A YAML file of intent name -> training phrases for the export's intents"
        " (exports carry no phrases); see simulator/tenant/export_intents.py.",
    )


def _bot_entry_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "export" if "export" in value else "bot"
    return "export" if isinstance(value, BotRef) else "bot"


BotEntry = Annotated[
    Annotated[Bot, Tag("bot")] | Annotated[BotRef, Tag("export")],
    Discriminator(_bot_entry_kind),
]
