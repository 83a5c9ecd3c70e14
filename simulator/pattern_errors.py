"""The one exception every user-written matcher raises, and how a message is normalised (B6).

It sits below the parser, the linear matcher and the regex guard so each of them can raise it
without importing another; ``simulator.patterns`` re-exports both names.
"""

from __future__ import annotations

__all__ = ["WHITESPACE", "PatternSyntaxError", "normalise_message"]


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


#: Every character ``str.split()`` splits on (``str.isspace``), the space aside.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Longer texts are normalised with ``str.replace`` passes instead of ``split``/``join``.
_LONG_TEXT = 4096


def normalise_message(text: str) -> str:
    """Collapse white space the way the matcher sees a message: ``" ".join(text.split())``.

    Done once per message (not once per pattern) because it dominates the cost of
    matching short messages. A long text (a 1 MB message has ~150,000 words) is normalised
    without making a string per word: each other white space character present becomes a
    space, runs of spaces halve per ``replace`` pass, the ends are stripped; all C loops,
    and a text that is already normal (the usual case) costs only the checks.
    """
    if len(text) <= _LONG_TEXT:
        return " ".join(text.split())
    for char in WHITESPACE:
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")
