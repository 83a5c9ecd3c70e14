"""Steps for rich content: tapping choices and asserting quick replies, buttons, cards (R1, R2).

The consumer taps a choice by its title, and the platform sends what it sends (the callback
value or payload; the consumer sees the value, or the label with ``enableButtonTextOnPostback``);
a choice the bot did not offer is an error listing those it did. Then steps look at the bot's
messages since the consumer's last message and compare structure, never flattened text; on a
text-only channel (SMS) ``the consumer receives the text:`` checks the text version.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import (
    ChoiceNotOfferedError,
    CorpusUnavailable,
    ExpectationFailed,
    StepError,
    did_you_mean,
)
from simulator.rich import BUTTON, QUICK_REPLY, Card, Choice, Content, text_version
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY, split_list
from simulator.transcript import Entry, EntryKind

step = REGISTRY.step

RICH = "Rich content and choices"
SETUP = "Setting up the tenant"

#: Where the compatibility corpus of real exports lives, next to the project.
CORPUS = Path("..") / "shared" / "cb-exports"


def _replies(sim: Simulator) -> list[Entry]:
    entries = sim.conversation().transcript.entries
    last = max((i for i, e in enumerate(entries) if e.kind is EntryKind.CONSUMER), default=-1)
    return [e for e in entries[last + 1 :] if e.kind is EntryKind.BOT]


def _content(entry: Entry) -> Content | None:
    raw = entry.details.get("content")
    return Content.from_json(raw) if isinstance(raw, dict) else None


def _describe(entries: list[Entry]) -> str:
    if not entries:
        return "  (no bot message since the consumer's last message)"
    lines: list[str] = []
    for e in entries:
        lines.append(f"  {e.actor}: {e.text}")
        content = _content(e)
        if content is not None:
            lines += [f"    {x}" for x in content.lines()]
    return "\n".join(lines)


def _latest(sim: Simulator, what: str) -> Content:
    """The rich content of the latest reply that has some; fails listing the replies."""
    replies = _replies(sim)
    for entry in reversed(replies):
        content = _content(entry)
        if content is not None:
            return content
    raise ExpectationFailed(
        f"expected the bot to show {what}; its replies since the consumer's last message"
        f" were:\n{_describe(replies)}"
    )


def _latest_offer(sim: Simulator, what: str) -> Content:
    replies = _replies(sim)
    for entry in reversed(replies):
        content = _content(entry)
        if content is not None and content.offered():
            return content
    raise ExpectationFailed(
        f"expected the bot to offer {what}; its replies since the consumer's last message"
        f" were:\n{_describe(replies)}"
    )


def _titles(choices: list[Choice]) -> str:
    return ", ".join(f'"{c.title}"' for c in choices) or "nothing"


# -- the corpus of real exports --------------------------------------------------------------
@step(
    "the corpus export {name}",
    example='Given the corpus export "goBackBot.json"',
    section=SETUP,
)
def corpus_export(sim: Simulator, name: str) -> None:
    """Add the bot of a real Conversation Builder export of the shared corpus
    (``../shared/cb-exports/`` next to the project). Without that folder the scenario is
    skipped, with the reason; a file name not in it is an error naming the nearest files."""
    folders = [(d / CORPUS).resolve() for d in sim.search_dirs]
    folder = next((f for f in folders if f.is_dir()), None)
    if folder is None:
        raise CorpusUnavailable(
            f"the shared export corpus is absent (looked for {folders[-1] if folders else CORPUS})"
        )
    path = folder / name
    if not path.is_file():
        known = sorted(p.name for p in folder.glob("*.json"))
        raise StepError(f'no export "{name}" in {folder}: {did_you_mean(name, known)}')
    from simulator.cb_export import load_export  # only when a step reads an export

    sim.add_inline_bot(load_export(path).model_dump(mode="json", exclude_none=True))


# -- the consumer acts --------------------------------------------------------------------
@step(
    "the consumer taps {title}",
    "the consumer selects {title}",
    example='When the consumer taps "Yes"',
    section=RICH,
)
def consumer_taps(sim: Simulator, title: str) -> None:
    """Tap a quick reply, button or multiple-choice answer of the bot's latest message that
    offers choices, by its title. The bot receives what the platform sends: the payload or
    callback value (R1); the consumer sees the value, or the label when the connector sets
    enableButtonTextOnPostback (messaging; quick replies always show their title). A link
    button opens its URL and sends nothing. A title the bot did not offer is an error that
    lists the offered ones."""
    sim.platform.consumer_taps(sim.conversation(), title)
    sim.settle()


@step(
    "tapping {title} fails with {message}",
    example='Then tapping "Maybe" fails with "the bot offered"',
    section=RICH,
)
def tapping_fails(sim: Simulator, title: str, message: str) -> None:
    """Tapping this title is refused (a choice not offered, R1) with an error containing this
    text; nothing reaches the bot."""
    try:
        sim.platform.consumer_taps(sim.conversation(), title)
    except ChoiceNotOfferedError as exc:
        if message not in str(exc):
            raise ExpectationFailed(
                f'expected tapping "{title}" to fail with "{message}"; it failed with "{exc}"'
            ) from None
        return
    sim.settle()
    raise ExpectationFailed(f'expected tapping "{title}" to fail; the tap was sent')


# -- what the bot offers ------------------------------------------------------------------
def _check_offer(sim: Simulator, names: str, kind: str | None, what: str) -> None:
    wanted = split_list(names)
    content = _latest_offer(sim, what)
    offered = [c for c in content.offered() if kind is None or c.kind == kind]
    titles = [c.title for c in offered]
    if titles != wanted:
        shown = "; ".join(content.lines())
        raise ExpectationFailed(
            f"expected the bot to offer {what} {names}; it offered {_titles(offered)} ({shown})"
        )


@step(
    "the bot offers choices {names:list}",
    example='Then the bot offers choices "Yes", "No"',
    section=RICH,
)
def bot_offers_choices(sim: Simulator, names: str) -> None:
    """The bot's latest message with choices since the consumer's last message offers exactly
    these titles, in order, whatever their kind (quick replies, buttons, multiple choice,
    card buttons)."""
    _check_offer(sim, names, None, "choices")


@step(
    "the bot offers quick replies {names:list}",
    example='Then the bot offers quick replies "Quiz Me!", "Sign me up!"',
    section=RICH,
)
def bot_offers_quick_replies(sim: Simulator, names: str) -> None:
    """Exactly these quick reply chips, in order (a multiple choice shown as chips counts)."""
    _check_offer(sim, names, QUICK_REPLY, "quick replies")


@step(
    "the bot offers buttons {names:list}",
    example='Then the bot offers buttons "Check out", "Continue shopping"',
    section=RICH,
)
def bot_offers_buttons(sim: Simulator, names: str) -> None:
    """Exactly these buttons, in order: a Button question's, a multiple choice shown as
    buttons, or the buttons of the message's cards."""
    _check_offer(sim, names, BUTTON, "buttons")


