"""Steps a QA team reaches for: closing, coming back, time windows, alternatives, remembered
values and utterance lists.

Registered on the library's ``REGISTRY`` like ``simulator.steps.library`` (``load_library``
imports every module of this package). The checks here read the transcript themselves rather
than reuse the private helpers of ``library``, so that module can change its internals freely.
"""

from __future__ import annotations

import re
from datetime import timedelta

from simulator.clock import format_elapsed, parse_duration, parse_offset
from simulator.cloud.conversation import Conversation
from simulator.errors import ExpectationFailed, StepError
from simulator.patterns import PatternSyntaxError, guard_regex
from simulator.simulator import Simulator
from simulator.steps.registry import MEMORY_KEY, REGISTRY, call, split_list
from simulator.transcript import Entry, EntryKind

step = REGISTRY.step

TALK = "Talking"
SEE = "What the consumer sees"
TRANSFER = "Transfers and routing"
MEMORY = "Remembering values"
UTTERANCES = "Utterance lists"

#: ``Simulator.scratch`` keys of this module.
UTTERANCES_KEY = "_utterances"
UTTERANCE_SOURCE_KEY = "_utterances_source"
UTTERANCE_RUNS_KEY = "_utterance_runs"

_NAME = re.compile(r"[A-Za-z_]\w*\Z")


# -- helpers -----------------------------------------------------------------------------
def _since_consumer(conv: Conversation) -> tuple[list[Entry], timedelta | None]:
    """Visible messages after the consumer's last one, and when that message was sent."""
    # The transcript's indexes keep this O(1) in the scenario's length (see transcript.py).
    last = conv.transcript.last_of_kind(EntryKind.CONSUMER)
    said = timedelta(milliseconds=last.elapsed_ms) if last is not None else None
    return conv.transcript.visible_since_consumer(), said


def _at(entry: Entry) -> str:
    return format_elapsed(timedelta(milliseconds=entry.elapsed_ms))


def _show(entries: list[Entry]) -> str:
    if not entries:
        return "  (nothing)"
    return "\n".join(f"  {_at(e)}  {e.actor}: {e.text}" for e in entries)


def _window(start: str, end: str) -> tuple[timedelta, timedelta]:
    low, high = parse_offset(start), parse_offset(end)
    if high < low:
        raise StepError(f"the time window {start} to {end} ends before it starts")
    return low, high


def _memory(sim: Simulator) -> dict[str, str]:
    memory: dict[str, str] = sim.scratch.setdefault(MEMORY_KEY, {})
    return memory


def _remember(sim: Simulator, name: str, value: str) -> None:
    if not _NAME.match(name):
        raise StepError(
            f'"{name}" cannot name a remembered value: use letters, digits and "_",'
            " starting with a letter (it is written $name later)"
        )
    _memory(sim)[name] = value


def _last_bot_reply(sim: Simulator) -> Entry:
    conv = sim.conversation()
    reply = conv.transcript.last_of_kind(EntryKind.BOT)
    if reply is None:
        raise StepError(f"no bot has replied yet in conversation {conv.id}")
    return reply


# -- closing and coming back -------------------------------------------------------------
@step(
    "the consumer closes the conversation",
    example="When the consumer closes the conversation",
    section=TALK,
)
def consumer_closes(sim: Simulator) -> None:
    """The consumer ends the conversation (the check is "the conversation is closed"). Any
    later message from the consumer in it is an error naming the closed conversation."""
    conv = sim.conversation()
    if not conv.is_open:
        raise StepError(f"conversation {conv.id} is already closed")
    sim.platform.close(conv, "the consumer closed the conversation")
    sim.settle()


@step(
    "the same consumer opens a new conversation with bot {bot}",
    "the same consumer opens a new conversation with bot {bot} on {channel}",
    "the same consumer opens a new conversation on skill {skill}",
    "the same consumer opens a new conversation on skill {skill} on {channel}",
    example='When the same consumer opens a new conversation with bot "Routing"',
    section=TALK,
)
def returning_consumer(
    sim: Simulator, bot: str | None = None, skill: str | None = None, channel: str | None = None
) -> None:
    """The consumer of the current conversation comes back (to test "Welcome back" paths). The
    consumer's identity (id, name, email) and data the Conversation Context Service keeps for
    this consumer carry over; bot variables do not (it is a new conversation). A conversation
    still open is closed first: a consumer has one open conversation at a time. The channel is
    the previous conversation's unless given."""
    previous = sim.conversation()
    if previous.is_open:
        sim.platform.close(previous, "the consumer started a new conversation")
    sim.open_conversation(
        bot=bot,
        skill=skill,
        channel=channel or previous.channel.value,
        consumer=dict(previous.consumer),
    )


