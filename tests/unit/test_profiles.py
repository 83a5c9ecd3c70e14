"""Cached consumer identities are exactly Faker's draws (issue 15).

``simulator.profiles`` draws each (seed, k) identity once per process instead of once per
scenario; transcripts show the names, so every identity handed out must be the one a fresh
``en_US`` Faker seeded the same way gives, whatever the cache holds or has forgotten.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from simulator.profiles import PROFILES, ProfileCursor, ProfileDraws
from simulator.simulator import Simulator

TENANT = """\
skills: [{id: 1, name: S}]
connectors: [{bot: B, skills: [1]}]
bots:
  - name: B
    dialogs:
      - {name: F, type: fallback, interactions: [{text: "?"}]}
"""


def _fresh(seed: int, count: int) -> list[dict[str, Any]]:
    faker = Faker("en_US")
    faker.seed_instance(seed)
    return [
        {"name": faker.name(), "email": faker.email(), "id": faker.uuid4()} for _ in range(count)
    ]


def test_a_cursor_gives_fakers_sequence_within_and_past_the_cache() -> None:
    draws = ProfileDraws(prefix=2, seeds=4)
    for seed in (1, 20261123):
        cursor = ProfileCursor(seed, draws)
        assert [cursor.next() for _ in range(5)] == _fresh(seed, 5)
    # A second simulator of the same seed takes the cached ones without drawing them again.
    before = draws.draws
    again = ProfileCursor(1, draws)
    assert [again.next() for _ in range(2)] == _fresh(1, 2)
    assert draws.draws == before


def test_interleaved_cursors_and_a_forgetful_cache_keep_each_sequence() -> None:
    draws = ProfileDraws(prefix=1, seeds=1)  # every other seed evicts the one before
    cursors = {seed: ProfileCursor(seed, draws) for seed in (3, 4, 5)}
    got: dict[int, list[dict[str, str]]] = {seed: [] for seed in cursors}
    for _ in range(3):
        for seed, cursor in cursors.items():
            got[seed].append(cursor.next())
    for seed in cursors:
        assert got[seed] == _fresh(seed, 3)


def test_handed_out_copies_cannot_change_the_cache() -> None:
    draws = ProfileDraws()
    first = ProfileCursor(7, draws).next()
    first["name"] = "changed"
    assert ProfileCursor(7, draws).next() == _fresh(7, 1)[0]


def test_simulator_faker_continues_after_the_identities_drawn() -> None:
    sim = Simulator(seed=11)
    sim.load_text(TENANT)
    sim.open_conversation(bot="B")
    faker = Faker("en_US")
    faker.seed_instance(11)
    expected_first = faker.name()
    faker.email()
    faker.uuid4()
    assert sim.conversation().consumer["name"] == expected_first
    # What step code draws next is what a fresh seeded Faker draws next, and the identity of
    # a later conversation continues the same sequence.
    assert sim.faker.name() == faker.name()
    sim.open_conversation(bot="B")
    assert sim.conversation().consumer["name"] == faker.name()


def test_every_scenario_of_a_seed_draws_its_first_identity_once() -> None:
    first = Simulator(seed=12)
    first.load_text(TENANT)
    first.open_conversation(bot="B")
    before = PROFILES.draws
    for _ in range(5):
        sim = Simulator(seed=12)
        sim.load_text(TENANT)
        sim.open_conversation(bot="B")
        assert sim.conversation().consumer == first.conversation().consumer
    assert PROFILES.draws == before
