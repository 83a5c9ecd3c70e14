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
    "list": r'(?P<{name}>"[^"]*"(?:\s*(?:,|and|or)\s*"[^"]*")*)',
    "word": r"(?P<{name}>[A-Za-z_]+)",
    # The rest of the line, for steps that wrap another step ("for each utterance, ...").
    "step": r"(?P<{name}>.+)",
}

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")

StepFunc = Callable[..., None]

#: Characters of a step text (and of each candidate) that "did you mean" compares.
COMPARE_LIMIT = 200


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
    #: Parameters are passed as written, without ``$name`` substitution (steps that take
    #: another step's text, which is substituted when that step runs).
    raw: bool = False
    #: Whether running the step may read the host's clock (``datetime.now()``): a project's own
    #: step, a library step that reads it, or one that runs another step. The pytest plugin
    #: keeps freezegun on the virtual clock only around such steps (``SharedFreeze``).
    reads_host_clock: bool = True


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
        raw: bool = False,
        reads_host_clock: bool = False,
    ) -> Callable[[StepFunc], StepFunc]:
        """Register a step function under each of ``templates``.

        ``reads_host_clock`` marks a library step that reads ``datetime.now()``; a project's
        step (a function outside the library) and a step that runs another step always count
        as reading it, since what they run is not the library's to know."""

        def register(func: StepFunc) -> StepFunc:
            doc = (func.__doc__ or "").strip()
            library = _is_library_module(func.__module__)
            for template in templates:
                runs_steps = "step" in placeholder_kinds(template)
                self.steps.append(
                    StepDef(
                        template,
                        func,
                        example,
                        section,
                        doc,
                        _compile(template),
                        table,
                        docstring,
                        raw,
                        reads_host_clock or not library or runs_steps,
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
        # difflib costs about len(a) * len(b) per comparison; step texts are compared
        # truncated, so a 100 KB undefined step line costs what a normal one does (steps
        # differ in their first words, and quoted arguments are stripped before truncating).
        scored: list[tuple[float, str]] = []
        lowered = text.lower()
        head = lowered[:COMPARE_LIMIT]
        bare = _strip_quoted(lowered)[:COMPARE_LIMIT]
        for example in examples:
            ratio = difflib.SequenceMatcher(None, head, example.lower()[:COMPARE_LIMIT]).ratio()
            template = examples[example].template
            skeleton = _PLACEHOLDER.sub("", template).lower()[:COMPARE_LIMIT]
            ratio = max(ratio, difflib.SequenceMatcher(None, bare, skeleton).ratio())
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


#: Where a scenario's remembered values live in ``Simulator.scratch`` (scripting memory).
MEMORY_KEY = "_memory"

#: ``$name`` in a quoted parameter is a remembered value; ``$$`` is a literal dollar sign.
#: ``{$botContext.x}`` (Conversation Builder's own syntax) is left alone.
_VARIABLE = re.compile(r"\$\$|(?<!\{)\$([A-Za-z_]\w*)")


def substitute(text: str, memory: dict[str, str]) -> str:
    """Replace ``$name`` with the value remembered under ``name``; an unknown name is a
    ``StepError`` listing the names that are known (so a typo is found at once)."""
    if "$" not in text:
        return text

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name is None:
            return "$"
        if name not in memory:
            from simulator.errors import StepError, did_you_mean

            known = ", ".join(f"${k}" for k in sorted(memory)) or "none yet"
            hint = (
                did_you_mean(name, memory)
                if memory
                else ('remember one first, e.g. When I remember the bot\'s last reply as "name"')
            )
            raise StepError(
                f'unknown variable "${name}" in "{text}": {hint} (remembered: {known};'
                " write $$ for a literal dollar sign)"
            )
        return memory[name]

    return _VARIABLE.sub(value, text)


def call(match: Match, context: Any, table: list[list[str]] | None, doc: str | None) -> None:
    step = match.step
    scratch = getattr(context, "scratch", None)
    kwargs: dict[str, Any] = dict(match.args)
    if isinstance(scratch, dict):
        scratch["_step_text"] = match.text
        memory = scratch.get(MEMORY_KEY, {})
        for key, arg in kwargs.items():
            if "$" in arg and not step.raw:
                kwargs[key] = substitute(arg, memory)
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


#: Values that stand in for each placeholder kind when a phrasing is written out as text
#: (default examples of project steps, editor patterns' self-checks).
_SAMPLES: dict[str, str] = {
    "int": "2",
    "float": "0.5",
    "duration": "3 minutes",
    "clock": "00:03:00",
    "list": '"A", "B"',
    "word": "name",
    "step": 'the bot replies "Hello"',
}


def sample_text(template: str) -> str:
    """The template written out with a plausible value for each placeholder."""

    def fill(m: re.Match[str]) -> str:
        kind = m.group(2) or "str"
        return _SAMPLES.get(kind, f'"{m.group(1)}"')

    return _PLACEHOLDER.sub(fill, template)


#: The section a project's own steps are listed under unless they name one.
PROJECT_SECTION = "Project steps"

_LIBRARY_PACKAGE = "simulator.steps"


def is_library_step(step: StepDef) -> bool:
    """Whether the step ships with the simulator (as opposed to a project's own)."""
    return _is_library_module(step.func.__module__)


def _is_library_module(module: str) -> bool:
    return module == _LIBRARY_PACKAGE or module.startswith(_LIBRARY_PACKAGE + ".")


def placeholder_kinds(template: str) -> list[str]:
    """The kind of each placeholder in a template (``str`` when none is written)."""
    return [m.group(2) or "str" for m in _PLACEHOLDER.finditer(template)]


def known_kinds() -> list[str]:
    """Every placeholder kind a template may use."""
    return list(_KINDS)
