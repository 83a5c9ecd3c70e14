"""Pydantic models of the tenant file.

The models are the contract with users, so every model forbids unknown keys: a misspelt key is a
load error that names the nearest valid key, never a silently ignored setting. Field names are
snake_case; the connector settings also accept the camelCase names of LivePerson's documentation
so a value can be copied from there unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from simulator.nlu import NluEngine


def _to_str(value: Any) -> Any:
    """Skill and agent ids are numbers in YAML but identifiers to us; keep them as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_to_str)]

#: Special texts understood by Conversation Builder in a text interaction.
BLANK_MESSAGE = "BLANK_MESSAGE"
LP_CLOSEDIALOG = "LP_CLOSEDIALOG"
LP_CLOSECONVERSATION = "LP_CLOSECONVERSATION"

#: Next-action keywords; anything else names an interaction of the same dialog.
NEXT_KEYWORDS = ("next", "end", "close_dialog", "close_conversation")

#: Text that the platform sends on the consumer's behalf when an escalation fails (F1).
ESCALATION_FAILED_MESSAGE = "__agent_escalation_failed__"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


class Channel(StrEnum):
    CHAT = "chat"
    MESSAGING = "messaging"


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


class BotTransferContext(Model):
    """Mirrors setBotTransferIntentbyDomain / setBotTransferIntentId / setBotTransferUserMessage."""

    domain: str | None = None
    intent: str | None = None
    intent_id: str | None = None
    message: str | None = None


class ContextScope(StrEnum):
    CONVERSATION = "conversation"
    CONSUMER = "consumer"
    GLOBAL = "global"


class ContextOperation(Model):
    """One call to the Conversation Context Service, made by bot code before the interaction."""

    op: Literal["register", "set", "get", "delete", "delete_namespace"]
    namespace: str
    scope: ContextScope = ContextScope.CONVERSATION
    key: str | None = None
    value: str | None = None
    variable: str | None = Field(
        default=None, description="For get: the bot variable that receives the value."
    )
    ttl_seconds: int | None = None


class AgentTransfer(Model):
    """The Agent Transfer interaction, or the settings of a LivePerson Agent Escalation."""

    skill_id: Id | None = None
    skill_name: str | None = None
    agent_id: Id | None = None
    transfer_bot_context: bool = False
    message_to_user: str | None = None


def _choice_text(value: Any) -> Any:
    """A choice label: numbers become text; YAML's unquoted yes/no/on/off are refused, since
    they arrive as true/false and would show as "True"."""
    if isinstance(value, bool):
        raise ValueError(
            "a choice is text: quote it (YAML reads unquoted Yes, No, On, Off as true/false)"
        )
    if isinstance(value, int | float):
        return str(value)
    return value


def _choice_from_text(value: Any) -> Any:
    """A choice written as plain text is its own title and value."""
    value = _choice_text(value)
    return {"title": value} if isinstance(value, str) else value


class ChoiceSpec(Model):
    """A quick reply or button: its label, what tapping it does and what it sends back (R1)."""

    title: str
    value: str | None = Field(
        default=None,
        description="Sent to the bot when tapped (payload/callback); the title if absent.",
    )
    type: Literal["postback", "text", "publish_text", "link"] | None = Field(
        default=None,
        description="postback (button callback), text (quick reply), publish_text or link;"
        " the default is text for quick replies, postback for buttons.",
    )
    url: str | None = Field(default=None, description="The URL a link button opens.")


Choices = list[Annotated[ChoiceSpec, BeforeValidator(_choice_from_text)]]


class CardSpec(Model):
    """A structured tile: a card, or one card of a carousel."""

    title: str = ""
    subtitle: str = ""
    image: str | None = None
    link: str | None = Field(default=None, description="Item URL: opened by tapping the image.")
    buttons: Choices = Field(default_factory=list)


class ImageSpec(Model):
    url: str
    caption: str = ""


