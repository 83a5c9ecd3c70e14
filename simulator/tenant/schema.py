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
    field_validator,
    model_validator,
)

from simulator.errors import did_you_mean
from simulator.nlu import NluEngine


class SourceInt(int):
    """An integer YAML 1.1 read from text that is not its plain decimal form (``010`` is 8,
    ``0x1F`` is 31, ``1_000`` is 1000); ``source`` keeps what the user wrote, so an id stays
    ``"010"`` instead of silently becoming ``"8"``."""

    source: str

    def __new__(cls, value: int, source: str) -> SourceInt:
        made = super().__new__(cls, value)
        made.source = source
        return made


class SourceFloat(float):
    """A float read from text such as ``1.50`` or ``.5``; ``source`` keeps the text."""

    source: str

    def __new__(cls, value: float, source: str) -> SourceFloat:
        made = super().__new__(cls, value)
        made.source = source
        return made


def _to_str(value: Any) -> Any:
    """Skill and agent ids are numbers in YAML but identifiers to us; keep them as the text the
    user wrote (``010`` stays "010", not "8"). Booleans and null are left to fail as "a valid
    string" so the error can say to quote them."""
    if isinstance(value, bool):
        return value
    source = getattr(value, "source", None)
    if isinstance(source, str):
        return source
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


Id = Annotated[str, BeforeValidator(_to_str)]

#: Upper bounds of numeric fields. Every duration must fit the virtual calendar (which ends in
#: year 9999) many times over, and no count may be large enough to loop for hours: a value
#: past a bound is a load error naming the field and the limit, never an OverflowError later.
MAX_DELAY_MS = 24 * 60 * 60 * 1000  # one day: an interaction delay, a platform delivery time
MAX_TIMEOUT_MS = 365 * 24 * 60 * 60 * 1000  # one year: connector timers and intervals
MAX_SECONDS = 365 * 24 * 60 * 60  # one year: TTLs and accept timeouts, in seconds
MAX_MINUTES = 365 * 24 * 60  # one year, in minutes
MAX_COUNT = 1000  # retries, loop limits


def _ms_field(default: int, *, ge: int = 0, le: int = MAX_TIMEOUT_MS, **extra: Any) -> Any:
    return Field(default=default, ge=ge, le=le, **extra)


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
    ttl_seconds: int | None = Field(default=None, ge=0, le=MAX_SECONDS)


class AgentTransfer(Model):
    """The Agent Transfer interaction, or the settings of a LivePerson Agent Escalation."""

    skill_id: Id | None = None
    skill_name: str | None = None
    agent_id: Id | None = None
    transfer_bot_context: bool = False
    message_to_user: str | None = None


#: Operators of a rule's variable conditions (Conversation Builder's contextConditions).
CONDITION_OPS = (
    "contains",
    "not_contains",
    "equals",
    "not_equals",
    "greater_than",
    "less_than",
)


class VariableCondition(Model):
    """A variable condition of a rule: ``name`` is a bot variable name, or a template such as
    ``{$userMessage}`` or ``{$.api_X.count}``; ``value`` may hold references too."""

    name: str
    op: str = "equals"
    value: str = ""

    @model_validator(mode="after")
    def _known_op(self) -> VariableCondition:
        if self.op not in CONDITION_OPS:
            raise ValueError(
                f'unknown condition operator "{self.op}"; expected one of {", ".join(CONDITION_OPS)}'
            )
        return self


RULE_CONDITIONS = ("pattern", "regex", "exact", "intent", "api_result", "unsupported")


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
    """A response rule of a question (or an API result rule of an integration interaction).

    Exactly one main condition; ``conditions`` (variable conditions) must also hold, all or
    any of them as ``conditions_match`` says. Rules run top to bottom, intent rules first and
    no-match rules last (as on the platform)."""

    name: str | None = None
    pattern: str | list[str] | None = None
    exclude: list[str] = Field(
        default_factory=list, description="Exclude keywords of a pattern rule."
    )
    regex: str | None = None
    exact: str | list[str] | None = None
    intent: str | None = None
    no_match: bool = False
    api_result: Literal["success", "failure"] | None = Field(
        default=None, description="An integration interaction's rule on the call's result."
    )
    unsupported: str | None = Field(
        default=None,
        description="An imported condition the simulator cannot evaluate: never matches, and"
        " says so in the transcript when evaluated.",
    )
    conditions: list[VariableCondition] = Field(default_factory=list)
    conditions_match: Literal["any", "all"] = "any"
    fallback_message: str | None = Field(
        default=None, description="Sent before the next step when a no-match rule fires."
    )
    set: dict[str, str] = Field(default_factory=dict)
    next: str = "next"

    @model_validator(mode="after")
    def _one_condition(self) -> Rule:
        given = [k for k in RULE_CONDITIONS if getattr(self, k) is not None]
        if self.no_match:
            given.append("no_match")
        if len(given) != 1:
            raise ValueError(
                "a rule needs exactly one condition out of pattern, regex, exact, intent,"
                f" no_match, api_result (found {', '.join(given) if given else 'none'})"
            )
        return self


