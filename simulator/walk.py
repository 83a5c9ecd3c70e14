"""Conformance, measured (issue 13 item 8): walk every path of an exported bot.

The walk plays a bot as a curious consumer would: it starts each dialog by its starter (a
message its pattern matches, an intent phrase, or a pinned intent score when the export carries
no phrases), and at every question it tries each answer the question's rules name (a pattern
example, a regex sample, an exact value, the question's options, an intent, a no-match answer)
and taps every choice the bot offers. API integrations are stubbed with data built from the
integration's own custom data fields (``{$.api_X.stores[i].city}`` yields a ``stores`` array
of objects with a ``city``), so success rules and custom data resolve.

Each path is replayed from a fresh ``Simulator`` (the runtime is deterministic, so a path is its
list of consumer actions), breadth first, and an answer already tried at a question is not
tried again from another path: the walk is bounded by the bot's rules and choices, and by
``max_paths`` and ``max_depth`` besides, which the report names when hit.

An interaction is *reached* when the runtime played it on some path, and *clean* when no path
logged an error entry while it ran (errors are attributed to the interaction the runtime
played last). Pure core: no pytest.
"""

from __future__ import annotations

import json
import os
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.cb_export.import_bot import RESPONSE_FLAGS
from simulator.errors import UserError
from simulator.lint import pattern_samples
from simulator.rich import Content
from simulator.simulator import Simulator
from simulator.tenant.schema import ApiIntegration, Bot
from simulator.transcript import EntryKind
from simulator.walk_stubs import code_of, code_of_interaction, routes_on_ctype, stub_data

#: Default caps: paths replayed per export, consumer actions per path.
MAX_PATHS = 300
MAX_DEPTH = 10
#: What the walk types for a no-match answer: no pattern of the corpus matches it.
NO_MATCH_TEXT = "qwzx walk no match"
#: Where the walking consumer is (getUserLocation, {$location.city}).
WALK_LOCATION = {"lat": 37.54, "lng": -77.43, "city": "Richmond", "state": "VA", "zip": "23221"}
#: Candidate answers tried against a rule's regular expression, in order.
_REGEX_CANDIDATES = (
    "yes",
    "no",
    "1",
    "2",
    "12345",
    "5",
    "hello",
    "walk@example.com",
    "5551234567",
    "2026-01-01",
    "a",
    "A1",
)


#: Errors the walk meets that are the export's own doing (or the platform's behaviour), not a
#: gap of the simulator: a pattern of the error text and why. Every other error is a gap.
EXPLAINED: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r'namespace "[^"]+" is not registered'),
        "the export's code uses a Conversation Context Service namespace it never registers;"
        " the documented Context Service stores data only in a namespace that was created"
        " (botContext.registerContextNamespace or the Context Service API, account-level,"
        " outside what an export carries), so on an account without it the call fails too",
    ),
    (
        re.compile(r'setTriggerNextMessage\("[^"]*"\) names no interaction'),
        "the export's own code names an interaction that the export does not contain (the"
        " export is broken there)",
    ),
    (
        re.compile(r"jump to unknown interaction id"),
        "the export's next step points to an interaction id that is not in the file (a"
        " deleted interaction: the export is broken there)",
    ),
)


def explain(error: str) -> str | None:
    """Why an error is the export's (or the platform's) doing, or None: a simulator gap."""
    for pattern, why in EXPLAINED:
        if pattern.search(error):
            return why
    return None


@dataclass(frozen=True)
class Action:
    """One consumer action of a path: ``say`` a text or ``tap`` a choice by its title."""

    kind: str
    text: str

    def describe(self) -> str:
        return f'{self.kind} "{self.text}"'


