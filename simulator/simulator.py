"""The ``Simulator``: one explicit object per scenario that owns everything it simulates.

It ties together the virtual clock, the one seeded random generator, the seeded consumer
profiles and the fake cloud, and offers the verbs the step library and the CLI use. Nothing a
scenario changes is module-level (only compiled worlds, which nothing changes, are shared: see
``CompiledWorlds``), so scenarios cannot leak into each other and run safely in parallel.
"""

from __future__ import annotations

import dataclasses
import os
import random
import sys
from collections import OrderedDict
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.clock import DEFAULT_EPOCH, VirtualClock
from simulator.cloud.cloud import Cloud
from simulator.cloud.conversation import Conversation
from simulator.cloud.core import pin_key
from simulator.cloud.faults import Fault, FaultKind
from simulator.consumer import ConsumerModel
from simulator.context_store import ContextStore
from simulator.coverage import Coverage
from simulator.errors import StepError, UnknownNameError
from simulator.groups import GroupRouter
from simulator.tenant.loader import DocumentCache, LoadedTenant, load_tenant, load_tenant_text
from simulator.tenant.schema import Channel, Tenant
from simulator.transcript import EntryKind
from simulator.world import World, build_world

if TYPE_CHECKING:
    from simulator.bots.runtime import BotSession
    from simulator.js.engine import JsRunner
    from simulator.tenant.schema import ApiIntegration

DEFAULT_SEED = 20261123

#: (path, size, modification time in ns) of each file a compiled world was built from.
_Stamps = tuple[tuple[str, int, int], ...]


def _stamps(paths: set[str]) -> _Stamps | None:
    """The stamps of ``paths``, or None when one cannot be read (then nothing is cached)."""
    out = []
    for path in sorted(paths):
        try:
            stat = os.stat(path)
        except OSError:
            return None
        out.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class _RecordingCache(DocumentCache):
    """Passes parses on to the run's shared cache and notes every file parsed, so that a
    compiled world can be keyed by all the files it came from (includes too)."""

    def __init__(self, inner: DocumentCache | None) -> None:
        super().__init__()
        self.inner = inner
        self.paths: set[str] = set()

    def parse(self, path: Path) -> Any:
        self.paths.add(str(path))
        if self.inner is not None:
            return self.inner.parse(path)
        return super().parse(path)


class CompiledWorlds:
    """Compiled worlds of tenant files, shared by the scenarios of a process.

    A suite loads the same tenant file in every scenario, and loading plus compiling it (YAML,
    validation, bot compilation, the linter) was a fifth of a scenario's time. A ``World`` is
    never modified once built (the cloud copies what it changes: agents, connectors, queues),
    so scenarios can share it. An entry is keyed by the tenant path and remembers the stamps
    (size, modification time) of every file it was built from: the file, what it includes,
    the exports it names; any change rebuilds it. Inline tenant text is keyed by its text
    when it reads no other file. Bounded, least recently used first out.
    """

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, ...], tuple[_Stamps, World]] = OrderedDict()
        #: Builds and reuses, for the tests that keep the cache honest.
        self.builds = 0
        self.hits = 0

    def get(self, key: tuple[str, ...]) -> World | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stamps, world = entry
        if _stamps({path for path, _size, _mtime in stamps}) != stamps:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return world

    def put(self, key: tuple[str, ...], files: set[str], world: World) -> None:
        self.builds += 1
        stamps = _stamps(files)
        if stamps is None:
            return
        self._entries[key] = (stamps, world)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


WORLDS = CompiledWorlds()


class _LazyJs:
    """The JavaScript engine's hooks, importing and building it only when code first runs.

    Importing the engine (V8 bindings) costs a noticeable share of a short run's start-up,
    and most tenants have no code at all. The hooks do what ``JsRunner``'s own would
    (``JsRunner._install_hooks``) and hand over to one runner made on first use.
    """

    def __init__(self, cloud: Cloud, store: ContextStore, consumer: ConsumerModel) -> None:
        self.cloud = cloud
        self.store = store
        self.consumer = consumer
        self._runner: JsRunner | None = None

    def runner(self) -> JsRunner:
        if self._runner is None:
            from simulator.js.engine import JsRunner

            self._runner = JsRunner(self.cloud, self.store, install_hooks=False)
            self._runner.api.consumer = self.consumer
        return self._runner

    def run(
        self, conv: Conversation, session: BotSession, code: str, phase: str, interaction: str
    ) -> list[str]:
        return self.runner().run(conv, session, code, phase, interaction)

    def joined(self, conv: Conversation, session: BotSession) -> None:
        if session.bot.definition.global_functions:
            self.runner().joined(conv, session)

    def transform(
        self, conv: Conversation, session: BotSession, integration: ApiIntegration, result: Any
    ) -> Any:
        if not integration.transform:
            return result
        return self.runner().transform(conv, session, integration, result)


def _origin_files(loaded: LoadedTenant) -> set[str]:
    return {o.file for o in loaded.origins.values() if o.file and os.path.isfile(o.file)}


