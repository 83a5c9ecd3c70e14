"""Seeded consumer identities (name, email, id) drawn by Faker, remembered per seed.

Every conversation a scenario opens gets a fake identity whose name every transcript shows, so
the draws must stay exactly Faker's: the k-th identity of a scenario is the k-th draw of an
``en_US`` Faker seeded with the scenario's seed. Drawing one costs about 0.2 ms, more than the
rest of a short scenario's own work, and every scenario of a suite runs under the same seed, so
every scenario drew the same first identities again. ``ProfileDraws`` draws each (seed, k) once
per process and hands out copies.

The sequence of one seed is a chain: the k-th draw starts from the generator's state after the
(k-1)-th. The cache keeps, per seed, the first ``prefix`` identities and the generator state
after the last of them; a simulator that opens more conversations carries on from that state
with its own ``ProfileCursor`` (saving the state after each draw, so cursors that take turns on
the one shared Faker never disturb each other). Both bounds keep memory flat: a soak run with a
new seed per conversation, or one scenario with 100,000 conversations, stores at most
``seeds`` x ``prefix`` identities.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

#: What one identity holds (the keys a conversation's consumer gets from Faker).
Profile = dict[str, str]


def _draw(faker: Any) -> Profile:
    return {"name": faker.name(), "email": faker.email(), "id": faker.uuid4()}


class ProfileDraws:
    """The first identities of each seed's sequence, drawn once per process."""

    def __init__(self, *, prefix: int = 8, seeds: int = 32) -> None:
        self.prefix = prefix
        self.seeds = seeds
        self._faker: Any = None
        #: seed -> (identities drawn so far, generator state after the last of them)
        self._drawn: OrderedDict[int, tuple[list[Profile], Any]] = OrderedDict()
        #: Identities actually drawn from Faker (for the tests that keep this cached).
        self.draws = 0

    def faker(self) -> Any:
        """The process's one ``en_US`` Faker (importing and building it costs ~0.1 s)."""
        if self._faker is None:
            from faker import Faker

            self._faker = Faker("en_US")
        return self._faker

    def get(self, seed: int, index: int) -> tuple[Profile | None, Any]:
        """The ``index``-th identity of ``seed`` (a copy) when it is or can be cached, else
        (None, the generator state after the cached ones, or None when it is not known)."""
        entry = self._drawn.get(seed)
        if entry is None:
            if index == 0:
                return self._extend(seed, [], None), None
            return None, None
        profiles, state = entry
        self._drawn.move_to_end(seed)
        if index < len(profiles):
            return dict(profiles[index]), None
        if index == len(profiles) and index < self.prefix:
            return self._extend(seed, profiles, state), None
        return None, state if index == len(profiles) else None

    def draw(self, seed: int, state: Any) -> tuple[Profile, Any]:
        """One identity drawn from ``state`` (None: from a fresh seed); the state after it."""
        faker = self.faker()
        self.draws += 1
        faker.seed_instance(seed)
        if state is not None:
            faker.random.setstate(state)
        profile = _draw(faker)
        return profile, faker.random.getstate()

    def _extend(self, seed: int, profiles: list[Profile], state: Any) -> Profile:
        profile, after = self.draw(seed, state)
        self._drawn[seed] = ([*profiles, profile], after)
        self._drawn.move_to_end(seed)
        while len(self._drawn) > self.seeds:
            self._drawn.popitem(last=False)
        return dict(profile)

    def clear(self) -> None:
        self._drawn.clear()


#: The process's cache (like ``simulator.CompiledWorlds``: derived data nothing changes).
PROFILES = ProfileDraws()


class ProfileCursor:
    """One simulator's place in its seed's sequence of identities."""

    def __init__(self, seed: int, draws: ProfileDraws = PROFILES) -> None:
        self.seed = seed
        self.draws = draws
        #: Identities handed out so far.
        self.count = 0
        #: The generator state after the last identity, once past the cached ones.
        self._state: Any = None

    def next(self) -> Profile:
        if self._state is None:
            profile, state = self.draws.get(self.seed, self.count)
            if profile is not None:
                self.count += 1
                return profile
            # Past the cached identities: carry on from the state after them (replayed from
            # the seed in the rare case that the cache has forgotten this seed meanwhile).
            self._state = state if state is not None else self._replay_state()
        profile, self._state = self.draws.draw(self.seed, self._state)
        self.count += 1
        return profile

    def faker(self) -> Any:
        """The shared Faker, seeded and placed right after the identities handed out so far
        (what a fresh Faker seeded with ``seed`` would give next)."""
        faker = self.draws.faker()
        faker.seed_instance(self.seed)
        state = self._state
        if state is None and self.count:
            # Within the cached prefix: the state after it is that of the count-th draw.
            state = self._replay_state()
        if state is not None:
            faker.random.setstate(state)
        return faker

    def _replay_state(self) -> Any:
        state = None
        for _ in range(self.count):
            _profile, state = self.draws.draw(self.seed, state)
        return state
