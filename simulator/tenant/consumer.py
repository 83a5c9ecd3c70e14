"""Who the consumer is before any conversation: identity, engagement attributes and SDEs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from simulator.errors import did_you_mean
from simulator.tenant.fields import Id, Model, to_str

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
                k: (to_str(v) if k != "balance" and k != "companySize" else v)
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
            return {**data, "zip": to_str(data["zip"])}
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