@dataclass
class ExportWalk:
    """What the walk of one export found."""

    file: str
    bot: str
    dialogs: int
    interactions: list[str]
    reached: set[str] = field(default_factory=set)
    errors: dict[str, list[str]] = field(default_factory=dict)
    unattributed: list[str] = field(default_factory=list)
    paths: int = 0
    caps: list[str] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    startless: set[str] = field(default_factory=set)
    not_modelled: list[str] = field(default_factory=list)
    leaves: list[tuple[Action, ...]] = field(default_factory=list)

    @property
    def clean(self) -> set[str]:
        return {k for k in self.reached if k not in self.errors}

    @property
    def unexplained(self) -> dict[str, list[str]]:
        """Errors no entry of ``EXPLAINED`` accounts for: simulator gaps until shown otherwise."""
        found = {k: [e for e in v if explain(e) is None] for k, v in self.errors.items()}
        if self.unattributed:
            found["(outside any interaction)"] = [
                e for e in self.unattributed if explain(e) is None
            ]
        return {k: v for k, v in found.items() if v}

    @property
    def unreached(self) -> list[str]:
        return [k for k in self.interactions if k not in self.reached]

    def why_unreached(self, key: str) -> str:
        if key in self.disabled:
            return "the interaction is disabled in the export"
        dialog = key.split(" / ")[0]
        if dialog in self.startless:
            return "its dialog has no starter, and no path the walk tried jumps to it"
        return "no path the walk tried leads to it"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "bot": self.bot,
            "dialogs": self.dialogs,
            "interactions": len(self.interactions),
            "reached": len(self.reached),
            "clean": len(self.clean),
            "paths": self.paths,
            "caps": list(self.caps),
            "disabled": sorted(self.disabled),
            "unreached": {k: self.why_unreached(k) for k in self.unreached},
            "errors": {k: list(v) for k, v in sorted(self.errors.items())},
            "unattributed_errors": list(self.unattributed),
            "unexplained_errors": self.unexplained,
            "not_modelled": list(self.not_modelled),
        }


def _key(dialog: str, interaction: str) -> str:
    return f"{dialog} / {interaction}"