def _image_from_text(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


class Rule(Model):
    """A response rule of a question. Exactly one condition; rules run top to bottom."""

    name: str | None = None
    pattern: str | list[str] | None = None
    regex: str | None = None
    exact: str | list[str] | None = None
    intent: str | None = None
    no_match: bool = False
    set: dict[str, str] = Field(default_factory=dict)
    next: str = "next"

    @model_validator(mode="after")
    def _one_condition(self) -> Rule:
        given = [k for k in ("pattern", "regex", "exact", "intent") if getattr(self, k) is not None]
        if self.no_match:
            given.append("no_match")
        if len(given) != 1:
            raise ValueError(
                "a rule needs exactly one condition out of pattern, regex, exact, intent,"
                f" no_match (found {', '.join(given) if given else 'none'})"
            )
        return self


#: Interaction keys that make a message rich content (R2).
RICH_KEYS = ("options", "quick_replies", "buttons", "choices", "cards", "structured", "image")


class Interaction(Model):
    """One interaction of a dialog. Exactly one kind key (text, question, transfer, ...)."""

    name: str | None = None
    delay_ms: int = Field(default=0, ge=0)
    set: dict[str, str] = Field(default_factory=dict, description="Bot variables set first.")
    bot_transfer: BotTransferContext | None = None
    context: list[ContextOperation] = Field(default_factory=list)
    pre_process: str | None = Field(default=None, description="JavaScript run first.")
    post_process: str | None = Field(default=None, description="JavaScript run after.")
    process_user_response: str | None = None

    text: str | None = None
    question: str | None = None
    options: list[str] = Field(
        default_factory=list,
        description="Quick replies whose title is also the value sent (shorthand for quick_replies).",
    )
    quick_replies: Choices = Field(default_factory=list, description="Quick reply chips (R1, R2).")
    buttons: Choices = Field(
        default_factory=list, description="Buttons of a Button question (R1, R2)."
    )
    choices: list[Annotated[str, BeforeValidator(_choice_text)]] = Field(
        default_factory=list, description="Answers of a Multiple Choice question."
    )
    choice_display: Literal["buttons", "quick_replies"] = Field(
        default="buttons", description="How multiple choices show: buttons or quick reply chips."
    )
    list_style: Literal["numbers", "letters"] = Field(
        default="numbers", description="List style of choices on text-only channels (SMS)."
    )
    cards: list[CardSpec] = Field(
        default_factory=list, description="Structured tiles: one is a card, more a carousel."
    )
    structured: str | None = Field(
        default=None,
        description="LivePerson structured content JSON (a universal interaction); may use"
        " {$botContext.x} and is parsed after variables are replaced.",
    )
    image: Annotated[ImageSpec, BeforeValidator(_image_from_text)] | None = None
    save_as: str | None = Field(default=None, description="Store the answer in this variable.")
    rules: list[Rule] = Field(default_factory=list)
    transfer: AgentTransfer | None = None
    integration: str | None = None
    unsupported: str | None = Field(
        default=None, description="An imported interaction type the simulator cannot run."
    )
    next: str = "next"
    on_failure: str | None = Field(
        default=None,
        description="Failure rule of an integration or transfer: where to go when the call"
        " itself fails at once (next keyword or interaction name).",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Interaction:
        kinds = [
            k
            for k in ("text", "question", "transfer", "integration", "unsupported")
            if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise ValueError(
                "an interaction needs exactly one of text, question, transfer, integration"
                f" (found {', '.join(kinds) if kinds else 'none'})"
            )
        if self.rules and self.question is None:
            raise ValueError("rules belong to a question interaction")
        rich = [k for k in RICH_KEYS if getattr(self, k)]
        if rich and self.text is None and self.question is None:
            raise ValueError(
                f"{', '.join(rich)} belong to a text or question interaction (rich content, R2)"
            )
        return self

    @property
    def has_rich_content(self) -> bool:
        return any(getattr(self, k) for k in RICH_KEYS)

    @property
    def kind(self) -> str:
        for k in ("text", "question", "transfer", "integration", "unsupported"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated interaction without a kind")


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
    transform: str | None = Field(default=None, description="Transform result script (JS).")
    custom_data: dict[str, str] = Field(default_factory=dict)


Integration = Annotated[EscalationIntegration | ApiIntegration, Field(discriminator="type")]


class Bot(Model):
    name: str
    type: BotType = BotType.CUSTOM
    language: str = "en-US"
    nlu_engine: NluEngine = NluEngine.LIVEPERSON
    default_user_friendly_response: str | None = None
    session_length_minutes: int | None = None
    intents: list[Intent] = Field(default_factory=list)
    dialogs: list[Dialog] = Field(default_factory=list)
    integrations: list[Integration] = Field(default_factory=list)
    global_functions: str | None = Field(default=None, description="JavaScript (imports).")
    environment: dict[str, str] = Field(default_factory=dict)
    group: str | None = Field(default=None, description="Bot group id from an import.")


class BotRef(Model):
    """A bot given by a Conversation Builder export file instead of inline."""

    export: str
    name: str | None = Field(default=None, description="Rename the imported bot.")


def _bot_entry_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "export" if "export" in value else "bot"
    return "export" if isinstance(value, BotRef) else "bot"


BotEntry = Annotated[
    Annotated[Bot, Tag("bot")] | Annotated[BotRef, Tag("export")],
    Discriminator(_bot_entry_kind),
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
    accept_timeout_seconds: int = Field(default=60, ge=1)


def _ms(*names: str) -> Any:
    return AliasChoices(*names)


class ConnectorSettings(Model):
    """Custom settings of an agent connector, with LivePerson's documented defaults (C1)."""

    fallback_escalation_time_ms: int = Field(
        default=180_000,
        ge=0,
        validation_alias=_ms("fallback_escalation_time_ms", "fallbackEscalationTime"),
    )
    max_escalation_retries: int = Field(
        default=3,
        ge=0,
        validation_alias=_ms("max_escalation_retries", "maxEscalationRetries"),
        description="Failure messages sent to the bot before the next failure gives up (F3).",
    )
    escalation_give_up_message: str = (
        "Not able to transfer to Agent at this time. Please try later."
    )
    default_greeting_message: str = Field(
        default="hi", validation_alias=_ms("default_greeting_message", "defaultGreetingMessage")
    )
    disable_greetings: bool = Field(
        default=False, validation_alias=_ms("disable_greetings", "disableGreetings")
    )
    greeting_wait_ms: int = Field(default=3000, ge=0)
    skip_agent_message: bool = Field(
        default=False, validation_alias=_ms("skip_agent_message", "skipAgentMessage")
    )
    message_delay_ms: int = Field(
        default=300, ge=0, validation_alias=_ms("message_delay_ms", "messageDelay")
    )
    max_consumer_message_delay_ms: int = Field(
        default=30 * 60 * 1000,
        ge=0,
        validation_alias=_ms("max_consumer_message_delay_ms", "maxConsumerMessageDelay"),
    )
    retry_message_interval_ms: int = Field(
        default=60_000,
        ge=1,
        validation_alias=_ms("retry_message_interval_ms", "retryMessageInterval"),
    )
    message_resend_max_retries: int = Field(
        default=1,
        ge=0,
        validation_alias=_ms("message_resend_max_retries", "messageResendMaxRetries"),
    )
    user_retry_on_stuck_conversation: bool = Field(
        default=False,
        validation_alias=_ms("user_retry_on_stuck_conversation", "userRetryOnStuckConversation"),
    )
    user_notification_message_on_stuck_conversation: str = Field(
        default="I'm sorry. Something went wrong, so let's start fresh. How can I help you today?",
        validation_alias=_ms(
            "user_notification_message_on_stuck_conversation",
            "userNotificationMessageOnStuckConversation",
        ),
    )
    escalate_on_stuck_conversation: bool = Field(
        default=False,
        validation_alias=_ms("escalate_on_stuck_conversation", "escalateOnStuckConversation"),
    )
    escalation_skill_id_on_stuck_conversation: Id | None = Field(
        default=None,
        validation_alias=_ms(
            "escalation_skill_id_on_stuck_conversation", "escalationSkillIdOnStuckConversation"
        ),
    )
    enable_button_text_on_postback: bool = Field(
        default=False,
        validation_alias=_ms("enable_button_text_on_postback", "enableButtonTextOnPostback"),
        description="Messaging only: a tapped button shows its label, not its callback value"
        " (the bot still gets the value; quick replies are not affected) (R1).",
    )
    escalation_message_on_stuck_conversation: str = Field(
        default="I'm having some trouble. Let me connect you with an agent.",
        validation_alias=_ms(
            "escalation_message_on_stuck_conversation", "escalationMessageOnStuckConversation"
        ),
    )


class Connector(Model):
    """An agent connector: deploys a bot as a bot user agent serving skills (T1, C1)."""

    bot: str
    agent_id: Id | None = Field(default=None, description="The bot user agent id.")
    skills: list[Id] = Field(default_factory=list)
    channel: Channel = Channel.MESSAGING
    active: bool = True
    fallback_skill_id: Id | None = None
    settings: ConnectorSettings = Field(default_factory=ConnectorSettings)


class BotGroup(Model):
    name: str
    id: str | None = None
    collaboration: bool = True
    members: list[str] = Field(default_factory=list)
    transfer_message: str | None = None


class ChaosProfile(Model):
    """Seeded random escalation failures per channel, for soak runs (B4)."""

    chat: float = Field(default=0.0, ge=0.0, le=1.0)
    messaging: float = Field(default=0.0, ge=0.0, le=1.0)


class Platform(Model):
    """Tenant-wide behaviour of the fake cloud."""

    message_delivery_ms: int = Field(
        default=1000,
        ge=0,
        description="Time the platform takes to deliver one bot message (T4).",
    )
    group_store_order: Literal["fixture", "shuffled"] | list[str] = "fixture"
    chaos: ChaosProfile = Field(default_factory=ChaosProfile)
    transfer_loop_limit: int = Field(default=10, ge=2)


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