#: Interaction keys that make a message rich content (R2).
RICH_KEYS = ("options", "quick_replies", "buttons", "choices", "cards", "structured", "image")


class Interaction(Model):
    """One interaction of a dialog. Exactly one kind key (text, question, transfer, ...)."""

    name: str | None = None
    delay_ms: int = Field(default=0, ge=0, le=MAX_DELAY_MS)
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
    disabled: bool = Field(
        default=False, description="A disabled interaction is skipped, as on the platform."
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What the importer could not map: warned by check, logged when reached.",
    )
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
            if self.integration is None:
                raise ValueError(
                    "rules belong to a question interaction (or, with api_result, to an"
                    " integration interaction)"
                )
            if any(r.api_result is None and r.unsupported is None for r in self.rules):
                raise ValueError("the rules of an integration interaction need api_result")
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


def _ms(*names: str) -> Any:
    return AliasChoices(*names)


class ConnectorSettings(Model):
    """Custom settings of an agent connector, with LivePerson's documented defaults (C1)."""

    fallback_escalation_time_ms: int = _ms_field(
        180_000,
        validation_alias=_ms("fallback_escalation_time_ms", "fallbackEscalationTime"),
    )
    max_escalation_retries: int = Field(
        default=3,
        ge=0,
        le=MAX_COUNT,
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
    greeting_wait_ms: int = _ms_field(3000)
    skip_agent_message: bool = Field(
        default=False, validation_alias=_ms("skip_agent_message", "skipAgentMessage")
    )
    message_delay_ms: int = _ms_field(
        300, le=MAX_DELAY_MS, validation_alias=_ms("message_delay_ms", "messageDelay")
    )
    max_consumer_message_delay_ms: int = _ms_field(
        30 * 60 * 1000,
        validation_alias=_ms("max_consumer_message_delay_ms", "maxConsumerMessageDelay"),
    )
    retry_message_interval_ms: int = _ms_field(
        60_000,
        ge=1,
        validation_alias=_ms("retry_message_interval_ms", "retryMessageInterval"),
    )
    message_resend_max_retries: int = Field(
        default=1,
        ge=0,
        le=MAX_COUNT,
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

    @model_validator(mode="before")
    @classmethod
    def _consumer_delay_in_minutes(cls, data: Any) -> Any:
        """The docs give ``maxConsumerMessageDelay`` in minutes (default 30), unlike the
        other ms settings; a value copied from them must mean minutes, not milliseconds.

        The value is converted to ms under the same key, so the field's own checks (and their
        messages, which name ``maxConsumerMessageDelay``) still apply; what is not a number is
        left for them to reject.
        """
        if not isinstance(data, dict) or "maxConsumerMessageDelay" not in data:
            return data
        if "max_consumer_message_delay_ms" in data:
            raise ValueError(
                "give either maxConsumerMessageDelay (minutes) or max_consumer_message_delay_ms,"
                " not both"
            )
        minutes = data["maxConsumerMessageDelay"]
        if isinstance(minutes, str):
            try:
                minutes = float(minutes)
            except ValueError:
                return data
        if isinstance(minutes, bool):
            raise ValueError(f"maxConsumerMessageDelay is a number of minutes, not {minutes!r}")
        if not isinstance(minutes, int | float):
            return data
        if minutes != minutes or minutes in (float("inf"), float("-inf")):
            return data
        return {**data, "maxConsumerMessageDelay": round(minutes * 60_000)}


#: Connector settings the connector page marks "Messaging: Yes, Chat: No" (C1): on a chat
#: connector they have no effect. Field name -> the documented name.
MESSAGING_ONLY_SETTINGS = {
    "fallback_escalation_time_ms": "fallbackEscalationTime",
    "max_escalation_retries": "maxEscalationRetries",
    "skip_agent_message": "skipAgentMessage",
    "message_delay_ms": "messageDelay",
    "max_consumer_message_delay_ms": "maxConsumerMessageDelay",
    "retry_message_interval_ms": "retryMessageInterval",
    "message_resend_max_retries": "messageResendMaxRetries",
    "user_retry_on_stuck_conversation": "userRetryOnStuckConversation",
    "user_notification_message_on_stuck_conversation": "userNotificationMessageOnStuckConversation",
    "escalate_on_stuck_conversation": "escalateOnStuckConversation",
    "escalation_skill_id_on_stuck_conversation": "escalationSkillIdOnStuckConversation",
    "escalation_message_on_stuck_conversation": "escalationMessageOnStuckConversation",
}


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


#: Engagement attributes ``botContext.getLPEngagementAttribute`` documents (the docs also
#: spell ``rtSessionId`` as ``rtSesssionId``; both are accepted).
ENGAGEMENT_ATTRIBUTES = (
    "sharkVisitorId",
    "sharkSessionId",
    "sharkContextId",
    "campaignId",
    "engagementId",
    "startTs",
    "os",
    "appId",
    "brandId",
    "BearerToken",
    "currentSkillId",
    "previousSkillId",
    "rtSessionId",
    "rtSesssionId",
    "chatSessionKey",
    "agentSessionId",
)

#: Values ``botContext.getUserChannel`` documents.
USER_CHANNELS = (
    "lp_sms",
    "lp_web",
    "lp_inapp",
    "lp_whatsapp",
    "lp_rcs",
    "lp_abc",
    "twilio_sms",
    "lp_fb",
)


class SdeDate(Model):
    """A date inside an engagement attribute (SDE), as LivePerson writes it."""

    day: int = Field(ge=1, le=31)
    month: int = Field(ge=1, le=12)
    year: int


class CustomerInfo(Model):
    """The Customer Info SDE (``ctmrinfo``) that ``getLPCustomerInfo()`` returns; field names
    as in LivePerson's engagement attribute docs, so values copy over unchanged."""

    customerId: str | None = None
    ctype: str | None = Field(default=None, description="Customer type, e.g. vip.")
    cstatus: str | None = Field(default=None, description="Customer status.")
    balance: float | None = None
    currency: str | None = None
    socialId: str | None = None
    imei: str | None = Field(default=None, description="Device id or phone number.")
    userName: str | None = None
    companySize: int | None = None
    companyBranch: str | None = None
    accountName: str | None = None
    role: str | None = None
    lastPaymentDate: SdeDate | None = None
    registrationDate: SdeDate | None = None
    storeNumber: str | None = None
    storeZipCode: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _ids_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: (_to_str(v) if k != "balance" and k != "companySize" else v)
                for k, v in data.items()
            }
        return data


class PersonAge(Model):
    age: int | None = Field(default=None, ge=0)
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)


