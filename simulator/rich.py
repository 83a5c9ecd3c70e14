"""Rich content as data: quick replies, buttons, multiple choice, cards, carousels, images (R1, R2).

A bot message is text plus, optionally, a ``Content``: the structure Conversation Builder sends
(quick replies, button questions, multiple choice, structured tiles, universal structured
content, images). Keeping it structured, instead of flattening it to text, is what lets a test
assert titles, choices and the values they send back, lets the consumer tap a choice, and lets
a text-only channel (SMS) render the platform's text version with numbered or lettered lists.

The module is pure data and rendering: the bot runtime builds ``Content`` values, the transcript
stores them as JSON (``Content.to_json``) and renders them as readable text lines, the cloud
maps a consumer's tap or typed number to the ``Choice`` it means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: How a choice is presented: quick reply chips, a button, or a multiple-choice answer.
QUICK_REPLY = "quick_reply"
BUTTON = "button"
CHOICE = "choice"

#: What tapping a choice does. ``postback``: a Button/Structured callback value goes to the bot
#: (R1: the consumer sees the value, or the label with ``enableButtonTextOnPostback``);
#: ``text``: a quick reply's payload goes to the bot, the consumer sees its title;
#: ``publish_text``: structured content publishes its text as the consumer's message;
#: ``link``: opens a URL and sends nothing to the bot.
POSTBACK = "postback"
TEXT = "text"
PUBLISH_TEXT = "publish_text"
LINK = "link"

#: Content types, one per interaction family of the exports.
CONTENT_TYPES = (
    "quick_replies",
    "buttons",
    "multiple_choice",
    "card",
    "carousel",
    "image",
)

LIST_STYLES = ("numbers", "letters")

#: Width of the "00:00:00.000  " prefix of a transcript line; continuation lines align to it.
INDENT = " " * 14


@dataclass(frozen=True)
class Choice:
    """One tappable (or linkable) choice: what it shows, what it does, what it sends."""

    title: str
    kind: str = QUICK_REPLY
    type: str = TEXT
    value: str = ""
    url: str | None = None

    @property
    def sends(self) -> str | None:
        """The text the platform sends to the bot when tapped; None for a pure link."""
        return None if self.type == LINK else self.value

    def shown(self, *, button_text_on_postback: bool) -> str:
        """What the consumer sees as their message after tapping (R1)."""
        if self.type == POSTBACK and not button_text_on_postback:
            return self.value
        if self.type == PUBLISH_TEXT:
            return self.value
        return self.title

    def describe(self) -> str:
        out = f'"{self.title}"'
        if self.type == LINK:
            return out + f" (link {self.url})"
        if self.value != self.title:
            out += f' (sends "{self.value}")'
        if self.url:
            out += f" (and opens {self.url})"
        return out

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "kind": self.kind,
            "type": self.type,
            "value": self.value,
        }
        if self.url is not None:
            data["url"] = self.url
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Choice:
        return Choice(
            str(data.get("title", "")),
            str(data.get("kind", QUICK_REPLY)),
            str(data.get("type", TEXT)),
            str(data.get("value", "")),
            None if data.get("url") is None else str(data["url"]),
        )


@dataclass(frozen=True)
class Card:
    """One tile: a structured tile, a universal card, or one element of a carousel."""

    title: str = ""
    subtitle: str = ""
    images: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    buttons: tuple[Choice, ...] = ()
    link: str | None = None

    def describe(self) -> str:
        parts = [f'"{self.title}"' if self.title else "(untitled)"]
        if self.subtitle:
            parts.append(f'subtitle "{self.subtitle}"')
        parts += [f'text "{t}"' for t in self.texts]
        parts += [f"image {url}" for url in self.images]
        if self.link:
            parts.append(f"opens {self.link}")
        if self.buttons:
            parts.append("buttons: " + " | ".join(b.describe() for b in self.buttons))
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title}
        if self.subtitle:
            data["subtitle"] = self.subtitle
        if self.images:
            data["images"] = list(self.images)
        if self.texts:
            data["texts"] = list(self.texts)
        if self.link:
            data["link"] = self.link
        data["buttons"] = [b.to_json() for b in self.buttons]
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Card:
        return Card(
            str(data.get("title", "")),
            str(data.get("subtitle", "")),
            tuple(str(x) for x in data.get("images", [])),
            tuple(str(x) for x in data.get("texts", [])),
            tuple(Choice.from_json(b) for b in data.get("buttons", [])),
            None if data.get("link") is None else str(data["link"]),
        )


@dataclass(frozen=True)
class Content:
    """The structure of one bot message (its text stays the message's text)."""

    type: str
    choices: tuple[Choice, ...] = ()
    cards: tuple[Card, ...] = ()
    image: str | None = None
    caption: str = ""
    list_style: str = "numbers"
    errors: tuple[str, ...] = field(default=())

    def offered(self) -> list[Choice]:
        """Every choice of the message, its own first, then each card's buttons."""
        return [*self.choices, *(b for card in self.cards for b in card.buttons)]

    def tappable(self) -> list[Choice]:
        """Choices that send something to the bot (links only open a page)."""
        return [c for c in self.offered() if c.sends is not None]

    def lines(self) -> list[str]:
        """Readable, deterministic description lines (the transcript's text form)."""
        out: list[str] = []
        if self.type == "image":
            out.append(f"image: {self.image}" + (f' "{self.caption}"' if self.caption else ""))
        if self.choices:
            label = {
                "quick_replies": "quick replies",
                "buttons": "buttons",
                "multiple_choice": f"choices ({_display(self.choices)})",
            }.get(self.type, "choices")
            out.append(f"{label}: " + " | ".join(c.describe() for c in self.choices))
        if self.type == "carousel":
            out.append(f"carousel of {len(self.cards)} cards:")
            out += [f"  card {i}: {c.describe()}" for i, c in enumerate(self.cards, 1)]
        else:
            out += [f"card: {c.describe()}" for c in self.cards]
        out += [f"error: {e}" for e in self.errors]
        return out

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        if self.choices:
            data["choices"] = [c.to_json() for c in self.choices]
        if self.cards:
            data["cards"] = [c.to_json() for c in self.cards]
        if self.image is not None:
            data["image"] = self.image
        if self.caption:
            data["caption"] = self.caption
        if self.type == "multiple_choice" or self.list_style != "numbers":
            data["list_style"] = self.list_style
        if self.errors:
            data["errors"] = list(self.errors)
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Content:
        return Content(
            str(data.get("type", "")),
            tuple(Choice.from_json(c) for c in data.get("choices", [])),
            tuple(Card.from_json(c) for c in data.get("cards", [])),
            None if data.get("image") is None else str(data["image"]),
            str(data.get("caption", "")),
            str(data.get("list_style", "numbers")),
            tuple(str(e) for e in data.get("errors", [])),
        )


def _display(choices: tuple[Choice, ...]) -> str:
    return "quick replies" if choices and choices[0].kind == QUICK_REPLY else "buttons"


# -- the text version (text-only channels, R2) ------------------------------------------------
def marker(index: int, style: str) -> str:
    """``1``, ``2``... or ``a``, ``b``... (then ``aa``, ``ab``...) for the index-th choice."""
    if style != "letters":
        return str(index + 1)
    letters = ""
    n = index
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return letters


def text_version(text: str, content: Content | None) -> str:
    """The message as a text-only channel (SMS) shows it.

    The message's text, then each card's title, subtitle, texts and images, each link as
    ``title: URL``, and every choice that sends something as a numbered (or lettered) list:
    ``1. Yes``. The consumer answers by typing the number or letter.
    """
    lines = [text] if text else []
    if content is None:
        return "\n".join(lines)
    if content.image:
        lines.append(content.image + (f" {content.caption}" if content.caption else ""))
    listed = 0
    style = content.list_style

    def add_choices(choices: tuple[Choice, ...]) -> None:
        nonlocal listed
        for c in choices:
            if c.type == LINK:
                lines.append(f"{c.title}: {c.url}")
            else:
                lines.append(f"{marker(listed, style)}. {c.title}")
                listed += 1

    for card in content.cards:
        lines += [x for x in (card.title, card.subtitle, *card.texts) if x]
        lines += list(card.images)
        if card.link:
            lines.append(card.link)
        add_choices(card.buttons)
    add_choices(content.choices)
    return "\n".join(lines)


def typed_choice(text: str, content: Content) -> Choice | None:
    """The choice a consumer on a text-only channel means by typing ``1``, ``b`` or ``2.``."""
    typed = text.strip().rstrip(".").lower()
    if not typed:
        return None
    for index, choice in enumerate(content.tappable()):
        if typed == marker(index, content.list_style):
            return choice
    return None


def find_choice(title: str, content: Content) -> Choice | None:
    """The offered choice with this title: exact first, then ignoring case and spaces."""
    offered = content.offered()
    for c in offered:
        if c.title == title:
            return c
    wanted = " ".join(title.split()).lower()
    for c in offered:
        if " ".join(c.title.split()).lower() == wanted:
            return c
    return None


# -- LivePerson structured content JSON (universal interactions) -------------------------------
def parse_structured(raw: str) -> tuple[str, Content]:
    """Universal/structured content JSON -> (text, Content).

    A ``carousel`` becomes a carousel of its cards, a lone ``button`` a buttons message, a lone
    ``image`` without a click action an image message; any other element (vertical or horizontal
    layout, button, image, text, map) becomes one card whose title is its first text element
    (or one tagged ``title``). A text that is not JSON, or JSON of an unknown shape, gives a
    content with an error line, so the transcript says what the bot sent instead of dropping it.
    """
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return raw, Content("card", errors=(f"structured content is not valid JSON ({exc.msg})",))
    except (RecursionError, ValueError):  # nested too deeply, or a number too long to read
        return raw, Content("card", errors=("structured content is nested too deeply to read",))
    if not isinstance(data, dict):
        return raw, Content("card", errors=("structured content is not a JSON object",))
    if data.get("type") == "carousel":
        cards = tuple(_card(e) for e in _elements(data))
        return "", Content("carousel", cards=cards)
    if data.get("type") == "button":
        choice = _choice(str(data.get("title", "")), _actions(data))
        return "", Content("buttons", choices=() if choice is None else (choice,))
    if data.get("type") == "image" and not _actions(data):
        return "", Content(
            "image", image=str(data.get("url", "")), caption=str(data.get("caption", ""))
        )
    return "", Content("card", cards=(_card(data),))


def _elements(data: dict[str, Any]) -> list[dict[str, Any]]:
    raw = data.get("elements")
    return [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []


def _actions(data: dict[str, Any]) -> list[dict[str, Any]]:
    click = data.get("click")
    if not isinstance(click, dict):
        return []
    raw = click.get("actions")
    return [a for a in raw if isinstance(a, dict)] if isinstance(raw, list) else []


def _choice(title: str, actions: list[dict[str, Any]]) -> Choice | None:
    text = next((a for a in actions if a.get("type") == "publishText"), None)
    link = next((a for a in actions if a.get("type") == "link"), None)
    url = None if link is None else str(link.get("uri", ""))
    if text is not None:
        return Choice(title, BUTTON, PUBLISH_TEXT, str(text.get("text", "")), url)
    if link is not None:
        return Choice(title, BUTTON, LINK, "", url)
    return None


def _card(data: dict[str, Any]) -> Card:
    titles: list[str] = []
    texts: list[str] = []
    images: list[str] = []
    buttons: list[Choice] = []

    def walk(e: dict[str, Any]) -> None:
        kind = e.get("type")
        if kind in ("vertical", "horizontal", "carousel"):
            for child in _elements(e):
                walk(child)
        elif kind == "text":
            (titles if e.get("tag") == "title" else texts).append(str(e.get("text", "")))
        elif kind == "button":
            choice = _choice(str(e.get("title", "")), _actions(e))
            if choice is not None:
                buttons.append(choice)
        elif kind == "image":
            images.append(str(e.get("url", "")))
            label = str(e.get("tooltip") or e.get("caption") or e.get("url", ""))
            choice = _choice(label, _actions(e))
            if choice is not None and choice.type != LINK:
                buttons.append(choice)
            elif e.get("caption"):
                texts.append(str(e["caption"]))
        elif kind == "map":
            texts.append(f"map {e.get('la')},{e.get('lo')}")
            choice = _choice(str(e.get("tooltip", "map")), _actions(e))
            if choice is not None:
                buttons.append(choice)
        elif kind == "link":
            buttons.append(Choice(str(e.get("title", "")), BUTTON, LINK, "", str(e.get("uri", ""))))

    walk(data)
    if not titles and texts:
        titles.append(texts.pop(0))
    return Card(
        title=titles[0] if titles else "",
        texts=tuple(titles[1:] + texts),
        images=tuple(images),
        buttons=tuple(buttons),
    )


def render_lines(text: str, content: dict[str, Any], version: str | None) -> list[str]:
    """Continuation lines of a transcript entry: the structure, or on a text-only channel the
    text version (``| `` lines), minus the message text already on the entry's first line."""
    if version is not None:
        body = version.split("\n")
        if text and body and body[0] == text:
            body = body[1:]
        return [INDENT + "| " + line for line in body]
    return [INDENT + line for line in Content.from_json(content).lines()]