@step("the bot offers no choices", example="Then the bot offers no choices", section=RICH)
def bot_offers_nothing(sim: Simulator) -> None:
    """No reply since the consumer's last message offers a choice."""
    replies = _replies(sim)
    for entry in replies:
        content = _content(entry)
        if content is not None and content.offered():
            raise ExpectationFailed(
                f"expected no choices; the bot offered {_titles(content.offered())}"
            )


def _choice(sim: Simulator, title: str) -> Choice:
    content = _latest_offer(sim, f'a choice "{title}"')
    for choice in content.offered():
        if choice.title == title:
            return choice
    raise ExpectationFailed(
        f'expected a choice "{title}"; the bot offered {_titles(content.offered())}'
    )


@step(
    "the choice {title} sends {value}",
    example='Then the choice "Quiz Me!" sends "Quiz"',
    section=RICH,
)
def choice_sends(sim: Simulator, title: str, value: str) -> None:
    """Tapping this offered choice sends this value to the bot (payload or callback, R1)."""
    choice = _choice(sim, title)
    if choice.sends != value:
        what = (
            "opens a link and sends nothing" if choice.sends is None else f'sends "{choice.sends}"'
        )
        raise ExpectationFailed(f'expected "{title}" to send "{value}"; it {what}')


@step(
    "the choice {title} opens {url}",
    example='Then the choice "Check out" opens "https://shop.example/cart"',
    section=RICH,
)
def choice_opens(sim: Simulator, title: str, url: str) -> None:
    """This offered choice is (or also is) a link to this URL."""
    choice = _choice(sim, title)
    if choice.url != url:
        raise ExpectationFailed(
            f'expected "{title}" to open "{url}"; it opens {choice.url or "nothing"}'
        )


# -- cards, carousels, images ---------------------------------------------------------------
def _cards(sim: Simulator) -> list[Card]:
    replies = _replies(sim)
    cards = [c for e in replies if (content := _content(e)) is not None for c in content.cards]
    if not cards:
        raise ExpectationFailed(
            "expected the bot to show a card; its replies since the consumer's last message"
            f" were:\n{_describe(replies)}"
        )
    return cards


