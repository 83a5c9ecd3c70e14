"""Steps that say who the consumer is, and what bot code logged about them.

They change the scenario's consumer preset (``simulator.consumer``), the same thing a tenant's
``consumer:`` block sets: identity and the SDEs bot code reads (getLPCustomerInfo,
getLPUserPersonalInfo), engagement attributes, location, Web View variables, the user channel,
sentiment, and bot variables every bot starts with. A step given after a conversation opened
counts from the next thing the bot does; a preset bot variable is also set at once in the bots
already serving the conversation.
"""

from __future__ import annotations

from simulator.errors import ExpectationFailed, StepError, did_you_mean
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY
from simulator.tenant.schema import USER_CHANNELS
from simulator.transcript import Entry, EntryKind

step = REGISTRY.step

CONSUMER = "Given the consumer"
BOT = "Inside the bot"


def _rows(table: list[list[str]] | None, what: str) -> dict[str, str]:
    """A two-column table (field | value); a header row "field | value" is skipped."""
    if not table:
        raise StepError(f"{what} needs a table below it: | field | value |")
    rows: dict[str, str] = {}
    for index, row in enumerate(table):
        if len(row) != 2:
            raise StepError(
                f"{what}: row {index + 1} has {len(row)} cells; each row is | field | value |"
            )
        key, value = row[0].strip(), row[1].strip()
        if index == 0 and key.lower() == "field" and value.lower() == "value":
            continue
        if key in rows:
            raise StepError(f'{what}: field "{key}" appears twice')
        rows[key] = value
    return rows


@step(
    "the consumer's profile:",
    example="Given the consumer's profile:\n  | customerId | 138766AC |\n  | ctype | vip |",
    section=CONSUMER,
    table=True,
)
def consumer_profile(sim: Simulator, table: list[list[str]] | None) -> None:
    """Who the consumer is: name, email, id (replace the seeded fake consumer's), and Customer
    Info (getLPCustomerInfo: customerId, ctype, imei, balance, ...) or Personal Info
    (getLPUserPersonalInfo: firstname, lastname, company, ...) fields by their documented names.
    A date or a list is written as JSON ({"day": 1, "month": 2, "year": 2020})."""
    sim.consumer.set_profile(_rows(table, "the consumer's profile"))


@step(
    "the engagement attribute {name} is {value}",
    example='Given the engagement attribute "campaignId" is "42"',
    section=CONSUMER,
)
def engagement_attribute(sim: Simulator, name: str, value: str) -> None:
    """What getLPEngagementAttribute(name) returns (campaignId, engagementId, sharkVisitorId,
    BearerToken, ...). currentSkillId and previousSkillId come from routing unless set here."""
    sim.consumer.set_engagement(name, value)


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise StepError(f'{what} is a number such as "40.7128" (got "{text}")') from None


@step(
    "the consumer is at latitude {lat} longitude {lng}",
    "the consumer is at latitude {lat} longitude {lng} in {city}",
    example='Given the consumer is at latitude "40.7128" longitude "-74.0060" in "New York"',
    section=CONSUMER,
)
def consumer_location(sim: Simulator, lat: str, lng: str, city: str | None = None) -> None:
    """The location getUserLocation() returns (getLatitude, getLongitude, getCityName). Without
    this step (or a tenant location) getUserLocation() returns null, as when the consumer shares
    no location."""
    where: dict[str, object] = {
        "lat": _number(lat, "a latitude"),
        "lng": _number(lng, "a longitude"),
    }
    if city is not None:
        where["city"] = city
    sim.consumer.update({"location": where}, "the consumer's location")


@step(
    "the consumer's location:",
    example="Given the consumer's location:\n  | lat | 40.7128 |\n  | lng | -74.0060 |\n"
    "  | city | New York |\n  | state | NY |\n  | zip | 10001 |",
    section=CONSUMER,
    table=True,
)
def consumer_location_table(sim: Simulator, table: list[list[str]] | None) -> None:
    """The whole location: lat, lng, city, state (two letters), zip, country."""
    rows = _rows(table, "the consumer's location")
    sim.consumer.update({"location": rows}, "the consumer's location")


