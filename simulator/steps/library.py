"""The steps themselves. Each says what it does in the platform's words.

Conventions: every parameter is in double quotes (durations and clock times may be bare), so
no step is a prefix of another; Then steps raise ``ExpectationFailed`` with what was expected
and what happened instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.clock import format_elapsed, parse_duration, parse_offset
from simulator.errors import ExpectationFailed, StepError, did_you_mean
from simulator.nlu import MatchLevel
from simulator.patterns import PatternSyntaxError, compile_pattern
from simulator.simulator import Simulator
from simulator.steps.registry import REGISTRY
from simulator.transcript import Entry

step = REGISTRY.step

SETUP = "Setting up the tenant"
TALK = "Talking"
TIME = "Time"
SEE = "What the consumer sees"
BOT = "Inside the bot"
TRANSFER = "Transfers and routing"
FAULT = "Faults"
GROUP = "Bot groups"
TRANSCRIPT = "Transcript"


# Then steps read the transcript through its indexes (Transcript.visible_since_consumer,
# has_visible_text, dialog_starts, contains_text), never by scanning ``entries``: a step must
# cost the same in turn 10,000 as in turn 10 (tests/perf_counts/test_turn_costs.py).


def _visible_since_consumer(sim: Simulator) -> list[Entry]:
    return sim.conversation().transcript.visible_since_consumer()


def _cursor_key(sim: Simulator) -> tuple[str, int]:
    conv = sim.conversation()
    return conv.id, conv.transcript.consumer_count


def _show(entries: list[Entry]) -> str:
    if not entries:
        return "  (nothing)"
    return "\n".join(f"  {e.actor}: {e.text}" for e in entries)


def _doc_lines(doc: str | None, step_name: str) -> list[str]:
    if doc is None:
        raise StepError(f'the step "{step_name}" needs a docstring ("""...""") below it')
    return [line.strip() for line in doc.strip().splitlines() if line.strip()]


# -- setting up ------------------------------------------------------------------------
@step(
    "the tenant {path}",
    "the tenant {path} is loaded",
    example='Given the tenant "fixtures/bank.yaml"',
    section=SETUP,
)
def load_tenant(sim: Simulator, path: str) -> None:
    """Load a tenant file (YAML or JSON). Relative paths start at the feature file's folder,
    then the project root."""
    sim.load(sim.resolve(path))


@step(
    "a tenant defined as:",
    example='Given a tenant defined as:\n  """\n  bots: ...\n  """',
    section=SETUP,
    docstring=True,
)
def inline_tenant(sim: Simulator, doc: str | None) -> None:
    """A whole tenant written as YAML in the feature file."""
    if doc is None:
        raise StepError('"a tenant defined as:" needs the tenant YAML in a docstring below it')
    sim.load_text(doc, name="<tenant in feature file>")


@step(
    "a bot {name} with dialogs:",
    example='Given a bot "Echo" with dialogs:\n  | dialog | patterns | replies |\n  | Hello | hi, hello* | Hello! |',
    section=SETUP,
    table=True,
)
def inline_bot(sim: Simulator, name: str, table: list[list[str]] | None) -> None:
    """Define a small bot from a table: one row per dialog. Columns: dialog, patterns (comma
    separated), intent (optional), replies (one or more texts separated by " | " are not allowed
    in tables, so use ";"), type (standard or fallback, optional)."""
    if not table or len(table) < 2:
        raise StepError(f'bot "{name}": the table needs a header row and at least one dialog row')
    header = [h.strip().lower() for h in table[0]]
    allowed = {"dialog", "patterns", "intent", "replies", "type", "phrases"}
    for h in header:
        if h not in allowed:
            raise StepError(f'bot "{name}": unknown column "{h}": {did_you_mean(h, allowed)}')
    if "dialog" not in header:
        raise StepError(f'bot "{name}": the table needs a "dialog" column')
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise StepError(f'bot "{name}": the column "{twice[0]}" appears twice in the header')
    dialogs: list[dict[str, Any]] = []
    intents: dict[str, list[str]] = {}
    for number, row in enumerate(table[1:], start=2):
        cells = dict(zip(header, ((c or "").strip() for c in row), strict=False))
        if len(row) != len(header) or not cells.get("dialog"):
            raise StepError(
                f'bot "{name}": row {number} of the table'
                + (
                    f" has {len(row)} cells for {len(header)} columns"
                    if len(row) != len(header)
                    else ' has an empty "dialog" cell: every dialog needs a name'
                )
            )
        dialog: dict[str, Any] = {"name": cells["dialog"], "interactions": []}
        starter: dict[str, Any] = {}
        if cells.get("patterns"):
            starter["patterns"] = [p.strip() for p in cells["patterns"].split(",") if p.strip()]
        if cells.get("intent"):
            starter["intent"] = cells["intent"]
            phrases = [p.strip() for p in cells.get("phrases", "").split(";") if p.strip()]
            intents.setdefault(cells["intent"], []).extend(phrases)
        if starter:
            dialog["starter"] = starter
        if cells.get("type"):
            dialog["type"] = cells["type"]
        for reply in (cells.get("replies") or "").split(";"):
            if reply.strip():
                dialog["interactions"].append({"text": reply.strip()})
        dialogs.append(dialog)
    bot = {
        "name": name,
        "intents": [{"name": k, "phrases": v} for k, v in intents.items()],
        "dialogs": dialogs,
    }
    sim.add_inline_bot(bot)


# -- talking ---------------------------------------------------------------------------
@step(
    "the consumer opens a conversation with bot {bot}",
    "the consumer opens a conversation with bot {bot} on {channel}",
    example='When the consumer opens a conversation with bot "Routing" on "chat"',
    section=TALK,
)
def open_with_bot(sim: Simulator, bot: str, channel: str = "messaging") -> None:
    """Start a conversation held by this bot (channel "messaging" unless given)."""
    sim.open_conversation(bot=bot, channel=channel)


@step(
    "the consumer opens a conversation on skill {skill}",
    "the consumer opens a conversation on skill {skill} on {channel}",
    example='When the consumer opens a conversation on skill "Sales" on "messaging"',
    section=TALK,
)
def open_on_skill(sim: Simulator, skill: str, channel: str = "messaging") -> None:
    """Start a conversation routed to a skill (id or name), as a consumer entry point would."""
    sim.open_conversation(skill=skill, channel=channel)


@step("the consumer says {text}", example='When the consumer says "hi"', section=TALK)
def consumer_says(sim: Simulator, text: str) -> None:
    """The consumer sends a message and waits until the bot has finished answering (in virtual
    time: delays and delivery move the clock, timeouts do not fire unless they come first)."""
    sim.say(text)


@step(
    "the consumer says {text} without waiting",
    example='When the consumer says "one" without waiting',
    section=TALK,
)
def consumer_says_now(sim: Simulator, text: str) -> None:
    """Send a message without letting the bot answer yet (to test message joining, C1)."""
    sim.say(text, wait=False)


@step(
    "the consumer says {text} {delay:duration} later",
    example='When the consumer says "my card" 100 ms later',
    section=TALK,
)
def consumer_says_later(sim: Simulator, text: str, delay: str) -> None:
    """Let only this much time pass (bots do not get to answer in between), then say it."""
    sim.advance(parse_duration(delay))
    sim.say(text)


@step(
    "agent {agent} says {text}", example='When agent "Alice" says "How can I help?"', section=TALK
)
def agent_says(sim: Simulator, agent: str, text: str) -> None:
    """A human agent who holds the conversation writes to the consumer."""
    sim.agent_says(agent, text)


# -- time --------------------------------------------------------------------------------
@step(
    "{amount:duration} pass",
    "{amount:duration} passes",
    "{amount:duration} pass in virtual time",
    example="When 3 minutes pass",
    section=TIME,
)
def time_passes(sim: Simulator, amount: str) -> None:
    """Move the virtual clock forward, running every event that falls due (nothing sleeps);
    then let bots finish answering whatever those events started."""
    sim.advance(parse_duration(amount))
    sim.settle()


@step("the clock reaches {time:clock}", example="When the clock reaches 00:03:01", section=TIME)
def clock_reaches(sim: Simulator, time: str) -> None:
    """Move the clock to a time counted from the start of the scenario, then let bots finish
    answering whatever fell due."""
    sim.advance_to(parse_offset(time))
    sim.settle()


@step("the clock shows {time:clock}", example="Then the clock shows 00:03:00", section=TIME)
def clock_shows(sim: Simulator, time: str) -> None:
    """Check the virtual time since the scenario started."""
    expected = parse_offset(time)
    actual = sim.clock.elapsed()
    if actual != expected:
        raise ExpectationFailed(f"expected the clock at {time}, it is at {format_elapsed(actual)}")


# -- what the consumer sees --------------------------------------------------------------
@step(
    "the bot replies {text}",
    "bot {bot} replies {text}",
    example='Then the bot replies "Hello! How can I help?"',
    section=SEE,
)
def bot_replies(sim: Simulator, text: str, bot: str | None = None) -> None:
    """Since the consumer's last message, this text arrived (checked in order: each check
    starts after the message the previous check found)."""
    replies = _visible_since_consumer(sim)
    key = _cursor_key(sim)
    start = sim.scratch.get(("cursor", key), 0)
    for index in range(start, len(replies)):
        entry = replies[index]
        if entry.text == text and (bot is None or entry.actor == bot):
            sim.scratch[("cursor", key)] = index + 1
            return
    who = f'bot "{bot}"' if bot else "the bot"
    raise ExpectationFailed(
        f'expected {who} to reply "{text}" after the consumer\'s last message;'
        f" replies were:\n{_show(replies)}"
    )


@step(
    "the bot replies with a message matching {pattern}",
    example='Then the bot replies with a message matching "Hello*"',
    section=SEE,
)
def bot_replies_matching(sim: Simulator, pattern: str) -> None:
    """Like "the bot replies", with a Conversation Builder pattern (* and (a|b))."""
    try:
        compiled = compile_pattern(pattern)
    except PatternSyntaxError as exc:
        raise StepError(str(exc)) from None
    replies = _visible_since_consumer(sim)
    if not any(compiled.matches(e.text) for e in replies):
        raise ExpectationFailed(
            f'expected a reply matching "{pattern}"; replies were:\n{_show(replies)}'
        )


@step(
    "the bot replies exactly:",
    example='Then the bot replies exactly:\n  """\n  Hello!\n  """',
    section=SEE,
    docstring=True,
)
def bot_replies_exactly(sim: Simulator, doc: str | None) -> None:
    """All messages since the consumer's last one, one per line, nothing more or less."""
    expected = _doc_lines(doc, "the bot replies exactly:")
    actual = [e.text for e in _visible_since_consumer(sim)]
    if actual != expected:
        raise ExpectationFailed(
            "replies differ.\nexpected:\n"
            + "\n".join(f"  {t}" for t in expected)
            + "\nactual:\n"
            + "\n".join(f"  {t}" for t in actual)
        )