@step(
    "the consumer is the same as in the previous conversation",
    example="Then the consumer is the same as in the previous conversation",
    section=TALK,
)
def same_consumer(sim: Simulator) -> None:
    """The current conversation's consumer has the id of the previous conversation's."""
    if len(sim.conversations) < 2:
        raise StepError("there is no previous conversation in this scenario")
    before, now = sim.conversations[-2], sim.conversation()
    if before.consumer.get("id") != now.consumer.get("id"):
        raise ExpectationFailed(
            f"expected the consumer of {now.id} to be the one of {before.id}:"
            f" {now.consumer.get('name')} ({now.consumer.get('id')}) is not"
            f" {before.consumer.get('name')} ({before.consumer.get('id')})"
        )


# -- times with a tolerance ----------------------------------------------------------------
@step(
    "the bot replies {text} between {start:clock} and {end:clock}",
    "bot {bot} replies {text} between {start:clock} and {end:clock}",
    example='Then the bot replies "Are you still there?" between 00:03:00 and 00:03:01',
    section=SEE,
)
def replies_between(
    sim: Simulator, text: str, start: str, end: str, bot: str | None = None
) -> None:
    """Since the consumer's last message, this text arrived at a time (counted from the start
    of the scenario) inside the window, both ends included."""
    low, high = _window(start, end)
    replies, _ = _since_consumer(sim.conversation())
    hits = [e for e in replies if e.text == text and (bot is None or e.actor == bot)]
    if any(low <= timedelta(milliseconds=e.elapsed_ms) <= high for e in hits):
        return
    who = f'bot "{bot}"' if bot else "the bot"
    if hits:
        raise ExpectationFailed(
            f'expected {who} to reply "{text}" between {start} and {end}; it arrived at '
            + ", ".join(_at(e) for e in hits)
        )
    raise ExpectationFailed(
        f'expected {who} to reply "{text}" between {start} and {end}; replies since the'
        f" consumer's last message were:\n{_show(replies)}"
    )


@step(
    "the bot replies {text} within {amount:duration}",
    example='Then the bot replies "Hello!" within 2 seconds',
    section=SEE,
)
def replies_within(sim: Simulator, text: str, amount: str) -> None:
    """This text arrived no later than the given time after the consumer's last message (or
    after the conversation opened, before the consumer said anything)."""
    limit = parse_duration(amount)
    replies, said = _since_consumer(sim.conversation())
    origin = said if said is not None else timedelta(0)
    hits = [e for e in replies if e.text == text]
    if any(timedelta(milliseconds=e.elapsed_ms) - origin <= limit for e in hits):
        return
    if hits:
        late = ", ".join(
            format_elapsed(timedelta(milliseconds=e.elapsed_ms) - origin) for e in hits
        )
        raise ExpectationFailed(
            f'expected "{text}" within {amount} of the consumer\'s last message; it took {late}'
        )
    raise ExpectationFailed(
        f'expected the bot to reply "{text}" within {amount}; replies since the consumer\'s'
        f" last message were:\n{_show(replies)}"
    )


@step(
    "the consumer sees {text} between {start:clock} and {end:clock}",
    example='Then the consumer sees "Connecting you with an agent." between 00:00:00 and 00:00:02',
    section=SEE,
)
def sees_between(sim: Simulator, text: str, start: str, end: str) -> None:
    """Anywhere in the conversation, this text reached the consumer inside the window."""
    low, high = _window(start, end)
    entries = sim.conversation().transcript.visible()
    hits = [e for e in entries if e.text == text]
    if any(low <= timedelta(milliseconds=e.elapsed_ms) <= high for e in hits):
        return
    if hits:
        raise ExpectationFailed(
            f'expected the consumer to see "{text}" between {start} and {end}; it arrived at '
            + ", ".join(_at(e) for e in hits)
        )
    raise ExpectationFailed(
        f'expected the consumer to see "{text}" between {start} and {end}; they saw:\n'
        + _show(entries)
    )


@step(
    "between {start:clock} and {end:clock} the conversation is transferred to skill {skill}",
    example='Then between 00:03:00 and 00:03:01 the conversation is transferred to skill "300"',
    section=TRANSFER,
)
def transferred_between(sim: Simulator, start: str, end: str, skill: str) -> None:
    """Like "at 00:03:00 the conversation is transferred to skill", with a time window."""
    low, high = _window(start, end)
    skill_id = sim.platform.skill(skill)
    transfers = [
        e
        for e in sim.conversation().transcript.of_kind(EntryKind.TRANSFER)
        if e.text.startswith("transferred to skill")
    ]
    hits = [e for e in transfers if e.details.get("skill") == skill_id]
    if any(low <= timedelta(milliseconds=e.elapsed_ms) <= high for e in hits):
        return
    if hits:
        raise ExpectationFailed(
            f"expected the transfer to skill {skill_id} between {start} and {end}; it happened"
            " at " + ", ".join(_at(e) for e in hits)
        )
    raise ExpectationFailed(
        f"expected a transfer to skill {skill_id} between {start} and {end}; transfers:\n"
        + _show(transfers)
    )


