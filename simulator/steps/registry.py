"""Step templates, their compiled matcher, and "did you mean" for undefined steps."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator.errors import StepError

#: Placeholder kinds: what each matches in a step's text.
_KINDS: dict[str, str] = {
    "str": r'"(?P<{name}>(?:[^"\\]|\\.)*)"',
    "int": r'"?(?P<{name}>\d+)"?',
    "float": r'"?(?P<{name}>\d+(?:\.\d+)?)"?',
    "duration": r'"?(?P<{name}>\d+(?:\.\d+)?\s*[A-Za-z]+)"?',
    "clock": r'"?(?P<{name}>\d+:\d\d:\d\d(?:\.\d{{1,3}})?)"?',
    "list": r'(?P<{name}>"[^"]*"(?:\s*(?:,|and)\s*"[^"]*")*)',
    "word": r"(?P<{name}>[A-Za-z_]+)",
}

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")

StepFunc = Callable[..., None]


@dataclass(frozen=True)
class StepDef:
    template: str
    func: StepFunc
    example: str
    section: str
    doc: str
    regex: re.Pattern[str]
    table: bool
    docstring: bool


@dataclass(frozen=True)
class Match:
    step: StepDef
    args: dict[str, str]
    text: str


def split_list(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


def _compile(template: str) -> re.Pattern[str]:
    out = ""
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        out += re.escape(template[pos : m.start()])
        kind = m.group(2) or "str"
        out += _KINDS[kind].format(name=m.group(1))
        pos = m.end()
    out += re.escape(template[pos:])
    out = out.replace(r"\ ", r"\s+")
    return re.compile(out, re.IGNORECASE)


class StepRegistry:
    def __init__(self) -> None:
        self.steps: list[StepDef] = []

    def step(
        self,
        *templates: str,
        example: str,
        section: str,
        table: bool = False,
        docstring: bool = False,
    ) -> Callable[[StepFunc], StepFunc]:
        def register(func: StepFunc) -> StepFunc:
            doc = (func.__doc__ or "").strip()
            for template in templates:
                self.steps.append(
                    StepDef(
                        template, func, example, section, doc, _compile(template), table, docstring
                    )
                )
            self.match.cache_clear()
            return func

        return register

    @lru_cache(maxsize=8192)  # noqa: B019 - one registry per process, texts repeat a lot
    def match(self, text: str) -> Match | None:
        for step in self.steps:
            m = step.regex.fullmatch(text.strip())
            if m:
                args = {k: _unescape(v) for k, v in m.groupdict().items() if v is not None}
                return Match(step, args, text.strip())
        return None

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """The nearest known steps, as examples the user can copy."""
        examples = {s.example: s for s in self.steps}
        # Compare against templates with placeholders written out, and against examples.
        scored: list[tuple[float, str]] = []
        lowered = text.lower()
        for example in examples:
            ratio = difflib.SequenceMatcher(None, lowered, example.lower()).ratio()
            template = examples[example].template
            skeleton = _PLACEHOLDER.sub("", template).lower()
            ratio = max(
                ratio, difflib.SequenceMatcher(None, _strip_quoted(lowered), skeleton).ratio()
            )
            scored.append((ratio, example))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [e for r, e in scored[:limit] if r > 0.4]

    def catalogue(self) -> list[StepDef]:
        """One entry per step function, in a fixed order (module, then position in it), so
        the catalogue does not depend on which module happened to be imported first."""
        seen: set[int] = set()
        result = []
        ordered = sorted(
            self.steps, key=lambda s: (s.func.__module__, s.func.__code__.co_firstlineno)
        )
        for s in ordered:
            if id(s.func) in seen:
                continue
            seen.add(id(s.func))
            result.append(s)
        return result

    def templates_of(self, func: StepFunc) -> list[str]:
        return [s.template for s in self.steps if s.func is func]


def _unescape(value: str) -> str:
    """Inside a quoted parameter, \\" stands for a double quote and \\\\ for a backslash."""
    return value.replace('\\"', '"').replace("\\\\", "\\")


def _strip_quoted(text: str) -> str:
    return re.sub(r'"[^"]*"', "", text)


def call(match: Match, context: Any, table: list[list[str]] | None, doc: str | None) -> None:
    step = match.step
    scratch = getattr(context, "scratch", None)
    if isinstance(scratch, dict):
        scratch["_step_text"] = match.text
    kwargs: dict[str, Any] = dict(match.args)
    if step.table:
        kwargs["table"] = table
    if step.docstring:
        kwargs["doc"] = doc
    try:
        step.func(context, **kwargs)
    except RecursionError:
        # Deeply nested input (a docstring, a table cell, an inline tenant) that some parser
        # walks recursively: one clear error naming the step, not a thousand-frame traceback.
        raise StepError(
            f'the step "{match.text}" got input nested too deeply to process; flatten its'
            " docstring or table"
        ) from None


REGISTRY = StepRegistry()
