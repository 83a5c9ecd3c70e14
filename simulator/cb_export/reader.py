"""Typed access to an export's JSON, and the export's messages and rules as records.

Every importer module reads the document through ``Reader`` so that a wrong type or a missing
key fails with the same kind of message naming the field; ``Message``, ``Rule`` and ``Group``
are the export's ``conversationMessage[]``, ``responseMatches[]`` and ``groups[]`` entries, read
once and shared by the dialog, question, flow and integration mappings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.errors import FixtureError


class Reader:
    """Typed access to the JSON document with errors that name the field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.notes: list[str] = []

    def error(self, message: str, where: str | None = None) -> FixtureError:
        return FixtureError(message, file=self.file, field=where)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"expected an object, found {kind_of(value)}", where)
        return value

    def opt_obj(self, value: Any, where: str) -> dict[str, Any]:
        return {} if value is None else self.obj(value, where)

    def lst(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"expected a list, found {kind_of(value)}", where)
        return value

    def text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise self.error("required key is missing", where)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.error(f"expected text, found {kind_of(value)}", where)
        return str(value)

    def texts(self, value: Any, where: str) -> list[str]:
        return [
            t
            for i, v in enumerate(self.lst(value, where))
            if (t := self.text(v, f"{where}[{i}]")) is not None
        ]


def whole_minutes(r: Reader, value: Any, where: str) -> int | None:
    """A whole number of minutes: an integer, an integral float (30.0) or digits in text."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    expected = "expected a whole number of minutes"
    if isinstance(value, float):
        raise r.error(f"{expected}, found {value}", where)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise r.error(f"{expected}, found {kind_of(value)}", where)
    if isinstance(value, int):
        return value
    try:
        return int(value.strip() or "0")
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        raise r.error(f'{expected}, found "{value}"', where) from None
    if number.is_integer():
        return int(number)
    raise r.error(f'{expected}, found "{value}"', where)


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


@dataclass
class Rule:
    where: str
    data: dict[str, Any]
    conditions: list[dict[str, Any]]
    name: str | None


@dataclass
class Message:
    index: int
    data: dict[str, Any]
    id: str
    name: str
    type: str
    group: str
    where: str
    next_id: str | None
    rules: list[Rule]


@dataclass
class Group:
    id: str
    name: str
    data: dict[str, Any]
    where: str
    messages: list[Message] = field(default_factory=list)
    ordered: list[Message] = field(default_factory=list)
    kept: list[Message] = field(default_factory=list)  # the messages that are interactions
    names: dict[str, str] = field(default_factory=dict)  # message id -> interaction name
    starter: dict[str, Any] = field(default_factory=dict)


def parse_rules(r: Reader, m: dict[str, Any], where: str) -> list[Rule]:
    """The ``responseMatches[]`` of a message, each an object with a list of conditions."""
    rules: list[Rule] = []
    for i, raw in enumerate(r.lst(m.get("responseMatches"), f"{where}.responseMatches")):
        at = f"{where}.responseMatches[{i}]"
        data = r.obj(raw, at)
        conditions = [
            r.obj(c, f"{at}.conditions[{j}]")
            for j, c in enumerate(r.lst(data.get("conditions"), f"{at}.conditions"))
        ]
        name = r.text(data.get("name"), f"{at}.name")
        rules.append(Rule(at, data, conditions, name))
    return rules