@step(
    "the bot shows a card titled {title}",
    "the bot shows a card titled {title} with buttons {names:list}",
    example='Then the bot shows a card titled "Red sneaker" with buttons "Buy", "Details"',
    section=RICH,
)
def bot_shows_card(sim: Simulator, title: str, names: str | None = None) -> None:
    """A card (a structured tile, universal content, or a card of a carousel) with this title
    arrived since the consumer's last message; with buttons, exactly these, in order."""
    cards = _cards(sim)
    found = [c for c in cards if c.title == title]
    if not found:
        titles = ", ".join(f'"{c.title}"' for c in cards)
        raise ExpectationFailed(f'expected a card titled "{title}"; the cards were {titles}')
    if names is None:
        return
    wanted = split_list(names)
    if not any([b.title for b in c.buttons] == wanted for c in found):
        actual = "; ".join(_titles(list(c.buttons)) for c in found)
        raise ExpectationFailed(
            f'expected the card "{title}" to have buttons {names}; it has {actual}'
        )


@step(
    "the bot shows a carousel of {count:int} cards",
    example="Then the bot shows a carousel of 3 cards",
    section=RICH,
)
def bot_shows_carousel(sim: Simulator, count: str) -> None:
    """The latest rich reply is a carousel with this many cards."""
    content = _latest(sim, "a carousel")
    if content.type != "carousel" or len(content.cards) != int(count):
        raise ExpectationFailed(
            f"expected a carousel of {count} cards; the bot showed " + "; ".join(content.lines())
        )


@step(
    "the bot shows an image {url}",
    example='Then the bot shows an image "https://example.com/logo.png"',
    section=RICH,
)
def bot_shows_image(sim: Simulator, url: str) -> None:
    """An image with this URL arrived since the consumer's last message (an image message or
    an image of a card)."""
    replies = _replies(sim)
    for entry in replies:
        content = _content(entry)
        if content is None:
            continue
        if content.image == url or any(url in c.images for c in content.cards):
            return
    raise ExpectationFailed(f'expected an image "{url}"; replies were:\n{_describe(replies)}')


# -- text-only channels ------------------------------------------------------------------------
@step(
    "the consumer receives the text:",
    example='Then the consumer receives the text:\n  """\n  Ready?\n  1. Yes\n  2. No\n  """',
    section=RICH,
    docstring=True,
)
def consumer_receives_text(sim: Simulator, doc: str | None) -> None:
    """The bot's latest message as a text-only channel (SMS) shows it (R2): its text, card
    titles, links as "title: URL" and the choices as a numbered (or lettered) list. The
    consumer answers such a list by typing the number or letter."""
    if doc is None:
        raise StepError('"the consumer receives the text:" needs a docstring below it')
    replies = _replies(sim)
    if not replies:
        raise ExpectationFailed("expected a bot message; none arrived since the consumer's last")
    last = replies[-1]
    version = last.details.get("text_version")
    actual = version if isinstance(version, str) else text_version(last.text, _content(last))
    expected = "\n".join(line.strip() for line in doc.strip().splitlines())
    got = "\n".join(line.strip() for line in actual.strip().splitlines())
    if got != expected:
        raise ExpectationFailed(
            "the text differs.\nexpected:\n"
            + "\n".join(f"  {x}" for x in expected.splitlines())
            + "\nactual:\n"
            + "\n".join(f"  {x}" for x in got.splitlines())
        )


@step(
    "the consumer's message shows {shown} and sends {value}",
    example='Then the consumer\'s message shows "Continue shopping" and sends "continue"',
    section=RICH,
)
def consumer_message_shows(sim: Simulator, shown: str, value: str) -> None:
    """The consumer's last message showed this text in the conversation while the bot received
    this value (a tapped button, or a choice number typed on SMS, R1/R2)."""
    consumers = sim.conversation().transcript.of_kind(EntryKind.CONSUMER)
    if not consumers:
        raise ExpectationFailed("expected a consumer message; there is none")
    last = consumers[-1]
    sent = str(last.details.get("sent", last.text))
    if (last.text, sent) != (shown, value):
        raise ExpectationFailed(
            f'expected the consumer\'s message to show "{shown}" and send "{value}"; it showed'
            f' "{last.text}" and sent "{sent}"'
        )


@step(
    "the button payload is {value}",
    example='Then the button payload is "order-42"',
    section=RICH,
)
def button_payload(sim: Simulator, value: str) -> None:
    """The value of the choice the consumer tapped (or typed the number of) for the current
    bot's last message, "" for a typed message: what the bot session exposes as
    ``button_payload`` for ``botContext.getButtonPayload()`` (R1)."""
    conv = sim.conversation()
    bot = conv.bot
    session = conv.sessions.get(bot) if bot is not None else None
    actual = session.button_payload if session is not None else None
    if (actual or "") != value:
        raise ExpectationFailed(f'expected the button payload "{value}"; it is "{actual or ""}"')
