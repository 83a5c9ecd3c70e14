"""The one exception every user-written matcher raises, and how a message is normalised (B6).

It sits below the parser, the linear matcher and the regex guard so each of them can raise it
without importing another; ``simulator.patterns`` re-exports both names.
"""

from __future__ import annotations

__all__ = ["PatternSyntaxError", "normalise_message"]


class PatternSyntaxError(ValueError):
    """A dialog-starter pattern or regular-expression rule that cannot be compiled.

    ``position`` is a 0-based index into ``pattern`` so tools can point at the culprit;
    the message uses 1-based columns because that is what a person counts.
    """

    def __init__(
        self,
        pattern: str,
        position: int,
        reason: str,
        *,
        kind: str = "pattern",
        anchor: str = "at",
    ) -> None:
        super().__init__(pattern, position, reason)
        self.pattern = pattern
        self.position = position
        self.reason = reason
        self.kind = kind
        self.anchor = anchor

    def __str__(self) -> str:
        return (
            f'malformed {self.kind} "{self.pattern}": '
            f"{self.reason} {self.anchor} column {self.position + 1}"
        )


def normalise_message(text: str) -> str:
    """Collapse white space the way the matcher sees a message.

    Done once per message (not once per pattern) because it dominates the cost of
    matching short messages.
    """
    return " ".join(text.split())