@step(
    "the bot variable {name} is {value}",
    example='Given the bot variable "tier" is "gold"',
    section=CONSUMER,
)
def bot_variable(sim: Simulator, name: str, value: str) -> None:
    """Every bot starts the conversation with this variable (before __initConversation runs);
    bots already serving the current conversation get it at once."""
    if not name.strip():
        raise StepError("a bot variable needs a name")
    sim.consumer.update({"variables": {name: value}}, f'bot variable "{name}"')
    conv = sim.current
    if conv is not None and conv.is_open:
        for session in conv.sessions.values():
            session.set_variable(name, value, "preset for the consumer")


@step(
    "the web view variable {name} is {value}",
    example='Given the web view variable "PaymentStatus" is "PROCESSED"',
    section=CONSUMER,
)
def web_view_variable(sim: Simulator, name: str, value: str) -> None:
    """What getWebViewVariable(name) returns (as if the Web View API had set it)."""
    sim.consumer.update({"web_view": {name: value}}, f'web view variable "{name}"')


@step(
    "the consumer writes from {channel}",
    example='Given the consumer writes from "lp_sms"',
    section=CONSUMER,
)
def user_channel(sim: Simulator, channel: str) -> None:
    """What getUserChannel() returns: one of the documented values (lp_web when not set)."""
    if channel not in USER_CHANNELS:
        raise StepError(f'unknown user channel "{channel}": {did_you_mean(channel, USER_CHANNELS)}')
    sim.consumer.update({"user_channel": channel}, "the user channel")


@step(
    "the consumer's sentiment is {sentiment}",
    example='Given the consumer\'s sentiment is "Negative"',
    section=CONSUMER,
)
def consumer_sentiment(sim: Simulator, sentiment: str) -> None:
    """What getSentiment() returns (Positive, Neutral or Negative), instead of the simulator's
    fixed word list."""
    sim.consumer.update({"sentiment": sentiment}, "the consumer's sentiment")


def _events(sim: Simulator, bot: str | None) -> list[Entry]:
    return [
        e
        for e in sim.conversation().transcript.of_kind(EntryKind.DIALOG)
        if "custom_event" in e.details and (bot is None or e.details.get("bot") == bot)
    ]


def _show(events: list[Entry]) -> str:
    if not events:
        return "none"
    return "\n  ".join(e.text for e in events)


@step(
    "the bot logged the custom event {name}",
    "the bot logged the custom event {name} with detail {detail}",
    "bot {bot} logged the custom event {name}",
    example='Then the bot logged the custom event "Replacement Card - Start"',
    section=BOT,
)
def logged_custom_event(
    sim: Simulator, name: str, detail: str | None = None, bot: str | None = None
) -> None:
    """Bot code called logCustomEvent with this event name (and detail) in this conversation."""
    events = _events(sim, bot)
    for event in events:
        if event.details["custom_event"] == name and (
            detail is None or event.details.get("event_detail", "") == detail
        ):
            return
    wanted = f'"{name}"' + (f' with detail "{detail}"' if detail is not None else "")
    raise ExpectationFailed(
        f"expected a custom event {wanted}; the custom events logged were:\n  {_show(events)}"
    )


@step(
    "the bot logged no custom event {name}",
    example='Then the bot logged no custom event "Replacement Card - Failure"',
    section=BOT,
)
def no_custom_event(sim: Simulator, name: str) -> None:
    """No bot logged this custom event in this conversation."""
    events = [e for e in _events(sim, None) if e.details["custom_event"] == name]
    if events:
        raise ExpectationFailed(f'expected no custom event "{name}"; found:\n  {_show(events)}')