class PersonContact(Model):
    email: str | None = None
    phone: str | None = None


class PersonalInfo(Model):
    """The Personal Info SDE that ``getLPUserPersonalInfo()`` returns (null unless one of
    firstname, lastname or company is set, as documented)."""

    firstname: str | None = None
    lastname: str | None = None
    age: PersonAge | None = None
    contacts: list[PersonContact] = Field(default_factory=list)
    gender: str | None = None
    language: str | None = None
    company: str | None = None


class ConsumerLocation(Model):
    """What ``botContext.getUserLocation()`` returns (a Location required context)."""

    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    city: str | None = None
    state: str | None = Field(default=None, description="Two-letter state abbreviation.")
    zip: str | None = None
    country: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _zip_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and "zip" in data:
            return {**data, "zip": _to_str(data["zip"])}
        return data


def _check_names(names: Any, valid: tuple[str, ...], what: str) -> Any:
    for name in names or {}:
        if name not in valid:
            raise ValueError(f'unknown {what} "{name}": {did_you_mean(str(name), valid)}')
    return names


class ConsumerPreset(Model):
    """Who the consumer is, before any conversation: identity, the engagement attributes and
    SDEs bot code reads (getLPCustomerInfo, getLPEngagementAttribute, getUserLocation, ...),
    bot variables every bot starts with, and Web View variables."""

    name: str | None = None
    email: str | None = None
    id: Id | None = None
    customer_info: CustomerInfo | None = None
    personal_info: PersonalInfo | None = None
    engagement: dict[str, Id] = Field(
        default_factory=dict,
        description="Engagement attributes by their documented names (campaignId, ...).",
    )
    location: ConsumerLocation | None = None
    variables: dict[str, Id] = Field(
        default_factory=dict, description="Bot variables every bot starts with."
    )
    web_view: dict[str, Id] = Field(
        default_factory=dict, description="Web View API variables (getWebViewVariable)."
    )
    user_channel: str | None = Field(
        default=None, description="What getUserChannel() returns (lp_web when not set)."
    )
    sentiment: Literal["Positive", "Neutral", "Negative"] | None = Field(
        default=None, description="What getSentiment() returns, instead of the word scorer."
    )

    @field_validator("engagement")
    @classmethod
    def _documented_attributes(cls, value: dict[str, str]) -> dict[str, str]:
        _check_names(value, ENGAGEMENT_ATTRIBUTES, "engagement attribute")
        return value

    @field_validator("user_channel")
    @classmethod
    def _documented_channel(cls, value: str | None) -> str | None:
        if value is not None:
            _check_names([value], USER_CHANNELS, "user channel")
        return value


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