# -- one of several texts ------------------------------------------------------------------
def _check_one_of(sim: Simulator, options: list[str]) -> None:
    replies, _ = _since_consumer(sim.conversation())
    if any(e.text in options for e in replies):
        return
    wanted = ", ".join(f'"{o}"' for o in options)
    raise ExpectationFailed(
        f"expected the bot to reply one of {wanted} after the consumer's last message;"
        f" replies were:\n{_show(replies)}"
    )


@step(
    "the bot replies one of {texts:list}",
    example='Then the bot replies one of "Hi!", "Hello!" or "Hey!"',
    section=SEE,
)
def replies_one_of(sim: Simulator, texts: str) -> None:
    """Since the consumer's last message, at least one reply is one of these texts (bots that
    pick a random variation of a message). Separate the texts with commas, "and" or "or"."""
    _check_one_of(sim, split_list(texts))


@step(
    "the bot replies one of:",
    example="Then the bot replies one of:\n  | Hi! |\n  | Hello! |",
    section=SEE,
    table=True,
)
def replies_one_of_table(sim: Simulator, table: list[list[str]] | None) -> None:
    """The same with a table: the first cell of each row is one accepted text."""
    if not table:
        raise StepError('"the bot replies one of:" needs a table below it, one text per row')
    _check_one_of(sim, [row[0].strip() for row in table if row and row[0].strip()])


# -- remembered values (scripting memory) ----------------------------------------------------
@step(
    "I remember the bot's last reply as {name}",
    example='When I remember the bot\'s last reply as "greeting"',
    section=MEMORY,
)
def remember_reply(sim: Simulator, name: str) -> None:
    """Keep the text of the bot's latest message in this conversation under a name; later
    steps use it as ``$name`` inside any quoted parameter (``$$`` is a literal dollar sign).
    An unknown ``$name`` is an error that lists the remembered names."""
    _remember(sim, name, _last_bot_reply(sim).text)


@step(
    "I remember {regex} from the bot's last reply as {name}",
    example='When I remember "order (\\d+) is ready" from the bot\'s last reply as "order_id"',
    section=MEMORY,
)
def remember_from_reply(sim: Simulator, regex: str, name: str) -> None:
    """Search the bot's latest message with a regular expression (Python syntax) and keep its
    first group, or the whole match when it has no group."""
    try:
        guard_regex(regex)
        compiled = re.compile(regex)
    except PatternSyntaxError as exc:
        raise StepError(str(exc)) from None
    except re.error as exc:
        raise StepError(f'the regular expression "{regex}" is not valid: {exc}') from None
    reply = _last_bot_reply(sim)
    found = compiled.search(reply.text)
    if found is None:
        raise ExpectationFailed(
            f'expected the bot\'s last reply to contain "{regex}"; it was: {reply.text}'
        )
    _remember(sim, name, found.group(1) if compiled.groups else found.group(0))


@step(
    "I remember {value} as {name}",
    example='Given I remember "4711" as "order_id"',
    section=MEMORY,
)
def remember_value(sim: Simulator, value: str, name: str) -> None:
    """Keep a value of the scenario's own under a name (it may itself use ``$other``)."""
    _remember(sim, name, value)


@step(
    "the remembered value {name} is {value}",
    example='Then the remembered value "order_id" is "4711"',
    section=MEMORY,
)
def remembered_is(sim: Simulator, name: str, value: str) -> None:
    """Check a remembered value (give the name without ``$``)."""
    memory = _memory(sim)
    if name not in memory:
        known = ", ".join(f'"{k}"' for k in sorted(memory)) or "none"
        raise StepError(f'nothing is remembered as "{name}"; remembered: {known}')
    if memory[name] != value:
        raise ExpectationFailed(f'"{name}" is "{memory[name]}", expected "{value}"')


