"""Pydantic models of the tenant file: its root (``Tenant``), the platform, skills, agents and
bot groups; the other families of models live in their own modules and are re-exported here.

The models are the contract with users, so every model forbids unknown keys: a misspelt key is a
load error that names the nearest valid key, never a silently ignored setting. Field names are
snake_case; the connector settings also accept the camelCase names of LivePerson's documentation
so a value can be copied from there unchanged.

Where each family lives: shared field types in ``tenant/fields.py``; rules and variable
conditions in ``tenant/rules.py``; choices, cards and images in ``tenant/rich_specs.py``;
interactions in ``tenant/interactions.py``; bots, dialogs and integrations in
``tenant/bot_spec.py``; connectors and their settings in ``tenant/connectors.py``; the consumer
preset in ``tenant/consumer.py``. ``simulator.tenant.schema`` keeps every public name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.tenant.bot_spec import (
    ApiIntegration,
    Bot,
    BotEntry,
    BotRef,
    BotType,
    Dialog,
    DialogStarter,
    DialogType,
    EscalationIntegration,
    Integration,
    Intent,
)
from simulator.tenant.connectors import (
    MESSAGING_ONLY_SETTINGS,
    Channel,
    Connector,
    ConnectorSettings,
)
from simulator.tenant.consumer import (
    ENGAGEMENT_ATTRIBUTES,
    USER_CHANNELS,
    ConsumerLocation,
    ConsumerPreset,
    CustomerInfo,
    PersonAge,
    PersonalInfo,
    PersonContact,
    SdeDate,
)
from simulator.tenant.fields import (
    MAX_COUNT,
    MAX_DELAY_MS,
    MAX_MINUTES,
    MAX_SECONDS,
    MAX_TIMEOUT_MS,
    Id,
    Model,
    SourceFloat,
    SourceInt,
)
from simulator.tenant.interactions import (
    BLANK_MESSAGE,
    ESCALATION_FAILED_MESSAGE,
    LP_CLOSECONVERSATION,
    LP_CLOSEDIALOG,
    NEXT_KEYWORDS,
    AgentTransfer,
    BotTransferContext,
    ContextOperation,
    ContextScope,
    Interaction,
)
from simulator.tenant.rich_specs import RICH_KEYS, CardSpec, Choices, ChoiceSpec, ImageSpec
from simulator.tenant.rules import CONDITION_OPS, RULE_CONDITIONS, Rule, VariableCondition

__all__ = [
    "BLANK_MESSAGE",
    "CONDITION_OPS",
    "ENGAGEMENT_ATTRIBUTES",
    "ESCALATION_FAILED_MESSAGE",
    "LP_CLOSECONVERSATION",
    "LP_CLOSEDIALOG",
    "MAX_COUNT",
    "MAX_DELAY_MS",
    "MAX_MINUTES",
    "MAX_SECONDS",
    "MAX_TIMEOUT_MS",
    "MESSAGING_ONLY_SETTINGS",
    "NEXT_KEYWORDS",
    "RICH_KEYS",
    "RULE_CONDITIONS",
    "USER_CHANNELS",
    "Agent",
    "AgentTransfer",
    "ApiIntegration",
    "Bot",
    "BotEntry",
    "BotGroup",
    "BotRef",
    "BotTransferContext",
    "BotType",
    "CardSpec",
    "Channel",
    "ChaosProfile",
    "ChoiceSpec",
    "Choices",
    "Connector",
    "ConnectorSettings",
    "ConsumerLocation",
    "ConsumerPreset",
    "ContextOperation",
    "ContextScope",
    "CustomerInfo",
    "Dialog",
    "DialogStarter",
    "DialogType",
    "EscalationIntegration",
    "Id",
    "ImageSpec",
    "Integration",
    "Intent",
    "Interaction",
    "Model",
    "PersonAge",
    "PersonContact",
    "PersonalInfo",
    "Platform",
    "Rule",
    "SdeDate",
    "Skill",
    "SourceFloat",
    "SourceInt",
    "Tenant",
    "VariableCondition",
]


class Skill(Model):
    id: Id
    name: str


class Agent(Model):
    """A human agent of the fake Conversational Cloud."""

    id: Id
    name: str
    skills: list[Id] = Field(default_factory=list)
    available: bool = True
    auto_accept: bool = Field(
        default=True,
        description="Take offered conversations at once; when false a step must accept them.",
    )
    accept_timeout_seconds: int = Field(default=60, ge=1, le=MAX_SECONDS)


class BotGroup(Model):
    name: str
    id: str | None = None
    collaboration: bool = Field(
        default=False, description="Automatic transfers between members; off unless enabled (G1)."
    )
    members: list[str] = Field(default_factory=list)
    transfer_message: str | None = None


class ChaosProfile(Model):
    """Seeded random escalation failures per channel, for soak runs (B4)."""

    chat: float = Field(default=0.0, ge=0.0, le=1.0, allow_inf_nan=False)
    messaging: float = Field(default=0.0, ge=0.0, le=1.0, allow_inf_nan=False)


class Platform(Model):
    """Tenant-wide behaviour of the fake cloud."""

    message_delivery_ms: int = Field(
        default=1000,
        ge=0,
        le=MAX_DELAY_MS,
        description="Time the platform takes to deliver one bot message (T4).",
    )
    group_store_order: Literal["fixture", "shuffled"] | list[str] = "fixture"
    auto_close_after_minutes: int | None = Field(
        default=None,
        ge=1,
        description="Opt-in: close a messaging conversation after this many minutes without a"
        " consumer message (the account's auto-close; not modelled unless set).",
    )
    chaos: ChaosProfile = Field(default_factory=ChaosProfile)
    transfer_loop_limit: int = Field(default=10, ge=2, le=MAX_COUNT)


class Tenant(Model):
    schema_: str | None = Field(
        default=None, alias="$schema", description="JSON Schema of this file, for editors."
    )
    name: str = "tenant"
    include: list[str] = Field(default_factory=list)
    platform: Platform = Field(default_factory=Platform)
    skills: list[Skill] = Field(default_factory=list)
    agents: list[Agent] = Field(default_factory=list)
    bots: list[BotEntry] = Field(default_factory=list)
    connectors: list[Connector] = Field(default_factory=list)
    groups: list[BotGroup] = Field(default_factory=list)
    consumer: ConsumerPreset | None = Field(
        default=None,
        description="The consumer every conversation starts with (steps can change it).",
    )
