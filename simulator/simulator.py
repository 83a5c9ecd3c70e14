"""The ``Simulator``: one explicit object per scenario that owns everything it simulates.

It ties together the virtual clock, the one seeded random generator, the seeded consumer
profiles and the fake cloud, and offers the verbs the step library and the CLI use. Nothing is
module-level, so scenarios cannot leak into each other and run safely in parallel.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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

DEFAULT_SEED = 20261123


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
        return self.use_tenant(load_tenant(full, self.document_cache))

    def load_text(self, text: str, name: str = "<inline>") -> World:
        return self.use_tenant(load_tenant_text(text, name=name, base_dir=self.base_dir))

    def use_tenant(self, tenant: Tenant | LoadedTenant) -> World:
        if self.cloud is not None and self.conversations:
            raise StepError("load the tenant before the first conversation starts")
        loaded = (
            tenant if isinstance(tenant, LoadedTenant) else LoadedTenant(tenant, {}, self.base_dir)
        )
        world = build_world(loaded)
        self.world = world
        self.cloud = Cloud(world, self.clock, self.rng)
        self.cloud.pins.update(self._pending_pins)
        self.cloud.chooser = self.chooser
        for bot in world.bots.values():
            self.coverage.add_bot(bot)
        self.cloud.coverage = self.coverage
        self.context_store = ContextStore(self.clock)
        self.cloud.context_handler = self.context_store.bot_operation
        self.group_router = GroupRouter(self.cloud)
        self.cloud.group_router = self.group_router.route
        self.consumer.use_tenant(loaded.tenant.consumer)
        # Preset bot variables come first, so __initConversation already sees them.
        self.cloud.session_listeners.insert(0, self.consumer.preset_variables)
        self._install_code_runner()
        return world

    def _install_code_runner(self) -> None:
        from simulator.js.engine import JsRunner

        assert self.cloud is not None
        runner = JsRunner(self.cloud, self.context_store)
        runner.api.consumer = self.consumer
        self.cloud.code_runner = runner.run

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
            self.settle()

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
