"""Field types shared by every model of the tenant file.

The base ``Model`` (unknown keys are refused), identifiers that keep the text the user wrote
(``Id``, ``SourceInt``, ``SourceFloat``) and the upper bounds of numeric fields live here so
each family of models can use them without importing another family.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)


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


def to_str(value: Any) -> Any:
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


Id = Annotated[str, BeforeValidator(to_str)]

#: Upper bounds of numeric fields. Every duration must fit the virtual calendar (which ends in
#: year 9999) many times over, and no count may be large enough to loop for hours: a value
#: past a bound is a load error naming the field and the limit, never an OverflowError later.
MAX_DELAY_MS = 24 * 60 * 60 * 1000  # one day: an interaction delay, a platform delivery time
MAX_TIMEOUT_MS = 365 * 24 * 60 * 60 * 1000  # one year: connector timers and intervals
MAX_SECONDS = 365 * 24 * 60 * 60  # one year: TTLs and accept timeouts, in seconds
MAX_MINUTES = 365 * 24 * 60  # one year, in minutes
MAX_COUNT = 1000  # retries, loop limits


def ms_field(default: int, *, ge: int = 0, le: int = MAX_TIMEOUT_MS, **extra: Any) -> Any:
    return Field(default=default, ge=ge, le=le, **extra)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)