@step("the bot does not reply", example="Then the bot does not reply", section=SEE)
def bot_silent(sim: Simulator) -> None:
    """Nothing arrived since the consumer's last message."""
    replies = _visible_since_consumer(sim)
    if replies:
        raise ExpectationFailed(f"expected no reply; got:\n{_show(replies)}")


@step(
    "the consumer sees {text}", example='Then the consumer sees "Transferring you now"', section=SEE
)
def consumer_sees(sim: Simulator, text: str) -> None:
    """Anywhere in the conversation so far, from any bot or agent."""
    transcript = sim.conversation().transcript
    if not transcript.has_visible_text(text):
        entries = transcript.visible()
        raise ExpectationFailed(
            f'expected the consumer to see "{text}"; they saw:\n{_show(entries)}'
        )


@step(
    "the consumer does not see {text}", example='Then the consumer does not see "Oops"', section=SEE
)
def consumer_not_sees(sim: Simulator, text: str) -> None:
    """The text never reached the consumer."""
    transcript = sim.conversation().transcript
    if transcript.has_visible_text(text):
        entries = transcript.visible()
        raise ExpectationFailed(
            f'expected the consumer never to see "{text}"; they saw:\n{_show(entries)}'
        )


@step(
    "the consumer has seen exactly:",
    example='Then the consumer has seen exactly:\n  """\n  Routing: Hello!\n  """',
    section=SEE,
    docstring=True,
)
def consumer_seen_exactly(sim: Simulator, doc: str | None) -> None:
    """Every message of the conversation, "Sender: text" per line, in delivery order."""
    expected = _doc_lines(doc, "the consumer has seen exactly:")
    actual = [f"{e.actor}: {e.text}" for e in sim.conversation().transcript.visible()]
    if actual != expected:
        raise ExpectationFailed(
            "messages differ.\nexpected:\n"
            + "\n".join(f"  {t}" for t in expected)
            + "\nactual:\n"
            + "\n".join(f"  {t}" for t in actual)
        )


