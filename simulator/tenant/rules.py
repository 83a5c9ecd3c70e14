"""Response rules of a question and their variable conditions.

A rule has exactly one main condition; its variable conditions must also hold.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    model_validator,
)

from simulator.tenant.fields import Model

#: Operators of a rule's variable conditions (Conversation Builder's contextConditions).
CONDITION_OPS = (
    "contains",
    "not_contains",
    "equals",
    "not_equals",
    "greater_than",
    "less_than",
)


class VariableCondition(Model):
    """A variable condition of a rule: ``name`` is a bot variable name, or a template such as
    ``{$userMessage}`` or ``{$.api_X.count}``; ``value`` may hold references too."""

    name: str
    op: str = "equals"
    value: str = ""

    @model_validator(mode="after")
    def _known_op(self) -> VariableCondition:
        if self.op not in CONDITION_OPS:
            raise ValueError(
                f'unknown condition operator "{self.op}"; expected one of {", ".join(CONDITION_OPS)}'
            )
        return self


RULE_CONDITIONS = ("pattern", "regex", "exact", "intent", "api_result", "unsupported")


class Rule(Model):
    """A response rule of a question (or an API result rule of an integration interaction).

    Exactly one main condition; ``conditions`` (variable conditions) must also hold, all or
    any of them as ``conditions_match`` says. Rules run top to bottom, intent rules first and
    no-match rules last (as on the platform)."""

    name: str | None = None
    pattern: str | list[str] | None = None
    exclude: list[str] = Field(
        default_factory=list, description="Exclude keywords of a pattern rule."
    )
    regex: str | None = None
    exact: str | list[str] | None = None
    intent: str | None = None
    no_match: bool = False
    api_result: Literal["success", "failure"] | None = Field(
        default=None, description="An integration interaction's rule on the call's result."
    )
    unsupported: str | None = Field(
        default=None,
        description="An imported condition the simulator cannot evaluate: never matches, and"
        " says so in the transcript when evaluated.",
    )
    conditions: list[VariableCondition] = Field(default_factory=list)
    conditions_match: Literal["any", "all"] = "any"
    fallback_message: str | None = Field(
        default=None, description="Sent before the next step when a no-match rule fires."
    )
    set: dict[str, str] = Field(default_factory=dict)
    next: str = "next"

    @model_validator(mode="after")
    def _one_condition(self) -> Rule:
        given = [k for k in RULE_CONDITIONS if getattr(self, k) is not None]
        if self.no_match:
            given.append("no_match")
        if len(given) != 1:
            raise ValueError(
                "a rule needs exactly one condition out of pattern, regex, exact, intent,"
                f" no_match, api_result (found {', '.join(given) if given else 'none'})"
            )
        return self
