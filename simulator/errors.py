"""Exceptions of the simulator.

Two families, kept apart on purpose: ``UserError`` is a mistake in something the user wrote
(a tenant file, a feature step, a pattern) and always carries one readable message that says
where, what was expected and the nearest valid names; ``PlatformError`` mirrors a failure the
real Conversational Cloud would produce, so a scenario can expect it by name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Characters of a name (and of each candidate) that "did you mean" compares.
COMPARE_LIMIT = 200


def nearest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Return the candidates closest to ``name`` so an error can say "did you mean".

    Case is ignored for the comparison because users mistype case more than anything else.
    Both sides are cut to ``COMPARE_LIMIT`` characters first: difflib costs about the product
    of the lengths, and a name that long is never a typo of a short one anyway.
    """
    pool = sorted(set(candidates))
    lowered: dict[str, str] = {}
    for c in pool:
        lowered[c.lower()[:COMPARE_LIMIT]] = c
    key = name.lower()[:COMPARE_LIMIT]
    found = difflib.get_close_matches(key, list(lowered), n=limit, cutoff=0.5)
    return [lowered[f] for f in found]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Phrase the nearest candidates as a sentence fragment, or list what exists instead."""
    pool = sorted(set(candidates))
    close = nearest(name, pool)
    if close:
        return "did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    if not pool:
        return "none are defined"
    shown = ", ".join(f'"{c}"' for c in pool[:8])
    more = f" and {len(pool) - 8} more" if len(pool) > 8 else ""
    return f"known: {shown}{more}"


class SimulatorError(Exception):
    """Base of every error the simulator raises on purpose."""


class UserError(SimulatorError):
    """Something the user wrote is wrong; the message alone must be enough to fix it."""


class FixtureError(UserError):
    """A tenant file, bot export or inline definition does not load."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        where = file or "<inline>"
        if line is not None:
            where += f":{line}"
        prefix = f"{where}: " if file or line is not None else ""
        at = f"{field}: " if field else ""
        super().__init__(f"{prefix}{at}{message}")


class PatternError(FixtureError):
    """A dialog starter pattern or regular expression rule is malformed."""


class UnknownNameError(UserError):
    """A step or definition refers to a bot, skill, agent, dialog... that does not exist."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(set(known))
        super().__init__(f'unknown {kind} "{name}": {did_you_mean(name, self.known)}')


class OutputPathError(UserError):
    """A path given for something the simulator writes (a report, transcripts) cannot be used."""


class StepError(UserError):
    """A feature step cannot be understood or its argument is malformed."""


class CorpusUnavailable(SimulatorError):
    """The shared export corpus (``../shared/cb-exports``) is absent: the scenario is skipped,
    not failed (the plugin turns this into a skip with the message as its reason)."""


class ChoiceNotOfferedError(UserError):
    """The consumer tapped a choice (or typed a choice number) the bot did not offer (R1)."""


class ExpectationFailed(AssertionError):
    """A Then step did not hold; the message says what was expected and what happened."""


class PlatformError(SimulatorError):
    """A failure the real platform would produce."""


class ConversationClosedError(PlatformError):
    """A message was sent into a conversation that is already closed."""


class TransferLoopError(PlatformError):
    """Escalations bounce between skills without ever reaching a consumer-facing answer."""


class RunawayError(PlatformError):
    """A scenario scheduled more events than the cap allows: something loops forever."""