# -- inside the bot ----------------------------------------------------------------------
def _dialog_entries(sim: Simulator, bot: str | None = None) -> list[Entry]:
    """Every dialog start (of this bot, when given); only used to explain a failure."""
    return [
        e
        for e in sim.conversation().transcript.dialog_starts()
        if bot is None or e.details.get("bot") == bot
    ]


@step(
    "dialog {dialog} started",
    "bot {bot} started dialog {dialog}",
    example='Then bot "Savings" started dialog "Open account"',
    section=BOT,
)
def dialog_started(sim: Simulator, dialog: str, bot: str | None = None) -> None:
    """The dialog started at some point in this conversation."""
    if bot is not None:
        sim.platform.bot(bot)
    if not sim.conversation().transcript.dialog_started(dialog, bot):
        entries = _dialog_entries(sim, bot)
        started = [f"{e.details.get('bot')}: {e.details['dialog']}" for e in entries]
        raise ExpectationFailed(
            f'expected dialog "{dialog}" to start; started: {", ".join(started) or "none"}'
        )


@step(
    "dialog {dialog} did not start",
    example='Then dialog "Fallback" did not start',
    section=BOT,
)
def dialog_not_started(sim: Simulator, dialog: str) -> None:
    """The dialog never started in this conversation."""
    if sim.conversation().transcript.dialog_started(dialog):
        raise ExpectationFailed(f'expected dialog "{dialog}" not to start, but it did')