class _Recorder:
    """Wraps the coverage collector's ``interaction`` hook: which interaction runs, and from
    which transcript entry, so errors are attributed to it."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.marks: list[tuple[int, str]] = []
        coverage = sim.coverage
        original = coverage.interaction

        def hook(bot: Any, dialog: Any, inter: Any) -> None:
            conv = sim.current
            at = len(conv.transcript.entries) if conv is not None else 0
            self.marks.append((at, _key(dialog.name, inter.name)))
            original(bot, dialog, inter)

        coverage.interaction = hook


class Walker:
    """The walk of one export (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        *,
        max_paths: int = MAX_PATHS,
        max_depth: int = MAX_DEPTH,
        make_sim: Callable[[Path], Any] | None = None,
    ) -> None:
        self.path = path
        self.max_paths = max_paths
        self.max_depth = max_depth
        self.make_sim = make_sim or _default_sim
        probe = self.make_sim(path)
        self.bot: Bot = next(iter(probe.platform.world.bots.values())).definition
        self.compiled = next(iter(probe.platform.world.bots.values()))
        self.pins: list[tuple[str, str]] = []
        self.code = code_of(self.bot)
        self.tried: set[tuple[str, str, str]] = set()

    def _fresh(self) -> tuple[Any, _Recorder]:
        sim = self.make_sim(self.path)
        for integration in self.bot.integrations:
            if isinstance(integration, ApiIntegration):
                data = json.dumps(stub_data(integration, self.code))
                sim.platform.api_stubs[integration.name] = lambda data=data: json.loads(data)
        for text, intent in self.pins:
            sim.pin_intent(text, intent, 0.95)
        # The walking consumer shares a location (getUserLocation is null otherwise).
        sim.consumer.update({"location": WALK_LOCATION}, "the walk's consumer location")
        return sim, _Recorder(sim)

    def starters(self) -> list[tuple[str, Action]]:
        """One opening message per dialog with a starter, in the bot's order."""
        found: list[tuple[str, Action]] = []
        phrases = {i.name: i.phrases for i in self.bot.intents}
        for dialog in self.bot.dialogs:
            starter = dialog.starter
            if starter is None:
                continue
            for pattern in starter.patterns:
                samples = pattern_samples(pattern)
                if samples:
                    found.append((dialog.name, Action("say", samples[0])))
                    break
            else:
                if starter.intent is not None:
                    known = phrases.get(starter.intent) or []
                    if known:
                        found.append((dialog.name, Action("say", known[0])))
                    else:
                        text = f"walk start {dialog.name}"
                        self.pins.append((text, starter.intent))
                        found.append((dialog.name, Action("say", text)))
        if any(d.type.value == "fallback" for d in self.bot.dialogs):
            found.append(("(fallback)", Action("say", NO_MATCH_TEXT)))
        routers = [
            i
            for d in self.compiled.dialogs
            for i in d.interactions
            if routes_on_ctype(code_of_interaction(i.definition))
        ]
        if routers:
            # The code routes on the customer type (Instagram's entry points: the channel
            # always sets it there): open once per other interaction name, with the Customer
            # Info ctype set to it, instead of untyped openings (ctype undefined).
            found = [
                (dialog.name, Action("ctype", inter.name))
                for dialog in self.compiled.dialogs
                for inter in dialog.interactions
                if inter not in routers
            ]
        return found

    def run(self) -> ExportWalk:
        result = ExportWalk(
            file=self.path.name,
            bot=self.bot.name,
            dialogs=len(self.bot.dialogs),
            interactions=[
                _key(d.name, i.name) for d in self.compiled.dialogs for i in d.interactions
            ],
            disabled={
                _key(d.name, i.name)
                for d in self.compiled.dialogs
                for i in d.interactions
                if i.definition.disabled
            },
        )
        result.startless = {d.name for d in self.bot.dialogs if d.starter is None}
        result.not_modelled = response_flags(self.path)
        queue: deque[tuple[Action, ...]] = deque((a,) for _, a in self.starters())
        while queue:
            if result.paths >= self.max_paths:
                result.caps.append(f"path cap {self.max_paths} hit: {len(queue)} paths not walked")
                break
            path = queue.popleft()
            result.paths += 1
            longer = self._play(path, result)
            if not longer:
                result.leaves.append(path)
            for more in longer:
                if len(more) > self.max_depth:
                    cap = f"depth cap {self.max_depth} hit"
                    if cap not in result.caps:
                        result.caps.append(cap)
                    continue
                queue.append(more)
        return result

    def _play(self, path: tuple[Action, ...], result: ExportWalk) -> list[tuple[Action, ...]]:
        """Replay ``path``; record what ran; return the paths one action longer."""
        sim, recorder = self._fresh()
        opening = path[0]
        if opening.kind == "ctype":
            sim.consumer.update({"customer_info": {"ctype": opening.text}}, "the walk's ctype")
            path = path[1:] or (Action("say", "hi"),)
            opening_path: tuple[Action, ...] = (opening,)
        else:
            opening_path = ()
        conv = sim.open_conversation(bot=self.bot.name)
        start = 0
        for action in path:
            start = len(conv.transcript.entries)
            try:
                if action.kind == "tap":
                    sim.platform.consumer_taps(conv, action.text)
                    sim.settle()
                else:
                    sim.say(action.text)
            except UserError as exc:
                recorder.marks.append((len(conv.transcript.entries), "(walk)"))
                result.unattributed.append(f"{' > '.join(a.describe() for a in path)}: {exc}")
                return []
            if not conv.is_open:
                break
        self._attribute(conv, recorder, result)
        if not conv.is_open:
            return []
        return [opening_path + path + (a,) for a in self._next_actions(sim, conv, start)]

    def feature(self, path: tuple[Action, ...], export: str, number: int) -> str:
        """A feature file that replays ``path`` and expects what the bot replied."""
        sim, _ = self._fresh()
        steps = [f'    Given the bot exported in "{export}"']
        for integration in self.bot.integrations:
            if isinstance(integration, ApiIntegration):
                data = json.dumps(stub_data(integration, self.code), sort_keys=True)
                steps += [
                    f'    And the integration "{integration.name}" returns:',
                    '      """',
                    f"      {data}",
                    '      """',
                ]
        for text, intent in self.pins:
            steps.append(f'    And the NLU scores "{text}" as intent "{intent}" at 0.95')
        steps.append("    And the consumer's location:")
        steps += [f"      | {k} | {v} |" for k, v in WALK_LOCATION.items()]
        actions = path
        if path[0].kind == "ctype":
            sim.consumer.update({"customer_info": {"ctype": path[0].text}}, "the walk's ctype")
            steps += ["    And the consumer's profile:", f"      | ctype | {path[0].text} |"]
            actions = path[1:] or (Action("say", "hi"),)
        conv = sim.open_conversation(bot=self.bot.name)
        steps.append(f'    When the consumer opens a conversation with bot "{self.bot.name}"')
        for action in actions:
            start = len(conv.transcript.entries)
            if action.kind == "tap":
                sim.platform.consumer_taps(conv, action.text)
                sim.settle()
                steps.append(f'    When the consumer taps "{action.text}"')
            else:
                sim.say(action.text)
                steps.append(f'    When the consumer says "{action.text}"')
            for entry in conv.transcript.entries[start:]:
                text = entry.text
                if entry.visible and text and "\n" not in text and '"' not in text:
                    steps.append(f'    Then the bot replies "{text}"')
            if not conv.is_open:
                break
        title = " > ".join(a.describe().replace('"', "") for a in path)
        return (
            f"@generated\nFeature: Crawl of {self.bot.name} ({self.path.name}), path {number}\n"
            "  Generated by simulator crawl from the walk (simulator/walk.py); re-crawl to"
            " update.\n\n"
            f"  Scenario: {title}\n" + "\n".join(steps) + "\n"
        )

    def _attribute(self, conv: Any, recorder: _Recorder, result: ExportWalk) -> None:
        marks = recorder.marks
        for _, key in marks:
            if key != "(walk)":
                result.reached.add(key)
        for index, entry in enumerate(conv.transcript.entries):
            if entry.kind is not EntryKind.ERROR:
                continue
            owner = None
            for at, key in marks:
                if at <= index:
                    owner = key
            text = re.sub(r"\s+", " ", entry.text)
            if owner is None or owner == "(walk)":
                if text not in result.unattributed:
                    result.unattributed.append(text)
                continue
            found = result.errors.setdefault(owner, [])
            if text not in found:
                found.append(text)

    def _next_actions(self, sim: Any, conv: Any, start: int) -> list[Action]:
        actions: list[Action] = []
        session = conv.sessions.get(self.bot.name)
        pending = getattr(session, "pending", None)
        where = "-"
        if pending is not None:
            inter = pending.dialog.interactions[pending.index]
            where = _key(pending.dialog.name, inter.name)
            for text in self._answers(inter, getattr(session, "variables", {})):
                actions.append(Action("say", text))
        offer = None
        for entry in reversed(conv.transcript.entries[start:]):
            if entry.kind is EntryKind.BOT and isinstance(entry.details.get("content"), dict):
                content = Content.from_json(entry.details["content"])
                if content.offered():
                    offer = content
                    break
        if offer is not None:
            for choice in offer.offered():
                if choice.sends is not None:
                    actions.append(Action("tap", choice.title))
        fresh: list[Action] = []
        for action in dict.fromkeys(actions):
            key = (where, action.kind, action.text.lower())
            if key in self.tried:
                continue
            self.tried.add(key)
            fresh.append(action)
        return fresh

    def _answers(self, inter: Any, variables: dict[str, Any]) -> list[str]:
        """Answers the question's rules name, its options, values its rules' conditions
        compare with (a literal, or the bot variable a condition names), and a no-match
        answer."""
        answers: list[str] = []
        for rule in inter.rules:
            for c in rule.rule.conditions:
                if "{" not in c.value:
                    answers.append(c.value)
                if "{" not in c.name and c.name in variables:
                    answers.append(str(variables[c.name]))
        d = inter.definition
        answers += list(d.options) + list(d.choices)
        for rule in inter.rules:
            r = rule.rule
            if r.pattern is not None:
                for pattern in [r.pattern] if isinstance(r.pattern, str) else r.pattern:
                    answers += pattern_samples(pattern)[:1]
            if rule.regex is not None:
                answers += [c for c in _REGEX_CANDIDATES if rule.regex.search(c)][:1]
            if r.exact is not None:
                answers += [r.exact] if isinstance(r.exact, str) else list(r.exact)[:3]
            if r.intent is not None:
                text = f"walk answer {r.intent}"
                if (text, r.intent) not in self.pins:
                    self.pins.append((text, r.intent))
                answers.append(text)
        answers.append(NO_MATCH_TEXT)
        return [a for a in dict.fromkeys(answers) if a.strip()]


