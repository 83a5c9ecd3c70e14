"""Agent connectors and their custom settings, with LivePerson's documented defaults (C1)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import (
    AliasChoices,
    Field,
    model_validator,
)

from simulator.tenant.fields import MAX_COUNT, MAX_DELAY_MS, Id, Model, ms_field


class Channel(StrEnum):
    CHAT = "chat"
    MESSAGING = "messaging"


def _ms(*names: str) -> Any:
    return AliasChoices(*names)


class ConnectorSettings(Model):
    """Custom settings of an agent connector, with LivePerson's documented defaults (C1)."""

    fallback_escalation_time_ms: int = ms_field(
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
    greeting_wait_ms: int = ms_field(3000)
    skip_agent_message: bool = Field(
        default=False, validation_alias=_ms("skip_agent_message", "skipAgentMessage")
    )
    message_delay_ms: int = ms_field(
        300, le=MAX_DELAY_MS, validation_alias=_ms("message_delay_ms", "messageDelay")
    )
    max_consumer_message_delay_ms: int = ms_field(
        30 * 60 * 1000,
        validation_alias=_ms("max_consumer_message_delay_ms", "maxConsumerMessageDelay"),
    )
    retry_message_interval_ms: int = ms_field(
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