@step(
    "dialog {dialog} started by intent {intent} at level {level}",
    example='Then dialog "Savings" started by intent "savings" at level "GOOD"',
    section=BOT,
)
def dialog_started_by_intent(sim: Simulator, dialog: str, intent: str, level: str) -> None:
    """The dialog started through its starter intent, with this match level (B7)."""
    try:
        wanted = MatchLevel.from_label(level)
    except ValueError as exc:
        raise StepError(str(exc)) from None
    if sim.conversation().transcript.dialog_reason_contains(
        dialog, f'intent "{intent}" {wanted.label} '
    ):
        return
    reasons = [e.text for e in _dialog_entries(sim)]
    raise ExpectationFailed(
        f'expected "{dialog}" to start by intent "{intent}" at {wanted.label}; dialog starts:\n  '
        + "\n  ".join(reasons or ["(none)"])
    )


@step(
    "dialog {dialog} started by pattern {pattern}",
    example='Then dialog "Welcome" started by pattern "(hi|hello)*"',
    section=BOT,
)
def dialog_started_by_pattern(sim: Simulator, dialog: str, pattern: str) -> None:
    """The dialog started because this starter pattern matched (B1, B6)."""
    if sim.conversation().transcript.dialog_reason_contains(dialog, f'pattern "{pattern}"'):
        return
    reasons = [e.text for e in _dialog_entries(sim)]
    raise ExpectationFailed(
        f'expected "{dialog}" to start by pattern "{pattern}"; dialog starts:\n  '
        + "\n  ".join(reasons or ["(none)"])
    )


def _session_vars(sim: Simulator, bot: str | None) -> tuple[str, dict[str, str]]:
    conv = sim.conversation()
    name = bot or conv.bot or (next(iter(conv.sessions)) if conv.sessions else None)
    if name is None:
        raise StepError("no bot has taken part in this conversation yet")
    sim.platform.bot(name)
    session = conv.sessions.get(name)
    return name, (session.variables if session else {})


@step(
    "the variable {name} is {value}",
    "bot {bot} has variable {name} set to {value}",
    example='Then bot "Routing" has variable "name" set to "Ann"',
    section=BOT,
)
def variable_is(sim: Simulator, name: str, value: str, bot: str | None = None) -> None:
    """A bot variable ({$botContext.name}) of the current bot, or of the named bot."""
    who, variables = _session_vars(sim, bot)
    if name not in variables:
        raise ExpectationFailed(
            f'bot "{who}" has no variable "{name}"; it has: '
            + (", ".join(f'{k}="{v}"' for k, v in sorted(variables.items())) or "none")
        )
    if variables[name] != value:
        raise ExpectationFailed(f'bot "{who}": {name} is "{variables[name]}", expected "{value}"')