# -- utterance lists -----------------------------------------------------------------------
def _parse_utterances(text: str) -> list[str]:
    """One utterance per line; blank lines and lines starting with # are ignored."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _set_utterances(sim: Simulator, utterances: list[str], source: str) -> None:
    if not utterances:
        raise StepError(f"{source} holds no utterance (one per line; # starts a comment)")
    sim.scratch[UTTERANCES_KEY] = utterances
    sim.scratch[UTTERANCE_SOURCE_KEY] = source


@step(
    "the utterances {path}",
    "the utterances in {path}",
    example='Given the utterances in "fixtures/utterances/greetings.txt"',
    section=UTTERANCES,
)
def utterances_file(sim: Simulator, path: str) -> None:
    """Read a list of phrasings, one per line (blank lines and # comments ignored). Relative
    paths start at the feature file's folder, then the project root."""
    full = sim.resolve(path)
    try:
        text = full.read_text(encoding="utf-8")
    except FileNotFoundError:
        where = ", ".join(str(d) for d in sim.search_dirs)
        raise StepError(f'utterance file "{path}" not found (looked in: {where})') from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StepError(f'utterance file "{path}" cannot be read: {exc}') from None
    _set_utterances(sim, _parse_utterances(text), f'utterance file "{path}"')


@step(
    "the utterances:",
    example='Given the utterances:\n  """\n  hi\n  hello there\n  """',
    section=UTTERANCES,
    docstring=True,
)
def utterances_inline(sim: Simulator, doc: str | None) -> None:
    """The list written in the feature file, one phrasing per line."""
    if doc is None:
        raise StepError('"the utterances:" needs a docstring below it, one phrasing per line')
    _set_utterances(sim, _parse_utterances(doc), "the utterance list")


@step(
    "the consumer says each utterance",
    "the consumer says each utterance to bot {bot}",
    "the consumer says each utterance to bot {bot} on {channel}",
    "the consumer says each utterance on skill {skill}",
    "the consumer says each utterance on skill {skill} on {channel}",
    example='When the consumer says each utterance to bot "Routing"',
    section=UTTERANCES,
)
def say_each(
    sim: Simulator, bot: str | None = None, skill: str | None = None, channel: str | None = None
) -> None:
    """Each phrasing is said in a conversation of its own (a new consumer each time, so one
    phrasing cannot influence the next). Without a bot or skill, the conversations go to the
    bot holding the current conversation, on its channel. Check them with "for each utterance,
    ..."."""
    utterances = sim.scratch.get(UTTERANCES_KEY)
    if not utterances:
        raise StepError(
            'no utterances are loaded: add a step such as Given the utterances in "FILE"'
        )
    if bot is None and skill is None:
        current = sim.conversation()
        if current.bot is None:
            raise StepError(
                f"no bot holds conversation {current.id}: say where the utterances go, e.g."
                ' When the consumer says each utterance to bot "NAME"'
            )
        bot = current.bot
        channel = channel or current.channel.value
    runs: list[tuple[str, Conversation]] = []
    for utterance in utterances:
        conv = sim.open_conversation(bot=bot, skill=skill, channel=channel or "messaging")
        sim.say(utterance)
        runs.append((utterance, conv))
    sim.scratch[UTTERANCE_RUNS_KEY] = runs


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


@step(
    "for each utterance, {check:step}",
    "for each utterance {check:step}",
    example='Then for each utterance, the bot replies "Hello! How can I help?"',
    section=UTTERANCES,
    raw=True,
)
def for_each_utterance(sim: Simulator, check: str) -> None:
    """Run any other step once per phrasing, in that phrasing's conversation, with
    ``$utterance`` set to it. Every phrasing is tried; the failure lists each phrasing that
    failed with its reason (the scenario reports them together, as one test)."""
    runs: list[tuple[str, Conversation]] | None = sim.scratch.get(UTTERANCE_RUNS_KEY)
    if not runs:
        raise StepError(
            "no utterance has been said yet: add When the consumer says each utterance first"
        )
    inner = REGISTRY.match(check)
    if inner is None:
        near = REGISTRY.suggestions(check)
        hint = " Nearest steps: " + "; ".join(near) if near else ""
        raise StepError(f'"for each utterance," is followed by an unknown step "{check}".{hint}')
    if inner.step.table or inner.step.docstring:
        raise StepError(
            f'"{check}" needs a table or docstring, which "for each utterance," cannot pass on'
        )
    memory = _memory(sim)
    saved_current, saved_value = sim.current, memory.get("utterance")
    failures: list[str] = []
    try:
        for utterance, conv in runs:
            sim.current = conv
            memory["utterance"] = utterance
            try:
                call(inner, sim, None, None)
            except ExpectationFailed as exc:
                failures.append(f'  "{utterance}" ({conv.id}):\n{_indent(str(exc))}')
    finally:
        sim.current = saved_current
        if saved_value is None:
            memory.pop("utterance", None)
        else:
            memory["utterance"] = saved_value
    if failures:
        source = sim.scratch.get(UTTERANCE_SOURCE_KEY, "the utterance list")
        raise ExpectationFailed(
            f"{len(failures)} of {len(runs)} utterances from {source} failed"
            f' "{check}":\n' + "\n".join(failures)
        )
