"""Building an interaction's rich content (R2): quick replies, buttons, cards, images.

Every label, value and URL is rendered with the session's variables at the moment the message
is sent; the session passes its ``render`` so this module needs nothing else of it.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.rich import (
    BUTTON,
    LINK,
    POSTBACK,
    QUICK_REPLY,
    TEXT,
    Card,
    Choice,
    Content,
    parse_structured,
)
from simulator.tenant.schema import ChoiceSpec, Interaction

#: Renders a template for an interaction (``BotSession.render``).
Render = Callable[[str, str], str]


def rich_content(
    d: Interaction, text: str, where: str, render: Render
) -> tuple[str, Content | None]:
    """The interaction's rich content with variables replaced in every label and value."""
    if not d.has_rich_content:
        return text, None
    if d.structured is not None:
        extra, content = parse_structured(render(d.structured, where))
        return (text or extra), content
    cards = tuple(
        Card(
            title=render(c.title, where),
            subtitle=render(c.subtitle, where),
            images=(render(c.image, where),) if c.image else (),
            buttons=tuple(build_choice(b, BUTTON, where, render) for b in c.buttons),
            link=render(c.link, where) if c.link else None,
        )
        for c in d.cards
    )
    choices: list[Choice] = [
        *(build_choice(ChoiceSpec(title=o), QUICK_REPLY, where, render) for o in d.options),
        *(build_choice(q, QUICK_REPLY, where, render) for q in d.quick_replies),
        *(build_choice(b, BUTTON, where, render) for b in d.buttons),
    ]
    kind = QUICK_REPLY if d.choice_display == "quick_replies" else BUTTON
    for answer in d.choices:
        title = render(answer, where)
        choices.append(Choice(title, kind, TEXT, title))
    if d.choices:
        ctype = "multiple_choice"
    elif d.cards:
        ctype = "card" if len(d.cards) == 1 else "carousel"
    elif d.image is not None:
        ctype = "image"
    elif d.buttons:
        ctype = "buttons"
    else:
        ctype = "quick_replies"
    image = None if d.image is None else render(d.image.url, where)
    caption = "" if d.image is None else render(d.image.caption, where)
    return text, Content(ctype, tuple(choices), cards, image, caption, d.list_style)


def build_choice(spec: ChoiceSpec, kind: str, where: str, render: Render) -> Choice:
    """One quick reply or button, its title, value and URL rendered for ``where``."""
    title = render(spec.title, where)
    ctype = spec.type or (TEXT if kind == QUICK_REPLY else POSTBACK)
    value = title if spec.value is None else render(spec.value, where)
    url = None if spec.url is None else render(spec.url, where)
    if ctype == LINK:
        return Choice(title, kind, LINK, "", url or value)
    return Choice(title, kind, ctype, value, url)