@step(
    "bot {bot} has no variable {name}",
    example='Then bot "Savings" has no variable "name"',
    section=BOT,
)
def variable_absent(sim: Simulator, bot: str, name: str) -> None:
    """The bot's own context lacks the variable (bots never share variables, T8)."""
    who, variables = _session_vars(sim, bot)
    if name in variables:
        raise ExpectationFailed(f'bot "{who}" has variable "{name}" = "{variables[name]}"')


@step(
    "the NLU scores {text} as intent {intent} at {score:float}",
    example='Given the NLU scores "I lost my card" as intent "lost_card" at 0.81',
    section=BOT,
)
def pin_score(sim: Simulator, text: str, intent: str, score: str) -> None:
    """Pin the score so the scenario does not depend on the built-in scorer. A pinned message
    gets only its pinned scores."""
    sim.pin_intent(text, intent, float(score))


# -- transcript ----------------------------------------------------------------------------
@step(
    "the transcript is:",
    example='Then the transcript is:\n  """\n  00:00:00.000  ...\n  """',
    section=TRANSCRIPT,
    docstring=True,
)
def transcript_is(sim: Simulator, doc: str | None) -> None:
    """The whole transcript of the current conversation, byte for byte (after trimming)."""
    if doc is None:
        raise StepError('"the transcript is:" needs the expected transcript in a docstring')
    expected = "\n".join(line.rstrip() for line in doc.strip().splitlines())
    actual = sim.transcript_text()
    if expected != actual:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
            )
        )
        raise ExpectationFailed(f"the transcript differs:\n{diff}")


@step(
    "the transcript contains {text}",
    example='Then the transcript contains "late"',
    section=TRANSCRIPT,
)
def transcript_contains(sim: Simulator, text: str) -> None:
    """Some transcript line contains this text."""
    if not sim.conversation().transcript.contains_text(text):
        raise ExpectationFailed(f'expected the transcript to contain "{text}"')


@step(
    "the transcript does not contain {text}",
    example='Then the transcript does not contain "late"',
    section=TRANSCRIPT,
)
def transcript_lacks(sim: Simulator, text: str) -> None:
    """No transcript line contains this text."""
    if sim.conversation().transcript.contains_text(text):
        raise ExpectationFailed(f'expected the transcript not to contain "{text}"')


@step(
    "the transcript is saved as JSON to {path}",
    example='Then the transcript is saved as JSON to "out.json"',
    section=TRANSCRIPT,
)
def transcript_json(sim: Simulator, path: str) -> None:
    """Write the transcript as JSON (for attaching to bug reports)."""
    # The path is checked first (simulator.files): an existing file is replaced, a folder,
    # FIFO or device is refused, missing folders are created below a writable folder.
    from simulator.files import check_output_path, write_output_text

    what = "the transcript file"
    target = check_output_path(Path(path), what=what, create_folders=True)
    text = sim.conversation().transcript.to_json() + "\n"
    write_output_text(target, text, what=what, create_folders=True)


@step("the conversation is closed", example="Then the conversation is closed", section=TALK)
def is_closed(sim: Simulator) -> None:
    """The conversation was closed (LP_CLOSECONVERSATION or a close action)."""
    if sim.conversation().is_open:
        raise ExpectationFailed("expected the conversation to be closed; it is open")


@step("the conversation is open", example="Then the conversation is open", section=TALK)
def is_open(sim: Simulator) -> None:
    """The conversation has not been closed."""
    if not sim.conversation().is_open:
        raise ExpectationFailed("expected the conversation to be open; it is closed")


@step(
    "the clock's datetime now is {stamp}",
    example='Then the clock\'s datetime now is "2026-01-05T09:03:00+00:00"',
    section=TIME,
    reads_host_clock=True,
)
def datetime_now(sim: Simulator, stamp: str) -> None:
    """``datetime.now()`` as step code sees it (freezegun follows the virtual clock)."""
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat()
    if now != stamp:
        raise ExpectationFailed(f"datetime.now() is {now}, expected {stamp}")
