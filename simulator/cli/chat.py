"""``simulator chat``: talk to a bot in the terminal, then save the session as a scenario.

Every line the user types is what the consumer says; lines starting with ``/`` are commands.
After each input the new transcript entries are printed (bot messages with their virtual time,
dialogs started and why, transfers, routing). Every action is also recorded as a step of the
library so ``/save`` can write a ``.feature`` that replays the session and checks each reply.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from simulator.cli.chat_help import CHAT_HELP as HELP
from simulator.clock import parse_duration
from simulator.cloud.conversation import Conversation
from simulator.errors import SimulatorError, UserError
from simulator.files import check_output_path
from simulator.rich import INDENT, Content
from simulator.simulator import DEFAULT_SEED, Simulator
from simulator.steps.registry import REGISTRY
from simulator.timefreeze import frozen_at
from simulator.transcript import Entry, EntryKind

#: Step kinds, which decide the keyword (Given / When / Then, or And for a repeat).
SETUP, ACTION, CHECK, COMMENT = "setup", "action", "check", "comment"


@dataclass
class Recorded:
    kind: str
    text: str


@dataclass
class Recording:
    """The session as library steps, ready to be written as a scenario."""

    steps: list[Recorded] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        if kind != COMMENT and REGISTRY.match(text) is None:
            # Never write a step the library does not know: the feature must run as saved.
            self.steps.append(Recorded(COMMENT, f"(no library step for this) {text}"))
            return
        self.steps.append(Recorded(kind, text))

    def lines(self) -> list[str]:
        out: list[str] = []
        previous: str | None = None
        seen_action = False
        for step in self.steps:
            if step.kind == COMMENT:
                out.append(f"# {step.text}")
                continue
            if step.kind == ACTION:
                seen_action = True
                keyword = "When"
            elif step.kind == CHECK:
                keyword = "Then"
            else:
                keyword = "When" if seen_action else "Given"
            shown = "And" if keyword == previous else keyword
            previous = keyword
            out.append(f"{shown} {step.text}")
        return out


def _quote(text: str) -> str | None:
    """``"text"`` for a step parameter, or None when a step cannot hold it."""
    if '"' in text or "\n" in text:
        return None
    return f'"{text}"'


def duration_words(delta: timedelta) -> str:
    """A duration as the step library writes it: "3 minutes", "1 day", "2500 ms"."""
    total_ms = round(delta.total_seconds() * 1000)
    for unit_ms, singular, plural in (
        (604_800_000, "week", "weeks"),
        (86_400_000, "day", "days"),
        (3_600_000, "hour", "hours"),
        (60_000, "minute", "minutes"),
        (1000, "second", "seconds"),
    ):
        if total_ms >= unit_ms and total_ms % unit_ms == 0:
            count = total_ms // unit_ms
            return f"{count} {singular if count == 1 else plural}"
    return f"{total_ms} ms"


class ChatSession:
    def __init__(
        self,
        tenant: str,
        *,
        bot: str | None,
        skill: str | None,
        channel: str,
        seed: int,
        out: TextIO,
        err: TextIO,
        echo_consumer: bool = False,
    ) -> None:
        self.tenant_path = Path(tenant).resolve()
        self.bot = bot
        self.skill = skill
        self.channel = channel
        self.seed = seed
        self.out = out
        self.err = err
        self.echo_consumer = echo_consumer
        self.sim = Simulator(seed=seed, base_dir=Path.cwd())
        self.sim.search_dirs = [Path.cwd()]
        self.recording = Recording()
        self.printed: dict[str, int] = {}
        self.pinned_state: tuple[object, ...] | None = None
        self.commands: dict[str, Callable[[str], bool]] = {
            "wait": self.cmd_wait,
            "fail": self.cmd_fail,
            "drop": self.cmd_drop,
            "agent": self.cmd_agent,
            "channel": self.cmd_channel,
            "vars": self.cmd_vars,
            "context": self.cmd_context,
            "transcript": self.cmd_transcript,
            "save": self.cmd_save,
            "save!": self.cmd_save_over,
            "say": self.cmd_say,
            "help": self.cmd_help,
            "quit": self.cmd_quit,
            "exit": self.cmd_quit,
        }

    # -- output ------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        print(f"error: {text}", file=self.err, flush=True)

    def flush_new(self) -> None:
        """Print entries added since the last input in virtual-clock order; pin them as steps.

        Entries of every conversation are merged by timestamp (then conversation, then order
        of appending), so a timer that fired in another conversation shows where it happened.
        The transcript is the only source: the same input gives the same output every run.
        """
        many = len(self.sim.conversations) > 1
        current = self.sim.current
        fresh: list[tuple[datetime, int, int, Conversation, Entry]] = []
        for number, conv in enumerate(self.sim.conversations):
            start = self.printed.get(conv.id, 0)
            entries = conv.transcript.entries
            fresh.extend((e.at, number, start + i, conv, e) for i, e in enumerate(entries[start:]))
            self.printed[conv.id] = len(entries)
        fresh.sort(key=lambda item: (item[0], item[1], item[2]))
        platform_texts: list[str] = []
        for _at, _number, _index, conv, entry in fresh:
            prefix = f"[{conv.id}] " if many else ""
            if entry.kind is not EntryKind.CONSUMER or self.echo_consumer:
                self.say(prefix + entry.render())
                numbered = _numbered_choices(entry, conv.text_only)
                if numbered:
                    self.say(prefix + numbered)
            if conv is current:
                self._pin_entry(conv, entry, platform_texts)
        if current is not None:
            for text in platform_texts:
                sent = sum(
                    1
                    for e in current.transcript.of_kind(EntryKind.PLATFORM)
                    if e.text.startswith(f'sent "{text}" to ')
                )
                quoted = _quote(text)
                if quoted is not None:
                    times = "time" if sent == 1 else "times"
                    self.recording.add(CHECK, f"the bot received {quoted} {sent} {times}")
            self._pin_state(current)

    def _pin_entry(self, conv: Conversation, entry: Entry, platform_texts: list[str]) -> None:
        """Record the Then step that checks one consumer-relevant entry, or say why not."""
        if entry.kind is EntryKind.BOT:
            quoted = _quote(entry.text)
            if quoted is None:
                self.recording.add(
                    COMMENT, f"the bot replied {entry.text!r} (cannot be quoted in a step)"
                )
            else:
                self.recording.add(CHECK, f"the bot replies {quoted}")
            raw = entry.details.get("content")
            if isinstance(raw, dict) and not conv.text_only:
                titles = [c.title for c in Content.from_json(raw).tappable()]
                quoted_titles = [_quote(t) for t in titles]
                if titles and all(q is not None for q in quoted_titles):
                    listed = ", ".join(q for q in quoted_titles if q is not None)
                    self.recording.add(CHECK, f"the bot offers choices {listed}")
        elif entry.kind is EntryKind.AGENT:
            quoted = _quote(entry.text)
            if quoted is not None:
                self.recording.add(CHECK, f"the consumer sees {quoted}")
        elif entry.kind is EntryKind.TRANSFER and entry.text.startswith("transferred to skill"):
            skill = entry.details.get("skill")
            if isinstance(skill, str) and _quote(skill) is not None:
                at = _clock_words(entry.elapsed_ms)
                self.recording.add(
                    CHECK, f'at {at} the conversation is transferred to skill "{skill}"'
                )
        elif entry.kind is EntryKind.PLATFORM and entry.text.startswith('sent "'):
            text = entry.text[len('sent "') :].rsplit('" to ', 1)[0]
            if text not in platform_texts:
                platform_texts.append(text)
        elif entry.kind is EntryKind.FAULT or (
            entry.kind is EntryKind.TRANSFER and " escalates to " not in entry.text
        ):
            # Escalation outcomes and injected faults have no step of their own: their effects
            # (replies, platform messages, holder, queue) are pinned; say what is not.
            self.recording.add(COMMENT, f"not checked: [{entry.kind.value}] {entry.text}")

    def _pin_state(self, conv: Conversation) -> None:
        """Pin who holds the conversation, its queue and whether it is open, when they change."""
        p = conv.participant
        queued = next((s for s, ids in self.sim.platform.queues.items() if conv.id in ids), None)
        state = (conv.id, p.kind if p else None, p.name if p else None, queued, conv.is_open)
        if state == self.pinned_state:
            return
        self.pinned_state = state
        if not conv.is_open:
            self.recording.add(CHECK, "the conversation is closed")
        elif queued is not None:
            self.recording.add(CHECK, f'the conversation waits in the queue of skill "{queued}"')
        elif p is not None and p.kind == "agent" and _quote(p.name) is not None:
            self.recording.add(CHECK, f'the conversation is assigned to agent "{p.name}"')
        elif p is not None and p.kind == "bot" and _quote(p.name) is not None:
            self.recording.add(CHECK, f'the conversation is assigned to bot "{p.name}"')

    # -- session -------------------------------------------------------------------------
    def start(self) -> None:
        """Load the tenant and open the conversation; a UserError here ends the command."""
        self.sim.load(self.tenant_path)
        feature_hint = os.path.relpath(self.tenant_path, Path.cwd())
        self.recording.add(SETUP, f'the tenant "{feature_hint}"')
        self.open()
        who = f'bot "{self.bot}"' if self.bot else f'skill "{self.skill}"'
        self.say(f"Chatting with {who} on {self.channel} (seed {self.seed}). /help for commands.")
        self.flush_new()

    def open(self) -> None:
        self.sim.open_conversation(bot=self.bot, skill=self.skill, channel=self.channel)
        if self.bot is not None:
            step = f'the consumer opens a conversation with bot "{self.bot}" on "{self.channel}"'
        else:
            step = f'the consumer opens a conversation on skill "{self.skill}" on "{self.channel}"'
        self.recording.add(ACTION, step)

    def handle(self, line: str) -> bool:
        """Handle one input line; False ends the session."""
        text = line.strip()
        if not text:
            return True
        try:
            if text.startswith("/"):
                name, _, rest = text[1:].partition(" ")
                command = self.commands.get(name.lower())
                if command is None:
                    self.error(f'unknown command "/{name}"')
                    self.say(HELP)
                    return True
                try:
                    return command(rest.strip())
                finally:
                    # What the command set off (timers, assignment, transfers) shows at once.
                    self.flush_new()
            self.consumer_says(text)
        except SimulatorError as exc:
            self.error(str(exc))
        except Exception as exc:  # a bug must not end the user's session
            self.error(f"internal error ({type(exc).__name__}): {exc}")
        self.flush_new()
        return True

    def consumer_says(self, text: str) -> None:
        conv = self.sim.conversation()
        offer = conv.transcript.last_offer()
        if text.isdigit() and offer is not None and not conv.text_only:
            # Pick a choice by the number printed next to it (R1: it sends the choice's value).
            tappable = offer.tappable()
            index = int(text) - 1
            if not 0 <= index < len(tappable):
                raise UserError(
                    f"there is no choice {text}: choose 1 to {len(tappable)}, or /say {text}"
                    " to send the number as text"
                )
            title = tappable[index].title
            self.sim.platform.consumer_taps(conv, title)
            self.sim.settle()
            quoted_title = _quote(title)
            if quoted_title is None:
                self.recording.add(COMMENT, f"the consumer tapped {title!r} (cannot be quoted)")
            else:
                self.recording.add(ACTION, f"the consumer taps {quoted_title}")
            return
        self.sim.say(text)
        quoted = _quote(text)
        if quoted is None:
            self.recording.add(COMMENT, f"the consumer said {text!r} (cannot be quoted in a step)")
            self.error("a message with a double quote cannot be saved as a step; /save skips it")
        else:
            self.recording.add(ACTION, f"the consumer says {quoted}")

    # -- commands --------------------------------------------------------------------------
    def cmd_say(self, rest: str) -> bool:
        """Send the text as typed, even a bare number that would pick a choice."""
        if not rest:
            raise UserError("usage: /say TEXT")
        self.sim.say(rest)
        quoted = _quote(rest)
        if quoted is not None:
            self.recording.add(ACTION, f"the consumer says {quoted}")
        return True

    def cmd_wait(self, rest: str) -> bool:
        if not rest:
            raise UserError("/wait needs a duration, e.g. /wait 3 minutes")
        delta = parse_duration(rest)
        self.sim.advance(delta)
        words = duration_words(delta)
        verb = "passes" if words.startswith("1 ") else "pass"
        self.recording.add(ACTION, f"{words} {verb}")
        return True

    @staticmethod
    def _name_and_count(rest: str, usage: str) -> tuple[str, int]:
        parts = rest.split()
        if not parts:
            raise UserError(f"usage: {usage}")
        count = 1
        if len(parts) > 1 and parts[-1].isdigit():
            count = int(parts.pop())
        if count < 1:
            raise UserError(f"usage: {usage} (N is 1 or more)")
        return " ".join(parts), count

    def cmd_fail(self, rest: str) -> bool:
        skill, count = self._name_and_count(rest, "/fail SKILL [N]")
        self.sim.fail_transfers(skill, count)
        if count == 1:
            self.recording.add(SETUP, f'the next transfer to skill "{skill}" fails')
        else:
            self.recording.add(SETUP, f'the next {count} transfers to skill "{skill}" fail')
        self.say(f"the next {count} transfer(s) to skill {skill} will fail")
        return True

    def cmd_drop(self, rest: str) -> bool:
        skill, count = self._name_and_count(rest, "/drop SKILL [N]")
        self.sim.drop_transfers(skill, count)
        if count == 1:
            self.recording.add(
                SETUP, f'the chat server drops the next escalation to skill "{skill}"'
            )
        else:
            self.recording.add(
                SETUP, f'the chat server drops the next {count} escalations to skill "{skill}"'
            )
        self.say(f"the next {count} escalation(s) to skill {skill} will get no response")
        return True

    def cmd_agent(self, rest: str) -> bool:
        parts = rest.split()
        states = {"available": True, "away": False, "unavailable": False}
        if len(parts) < 2 or parts[-1].lower() not in states:
            raise UserError("usage: /agent NAME available|away")
        name = " ".join(parts[:-1])
        available = states[parts[-1].lower()]
        self.sim.platform.set_agent_available(name, available)
        self.sim.settle()
        change = "becomes available" if available else "goes away"
        self.recording.add(ACTION, f'agent "{name}" {change}')
        self.say(f"agent {name} is now {'available' if available else 'away'}")
        return True

    def cmd_channel(self, rest: str) -> bool:
        channel = rest.lower()
        if channel not in ("chat", "messaging", "sms"):
            raise UserError("usage: /channel chat|messaging|sms")
        self.channel = channel
        self.open()
        self.say(f"new conversation {self.sim.conversation().id} on {channel}")
        return True

    def cmd_vars(self, rest: str) -> bool:
        conv = self.sim.conversation()
        names = [conv.bot] if conv.bot is not None and conv.bot in conv.sessions else []
        if not names:
            names = sorted(conv.sessions)
        if not names:
            self.say("(no bot has served this conversation yet)")
        for name in names:
            variables = conv.sessions[name].variables
            self.say(f"bot {name}:" + ("" if variables else " (no variables)"))
            for key in sorted(variables):
                self.say(f'  {key} = "{variables[key]}"')
        return True

    def cmd_context(self, rest: str) -> bool:
        store = getattr(self.sim, "context_store", None)
        namespaces = getattr(store, "namespaces", {}) if store is not None else {}
        if not namespaces:
            self.say("(the context store has no namespaces)")
            return True
        now = self.sim.clock.now()
        for name in sorted(namespaces):
            self.say(f"namespace {name}:")
            data = namespaces[name].data
            shown = 0
            for (scope, owner), values in sorted(
                data.items(), key=lambda i: (str(i[0][0]), i[0][1])
            ):
                for key in sorted(values):
                    value = values[key]
                    if value.expires is not None and value.expires <= now:
                        continue
                    scope_name = getattr(scope, "value", str(scope))
                    self.say(f"  [{scope_name} {owner}] {key} = {value.value!r}")
                    shown += 1
            if not shown:
                self.say("  (empty)")
        return True

    def cmd_transcript(self, rest: str) -> bool:
        self.say(self.sim.transcript_text())
        return True

    def cmd_save(self, rest: str) -> bool:
        return self._save(rest, overwrite=False)

    def cmd_save_over(self, rest: str) -> bool:
        """``/save! FILE``: like /save, but replaces an existing file."""
        return self._save(rest, overwrite=True)

    def _save(self, rest: str, *, overwrite: bool) -> bool:
        if not rest:
            raise UserError("usage: /save FILE.feature (or /save! FILE.feature to overwrite)")
        target = Path(rest)
        if target.suffix != ".feature":
            raise UserError(f'"{rest}": the file name must end with .feature')
        target = target if target.is_absolute() else Path.cwd() / target
        if not target.parent.is_dir():
            # Never create folders silently: a typo in the folder would hide the saved file.
            raise UserError(
                f"/save {rest}: the folder {target.parent} does not exist; create it first"
            )
        if target.exists() and not overwrite:
            raise UserError(f"/save {rest}: the file exists; use /save! {rest} to replace it")
        check_output_path(target, what="/save", overwrite=overwrite)
        text = self.feature_text(target)
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {rest}: {exc.strerror or exc}") from None
        count = sum(1 for s in self.recording.steps if s.kind != COMMENT)
        checks = sum(1 for s in self.recording.steps if s.kind == CHECK)
        self.say(
            f"saved {count} steps ({checks} checks) to {rest}; run it with: simulator run {rest}"
        )
        skipped = [s.text for s in self.recording.steps if s.kind == COMMENT]
        if skipped:
            # Written as comments only: the saved scenario neither replays nor checks them.
            listed = "\n  ".join(skipped)
            print(
                f"warning: {len(skipped)} item(s) could not be saved as steps (they are comments"
                f" in {rest}, not replayed or checked):\n  {listed}",
                file=self.err,
                flush=True,
            )
        return True

    def feature_text(self, target: Path) -> str:
        tenant = os.path.relpath(self.tenant_path, target.parent.resolve())
        steps = list(self.recording.steps)
        steps[0] = Recorded(SETUP, f'the tenant "{Path(tenant).as_posix()}"')
        recording = Recording(steps)
        name = target.stem.replace("_", " ").replace("-", " ")
        who = f'bot "{self.bot}"' if self.bot else f'skill "{self.skill}"'
        header = ["# Recorded with `simulator chat`."]
        if self.seed != DEFAULT_SEED:
            header.append(
                f"# Recorded with --seed {self.seed}: run it with simulator run --seed {self.seed}"
            )
        lines = [
            *header,
            f"Feature: {name}",
            "",
            f"  Scenario: Chat session with {who}",
            *(f"    {line}" for line in recording.lines()),
        ]
        return "\n".join(lines) + "\n"

    def cmd_help(self, rest: str) -> bool:
        self.say(HELP)
        return True

    def cmd_quit(self, rest: str) -> bool:
        return False


def _read_line(stream: TextIO | None, interactive: bool) -> str | None:
    """The next input line, or None at the end of input: Ctrl-D, an empty or exhausted pipe,
    ``</dev/null``, or a standard input that is closed (``0<&-``: Python then has no stdin)."""
    if stream is None:
        return None
    try:
        if interactive:
            return input("> ")
        line = stream.readline()
    except (EOFError, OSError, ValueError):  # ValueError: reading a closed file
        return None
    return line if line else None


def chat_command(args: argparse.Namespace) -> int:
    from simulator.cli.catalogue import load_step_modules

    load_step_modules()  # /save checks every step it writes against the library
    stdin: TextIO | None = sys.stdin
    try:
        interactive = stdin is not None and stdin.isatty()
    except (OSError, ValueError):
        interactive = False
    if interactive:
        with contextlib.suppress(ImportError):  # not on every platform
            import readline  # noqa: F401  (line editing and history for input())
    session = ChatSession(
        args.tenant,
        bot=args.bot,
        skill=args.skill,
        channel=args.channel,
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        out=sys.stdout,
        err=sys.stderr,
        echo_consumer=not interactive,
    )
    try:
        with frozen_at(session.sim):
            session.start()
            while True:
                line = _read_line(stdin, interactive)
                if line is None:
                    if interactive:
                        session.say()
                    else:
                        session.say("(end of input: the session ends)")
                    break
                if not session.handle(line):
                    break
    finally:
        # Free the bots' V8 contexts now (also on Ctrl-C): left to interpreter shutdown they
        # could hang the process after "bye" (see simulator.js.engine).
        from simulator.js.engine import close_all

        close_all()
    session.say("bye")
    return 0


def _numbered_choices(entry: Entry, text_only: bool) -> str | None:
    """``choose: 1 "Yes" · 2 "No"`` under a bot message offering choices; None on a
    text-only channel, where the message itself already numbers them (R2)."""
    raw = entry.details.get("content")
    if entry.kind is not EntryKind.BOT or text_only or not isinstance(raw, dict):
        return None
    tappable = Content.from_json(raw).tappable()
    if not tappable:
        return None
    listed = " · ".join(f'{i} "{c.title}"' for i, c in enumerate(tappable, 1))
    return f"{INDENT}choose by number: {listed}"


def _clock_words(elapsed_ms: int) -> str:
    """Elapsed virtual time as a step's clock parameter: ``00:03:00.000``."""
    seconds, ms = divmod(elapsed_ms, 1000)
    minutes, sec = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{sec:02d}.{ms:03d}"
