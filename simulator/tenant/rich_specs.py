"""Rich content specs of an interaction: choices (quick replies, buttons), cards, images (R1, R2)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
)

from simulator.tenant.fields import Model


def choice_text(value: Any) -> Any:
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
    value = choice_text(value)
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


def image_from_text(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


#: Interaction keys that make a message rich content (R2).
RICH_KEYS = ("options", "quick_replies", "buttons", "choices", "cards", "structured", "image")
