"""Who the consumer is: identity, SDEs, engagement attributes, location, preset bot variables.

Bot code asks the platform about the consumer (``getLPCustomerInfo``, ``getLPUserPersonalInfo``,
``getLPEngagementAttribute``, ``getUserLocation``, ``getWebViewVariable``, ``getUserChannel``,
``getSentiment``). On the real platform those answers come from the engagement and the
consumer's authentication; here they come from a preset in two layers: the tenant file's
``consumer:`` block, then what the scenario's steps say (``Given the engagement attribute
"campaignId" is "42"``). Steps win. The preset is read live, whenever bot code runs, so a step
given after the conversation opened counts from the next message on; bot variables in the
preset are set when a bot joins a conversation (and at once in bots already serving it).

What the simulator decides where the platform's answer depends on a real engagement is
documented next to each value below and in the README ("How the platform rules are modelled").
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simulator.errors import StepError, did_you_mean
from simulator.tenant.schema import (
    ENGAGEMENT_ATTRIBUTES,
    ConsumerPreset,
    CustomerInfo,
    PersonalInfo,
)

if TYPE_CHECKING:
    from simulator.bots.runtime import BotSession
    from simulator.cloud.conversation import Conversation

#: What getUserChannel() returns when the preset does not say (the simulator's chat and
#: messaging conversations are both web conversations).
DEFAULT_USER_CHANNEL = "lp_web"

#: Identity keys of a profile table; they replace the seeded fake consumer's.
IDENTITY = ("name", "email", "id")

_CUSTOMER_FIELDS = tuple(CustomerInfo.model_fields)
_PERSONAL_FIELDS = tuple(PersonalInfo.model_fields)

# A small, fixed word list: getSentiment is a legacy-NLU function and the simulator's answer
# must be predictable from the message alone (a scenario can preset it instead).
_POSITIVE = frozenset(
    [
        "good",
        "great",
        "thanks",
        "thank",
        "love",
        "excellent",
        "awesome",
        "happy",
        "perfect",
        "nice",
        "wonderful",
        "amazing",
        "glad",
        "helpful",
        "fantastic",
        "brilliant",
        "pleased",
        "cool",
    ]
)
_NEGATIVE = frozenset(
    [
        "bad",
        "terrible",
        "awful",
        "hate",
        "angry",
        "worst",
        "horrible",
        "poor",
        "broken",
        "wrong",
        "disappointed",
        "useless",
        "annoyed",
        "upset",
        "sad",
        "problem",
        "slow",
        "never",
        "not",
        "no",
    ]
)


def sentiment_of(text: str) -> str:
    """Positive, Neutral or Negative: positive words minus negative words of the message."""
    words = re.findall(r"[a-z']+", text.lower())
    score = sum(w in _POSITIVE for w in words) - sum(w in _NEGATIVE for w in words)
    if score > 0:
        return "Positive"
    if score < 0:
        return "Negative"
    return "Neutral"


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class ConsumerModel:
    """The consumer preset of one scenario: the tenant's layer under the steps' layer."""

    def __init__(self) -> None:
        self.tenant: ConsumerPreset | None = None
        self._steps: dict[str, Any] = {}
        self._effective: ConsumerPreset | None = None
        #: ``system_value`` bound once, shared by every session (a bound method per session
        #: is 64 bytes of each open conversation).
        self._system_lookup = self.system_value

    # -- the preset ------------------------------------------------------------------------
    def use_tenant(self, preset: ConsumerPreset | None) -> None:
        self.tenant = preset
        self._effective = None

    @property
    def preset(self) -> ConsumerPreset:
        """The tenant's preset with every step's change on top."""
        if self._effective is None:
            base = self.tenant.model_dump(exclude_none=True) if self.tenant else {}
            self._effective = ConsumerPreset.model_validate(_merge(base, self._steps))
        return self._effective

    def update(self, change: Mapping[str, Any], what: str) -> None:
        """Apply a step's change; a value the preset cannot hold is a StepError naming it."""
        candidate = _merge(self._steps, change)
        base = self.tenant.model_dump(exclude_none=True) if self.tenant else {}
        try:
            effective = ConsumerPreset.model_validate(_merge(base, candidate))
        except ValidationError as exc:
            problems = "; ".join(
                ".".join(str(p) for p in err["loc"])
                + ": "
                + err["msg"].removeprefix("Value error, ")
                if err["loc"]
                else err["msg"].removeprefix("Value error, ")
                for err in exc.errors()
            )
            raise StepError(f"{what}: {problems}") from None
        self._steps = candidate
        self._effective = effective

    def set_profile(self, rows: Mapping[str, str]) -> None:
        """Fields of a profile table: identity, Customer Info or Personal Info, by name."""
        change: dict[str, Any] = {}
        for key, value in rows.items():
            if key in IDENTITY:
                change[key] = value
            elif key in _CUSTOMER_FIELDS:
                change.setdefault("customer_info", {})[key] = _parse(value)
            elif key in _PERSONAL_FIELDS:
                change.setdefault("personal_info", {})[key] = _parse(value)
            else:
                valid = (*IDENTITY, *_CUSTOMER_FIELDS, *_PERSONAL_FIELDS)
                raise StepError(
                    f'unknown consumer profile field "{key}": {did_you_mean(key, valid)}'
                    " (identity: name, email, id; Customer Info and Personal Info fields by"
                    " their documented names)"
                )
        self.update(change, "the consumer's profile")

    def set_engagement(self, name: str, value: str) -> None:
        if name not in ENGAGEMENT_ATTRIBUTES:
            raise StepError(
                f'unknown engagement attribute "{name}": '
                f"{did_you_mean(name, ENGAGEMENT_ATTRIBUTES)}"
            )
        self.update({"engagement": {name: value}}, f'engagement attribute "{name}"')

    # -- what a conversation sees ----------------------------------------------------------
    def identity(self, drawn: dict[str, Any]) -> dict[str, Any]:
        """A new consumer's identity: the seeded fake one with the preset's fields on top."""
        preset = self.preset
        out = dict(drawn)
        for key in IDENTITY:
            value = getattr(preset, key)
            if value is not None:
                out[key] = value
        return out

    def preset_variables(self, conv: Conversation, session: BotSession) -> None:
        """Give a bot that joins a conversation the preset's bot variables, and let its texts
        read ``{$location.city}`` and the like from the (live) preset."""
        session.system_lookup = self._system_lookup
        for name, value in self.preset.variables.items():
            session.set_variable(name, value, "preset for the consumer")

    def system_value(self, root: str) -> Any:
        """The ``{$location...}`` system variable (city, state, zip, lat, lng, latlng)."""
        if root != "location" or self.preset.location is None:
            return None
        where = self.preset.location
        values = where.model_dump(mode="json", exclude_none=True)
        values["latlng"] = f"{where.lat},{where.lng}"
        return values

    def js_state(self, conv: Conversation, session: BotSession) -> dict[str, Any]:
        """What bot code reads about the consumer, as plain JSON for the JavaScript fake."""
        preset = self.preset
        consumer_id = str(conv.consumer.get("id", ""))
        customer: dict[str, Any] = {"customerId": consumer_id}
        if preset.customer_info is not None:
            customer.update(preset.customer_info.model_dump(mode="json", exclude_none=True))
        personal = None
        info = preset.personal_info
        if info is not None and (info.firstname or info.lastname or info.company):
            personal = info.model_dump(mode="json", exclude_none=True)
        location = preset.location.model_dump(mode="json") if preset.location else None
        sentiment = preset.sentiment or sentiment_of(session.last_user_message)
        return {
            "customerInfo": customer,
            "personalInfo": personal,
            "engagement": dict(preset.engagement),
            "location": location,
            "webView": dict(preset.web_view),
            "userChannel": preset.user_channel or DEFAULT_USER_CHANNEL,
            "sentiment": sentiment,
            "userName": conv.consumer.get("name"),
            "email": conv.consumer.get("email"),
        }


def _parse(value: str) -> Any:
    """A table cell: JSON when it is an object or array (dates, contacts), else the text."""
    text = value.strip()
    if text[:1] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return value
    return value