def response_flags(path: Path) -> list[str]:
    """R3, nothing dropped silently: the export's messages that carry ``changeResponse`` or
    ``cancelResponse`` (every one in the corpus is ``{"enabled": true}``). We found no LivePerson
    documentation of either, so the simulator does not model them; the walk names
    them, by message, so a reader knows what is not run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    messages = data.get("conversationMessage") if isinstance(data, dict) else None
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        flags = [f"{k} {json.dumps(message[k])}" for k in RESPONSE_FLAGS if k in message]
        if flags:
            found.append(f'message "{message.get("name")}": {", ".join(flags)}')
    return found


def crawl_features(
    path: Path, out: Path, *, max_paths: int = MAX_PATHS, max_features: int = 50
) -> tuple[list[tuple[str, str]], list[str]]:
    """Feature files for the walk's paths of one export, one per path that ends (a leaf),
    with what the bot replied as Then steps: (file name, text) pairs and the caps hit.
    Deterministic: the same export gives the same files, byte for byte."""
    walker = Walker(path, max_paths=max_paths)
    walk = walker.run()
    caps = list(walk.caps)
    leaves = walk.leaves
    if len(leaves) > max_features:
        caps.append(
            f"feature cap {max_features} hit: {len(leaves) - max_features} paths not written"
        )
        leaves = leaves[:max_features]
    stem = re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")
    export = Path(os.path.relpath(path.resolve(), out.resolve())).as_posix()
    files = []
    for n, leaf in enumerate(leaves, 1):
        files.append((f"{stem}_{n:03d}.feature", walker.feature(leaf, export, n)))
    return files, caps


def _default_sim(path: Path) -> Any:
    sim = Simulator(base_dir=path.parent)
    sim.load_text(f"bots:\n  - export: {json.dumps(str(path.resolve()))}\n")
    return sim


def walk_export(
    path: str | Path, *, max_paths: int = MAX_PATHS, max_depth: int = MAX_DEPTH
) -> ExportWalk:
    """Walk one export file (see the module docstring)."""
    return Walker(Path(path), max_paths=max_paths, max_depth=max_depth).run()


def markdown_report(walks: list[ExportWalk]) -> str:
    """The conformance report (docs/conformance.md) for these walks."""
    lines = [
        "# Conformance of the exported bots",
        "",
        "Generated by `simulator walk ../shared/cb-exports/*.json --markdown docs/conformance.md`"
        " (simulator/walk.py); do not edit by hand.",
        "",
        "Each dialog is started by its starter and every question is answered by each of its"
        " rules (pattern example, regex sample, exact value, options, intent, no match) and"
        " every offered choice is tapped; API integrations are stubbed from their custom data"
        " fields. *Reached*: played on some path. *Clean*: no error entry while it ran.",
        "",
        "| export | bot | dialogs | interactions | reached | clean | paths | caps |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for w in walks:
        lines.append(
            f"| {w.file} | {w.bot} | {w.dialogs} | {len(w.interactions)} | {len(w.reached)}"
            f" | {len(w.clean)} | {w.paths} | {'; '.join(w.caps) or '-'} |"
        )
    for w in walks:
        lines += ["", f"## {w.file} ({w.bot})", ""]
        if w.not_modelled:
            lines.append(
                f"Not modelled (R3): {len(w.not_modelled)} messages carry changeResponse or"
                " cancelResponse, for which we found no LivePerson documentation (searched:"
                " LivePersonInc/developer-center); the simulator does not model them: "
                + "; ".join(w.not_modelled)
            )
            lines.append("")
        if not w.errors and not w.unreached and not w.unattributed:
            lines.append("Every interaction reached and clean.")
            continue
        for key, errors in sorted(w.errors.items()):
            lines.append(f"- error in `{key}`:")
            for e in errors:
                why = explain(e)
                lines.append(f"  - `{e}`")
                lines.append(f"    - why: {why or 'not explained: a simulator gap'}")
        for text in w.unattributed:
            lines.append(f"- error outside any interaction: {text}")
        for key in w.unreached:
            lines.append(f"- `{key}` not reached: {w.why_unreached(key)}")
    return "\n".join(lines) + "\n"
