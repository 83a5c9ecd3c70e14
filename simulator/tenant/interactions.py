"""One interaction of a dialog, and what it can carry: bot transfer context, context service
calls, agent transfers and the special texts Conversation Builder understands.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    model_validator,
)

from simulator.tenant.fields import MAX_DELAY_MS, MAX_SECONDS, Id, Model
from simulator.tenant.rich_specs import (
    RICH_KEYS,
    CardSpec,
    Choices,
    ImageSpec,
    choice_text,
    image_from_text,
)
from simulator.tenant.rules import Rule

#: Special texts understood by Conversation Builder in a text interaction.
BLANK_MESSAGE = "BLANK_MESSAGE"
LP_CLOSEDIALOG = "LP_CLOSEDIALOG"
LP_CLOSECONVERSATION = "LP_CLOSECONVERSATION"

#: Next-action keywords; anything else names an interaction of the same dialog.
NEXT_KEYWORDS = ("next", "end", "close_dialog", "close_conversation")

#: Text that the platform sends on the consumer's behalf when an escalation fails (F1).
ESCALATION_FAILED_MESSAGE = "__agent_escalation_failed__"


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
    choices: list[Annotated[str, BeforeValidator(choice_text)]] = Field(
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
    image: Annotated[ImageSpec, BeforeValidator(image_from_text)] | None = None
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