class Simulator:
    """A simulated Conversational Cloud tenant with its own clock and randomness."""

    def __init__(
        self,
        tenant: Tenant | LoadedTenant | None = None,
        *,
        seed: int = DEFAULT_SEED,
        start: datetime = DEFAULT_EPOCH,
        base_dir: Path | None = None,
        faker: Any = None,
        document_cache: DocumentCache | None = None,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = VirtualClock(start)
        self.base_dir = base_dir or Path.cwd()
        # A Faker instance is costly to build; callers may share one, it is reseeded here.
        self._faker: Any = faker
        self._faker_seeded = False
        self.document_cache = document_cache
        self.conversations: list[Conversation] = []
        self.current: Conversation | None = None
        self.cloud: Cloud | None = None
        self.world: World | None = None
        self._pending_pins: dict[str, dict[str, float]] = {}
        self.search_dirs: list[Path] = [self.base_dir]
        self.scratch: dict[Any, Any] = {}
        self._inline_bots: list[dict[str, Any]] = []
        self.chooser: Any = None
        #: Who the consumer is (tenant ``consumer:`` block under the steps' changes).
        self.consumer = ConsumerModel()
        #: What the bots of this simulator exercised (``simulator.coverage``).
        self.coverage = Coverage()
        if tenant is not None:
            self.use_tenant(tenant)

    # -- tenant --------------------------------------------------------------------------
    def load(self, path: str | Path) -> World:
        full = Path(path)
        if not full.is_absolute():
            full = self.base_dir / full
        self._check_not_started()
        key = ("file", str(full))
        world = WORLDS.get(key)
        if world is None:
            recorder = _RecordingCache(self.document_cache)
            loaded = load_tenant(full, recorder)
            world = build_world(loaded)
            WORLDS.put(key, {str(full), *recorder.paths, *_origin_files(loaded)}, world)
        return self._install(world)

    def load_text(self, text: str, name: str = "<inline>") -> World:
        self._check_not_started()
        key = ("text", name, str(self.base_dir), text)
        world = WORLDS.get(key)
        if world is None:
            loaded = load_tenant_text(text, name=name, base_dir=self.base_dir)
            world = build_world(loaded)
            if all(o.file == name for o in loaded.origins.values()):  # no other file read
                WORLDS.put(key, set(), world)
        return self._install(world)

    def _check_not_started(self) -> None:
        if self.cloud is not None and self.conversations:
            raise StepError("load the tenant before the first conversation starts")

    def use_tenant(self, tenant: Tenant | LoadedTenant) -> World:
        self._check_not_started()
        loaded = (
            tenant if isinstance(tenant, LoadedTenant) else LoadedTenant(tenant, {}, self.base_dir)
        )
        return self._install(build_world(loaded))

    def _install(self, world: World) -> World:
        """Build this scenario's cloud (its mutable state) around a compiled world."""
        self.world = world
        # The compiled world may be shared with other scenarios (see CompiledWorlds): the cloud
        # gets its own shallow copy, so a step that replaces a setting (auto-close, B11) or
        # adds a warning changes this scenario only.
        own = dataclasses.replace(world, warnings=list(world.warnings))
        self.cloud = Cloud(own, self.clock, self.rng)
        self.cloud.pins.update(self._pending_pins)
        self.cloud.chooser = self.chooser
        for bot in world.bots.values():
            self.coverage.add_bot(bot)
        self.cloud.coverage = self.coverage
        self.context_store = ContextStore(self.clock)
        self.cloud.context_handler = self.context_store.bot_operation
        self.group_router = GroupRouter(self.cloud)
        self.cloud.group_router = self.group_router.route
        self.consumer.use_tenant(world.consumer)
        # Preset bot variables come first, so __initConversation already sees them.
        self.cloud.session_listeners.insert(0, self.consumer.preset_variables)
        self._install_code_runner()
        return world

    def _install_code_runner(self) -> None:
        assert self.cloud is not None
        if "simulator.js.engine" in sys.modules:  # already paid for: no reason to defer
            from simulator.js.engine import JsRunner

            runner = JsRunner(self.cloud, self.context_store)
            runner.api.consumer = self.consumer
            self.cloud.code_runner = runner.run
            return
        js = _LazyJs(self.cloud, self.context_store, self.consumer)
        self.cloud.code_runner = js.run
        self.cloud.session_listeners.append(js.joined)
        self.cloud.api_transformer = js.transform

    def resolve(self, path: str) -> Path:
        """Find a user file: as given, then in each search folder (feature folder, root)."""
        candidate = Path(path)
        if candidate.is_absolute():
            return candidate
        for folder in self.search_dirs:
            if (folder / candidate).exists():
                return folder / candidate
        return self.search_dirs[0] / candidate

    def add_inline_bot(self, bot: dict[str, Any]) -> None:
        """Add a bot given as data (from a step table); rebuilds the tenant of inline bots."""
        if self.conversations:
            raise StepError("define bots before the first conversation starts")
        if self.world is not None and not self._inline_bots:
            raise StepError("inline bots cannot be mixed with a loaded tenant file")
        self._inline_bots.append(bot)
        import yaml

        self.load_text(yaml.safe_dump({"bots": self._inline_bots}), name="<bots in feature file>")

    def agent_says(self, agent: str, text: str) -> None:
        conv = self.conversation()
        state = self.platform.agent(agent)
        p = conv.participant
        if p is None or p.kind != "agent" or p.agent_id != state.id:
            holder = p.describe() if p else "nobody (it is queued or unassigned)"
            raise StepError(f'agent "{state.name}" does not hold the conversation; {holder} does')
        conv.transcript.add(self.clock.now(), EntryKind.AGENT, state.name, text)
        conv.last_speaker = "agent"
        self.settle()

    @property
    def platform(self) -> Cloud:
        if self.cloud is None:
            raise StepError(
                "no tenant is loaded: start the scenario with a step such as Given the tenant"
                ' "fixtures/bank.yaml" or define a bot inline'
            )
        return self.cloud

    @property
    def faker(self) -> Any:
        if self._faker is None:
            from faker import Faker

            self._faker = Faker("en_US")
        if not self._faker_seeded:
            self._faker.seed_instance(self.seed)
            self._faker_seeded = True
        return self._faker

    # -- conversations -------------------------------------------------------------------
    def open_conversation(
        self,
        *,
        bot: str | None = None,
        skill: str | None = None,
        channel: str = "messaging",
        consumer: dict[str, Any] | None = None,
    ) -> Conversation:
        """Open a conversation; ``consumer`` (a previous conversation's profile) makes it the
        same consumer coming back, otherwise a new seeded profile is drawn."""
        # SMS is a messaging channel that shows text only (R2): rich content as its text version.
        text_only = channel.lower() == "sms"
        try:
            chan = Channel.MESSAGING if text_only else Channel(channel.lower())
        except ValueError:
            raise StepError(
                f'unknown channel "{channel}": expected "chat", "messaging" or "sms"'
            ) from None
        if consumer is None:
            fake = self.faker
            consumer = self.consumer.identity(
                {"name": fake.name(), "email": fake.email(), "id": fake.uuid4()}
            )
        conv = self.platform.open_conversation(
            channel=chan, consumer=consumer, bot=bot, skill=skill
        )
        if text_only:
            conv.text_only = True
            self.platform.log(
                conv,
                EntryKind.CONVERSATION,
                "text-only channel (SMS): rich content is sent as its text version (R2)",
            )
        self.conversations.append(conv)
        self.current = conv
        self.settle()
        return conv

    def conversation(self) -> Conversation:
        if self.current is None:
            raise StepError(
                "no conversation has started: add a step such as When the consumer opens a"
                ' conversation with bot "NAME"'
            )
        return self.current

    def say(self, text: str, *, wait: bool = True) -> None:
        self.platform.consumer_says(self.conversation(), text)
        if wait:
            self.clock.run_until_settled()  # what ``settle`` does

    def settle(self) -> None:
        """Let everything that answers what was just said happen, in virtual time."""
        self.clock.run_until_settled()

    def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)

    def advance_to(self, offset: timedelta) -> None:
        self.clock.advance_to(self.clock.start + offset)

    # -- scenario controls -----------------------------------------------------------------
    def pin_intent(self, text: str, intent: str, score: float) -> None:
        if not 0.0 <= score <= 1.0:
            raise StepError(f"an NLU score is between 0 and 1 (got {score})")
        key = pin_key(text)
        self._pending_pins.setdefault(key, {})[intent] = score
        if self.cloud is not None:
            known = {i for b in self.cloud.world.bots.values() for i in b.intent_names}
            if intent not in known:
                raise UnknownNameError("intent", intent, known)
            self.cloud.pins.setdefault(key, {})[intent] = score

    def fail_transfers(self, skill: str, count: int = 1, *, delay_ms: int = 0) -> None:
        skill_id = self.platform.skill(skill) if skill != "*" else skill
        self.platform.faults.add(skill_id, Fault(FaultKind.FAIL, delay_ms), count)

    def drop_transfers(self, skill: str, count: int = 1) -> None:
        skill_id = self.platform.skill(skill) if skill != "*" else skill
        self.platform.faults.add(skill_id, Fault(FaultKind.DROP), count)

    def fail_transfer_calls(self, skill: str, count: int = 1) -> None:
        skill_id = self.platform.skill(skill) if skill != "*" else skill
        self.platform.faults.add(skill_id, Fault(FaultKind.API_ERROR), count)

    def transcript_text(self, conv: Conversation | None = None) -> str:
        return (conv or self.conversation()).transcript.render()

    def all_transcripts(self) -> str:
        parts = []
        for conv in self.conversations:
            parts.append(f"== {conv.id} ==\n{conv.transcript.render()}")
        return "\n".join(parts)

    def visible(self, conv: Conversation | None = None) -> list[tuple[str, str]]:
        return [(e.actor, e.text) for e in (conv or self.conversation()).transcript.visible()]

    def log_note(self, text: str) -> None:
        if self.current is not None:
            self.platform.log(self.current, EntryKind.WARNING, text)
