"""Group routing looks members up in one index, not members x starters (issue 15).

``GroupRouter.counts`` counts the work: ``messages`` (routed messages),
``member_pattern_checks`` and ``member_intent_scorings`` (members the index named, then
checked as before); ``patterns.STEPS`` counts every regex call. Before the index a message no
member could take cost 14 x 50 pattern checks and 14 scorings in a 15-bot group. A second
part checks the index against brute force: the index may only narrow, never lose, a member
that could take the message (G7 needs every one of them).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
import yaml

from simulator.bots.compiled import CompiledBot
from simulator.group_index import GroupIndex
from simulator.pattern_index import StarterIndex
from simulator.patterns import STEPS, PatternSet, normalise_message
from simulator.simulator import Simulator

N_BOTS = 15
N_STARTERS = 50


def _tenant(patterns_of: list[list[str]], phrases_of: list[list[str]] | None = None) -> str:
    bots = []
    for i, patterns in enumerate(patterns_of):
        phrases = phrases_of[i] if phrases_of else [f"frob{i} gizmo{i}"]
        bots.append(
            {
                "name": f"B{i}",
                "intents": [{"name": f"i{i}", "phrases": phrases}],
                "dialogs": [
                    *(
                        {
                            "name": f"P{k}",
                            "starter": {"patterns": [p]},
                            "interactions": [{"text": f"B{i} P{k}"}],
                        }
                        for k, p in enumerate(patterns)
                    ),
                    {
                        "name": "I",
                        "starter": {"intent": f"i{i}"},
                        "interactions": [{"text": f"B{i} intent"}],
                    },
                    {"name": "F", "type": "fallback", "interactions": [{"text": "sorry"}]},
                ],
            }
        )
    tenant = {
        "skills": [{"id": 100 + i, "name": f"S{i}"} for i in range(len(bots))],
        "bots": bots,
        "connectors": [{"bot": b["name"], "skills": [100 + i]} for i, b in enumerate(bots)],
        "groups": [{"name": "G", "collaboration": True, "members": [b["name"] for b in bots]}],
    }
    return yaml.safe_dump(tenant, sort_keys=False)


def _big_group(n_bots: int = N_BOTS, n_starters: int = N_STARTERS) -> Simulator:
    patterns = [
        [f"order{i}x{k} status*" if k % 2 else f"*topic{i}y{k} please*" for k in range(n_starters)]
        for i in range(n_bots)
    ]
    sim = Simulator()
    sim.load_text(_tenant(patterns))
    return sim


def _route(sim: Simulator, text: str) -> tuple[list[str], Counter[str]]:
    conv = sim.open_conversation(bot="B0")
    assert sim.cloud is not None
    router = sim.group_router
    router.counts.clear()
    # Worlds are cached per tenant text, and a group index remembers its answers per message:
    # start from a fresh index so that the first routing's work is what is counted.
    sim.cloud.world.group_indexes.clear()
    before = STEPS.steps
    found = router.candidates(conv, sim.cloud.world.bots["B0"], text)
    counts = Counter(router.counts)
    counts["regex_calls"] = STEPS.steps - before
    return [m.receiver for m in found], counts


def test_a_message_no_member_takes_costs_one_lookup_and_no_member_checks() -> None:
    sim = _big_group()
    found, counts = _route(sim, "tell me something about the weather")
    assert found == []
    assert counts["messages"] == 1
    assert counts["regex_calls"] == 0  # was 14 x 50 regex matches
    assert counts["member_pattern_checks"] == 0
    assert counts["member_intent_scorings"] == 0  # was 14 scorings


def test_a_hit_checks_only_the_members_that_match() -> None:
    sim = _big_group()
    found, counts = _route(sim, "Order7x3 status please")
    assert found == ["B7"]
    assert counts["regex_calls"] == 1  # only the pattern whose literal the message holds
    assert counts["member_pattern_checks"] == 1
    found, counts = _route(sim, "please frob9 my gizmo9")
    assert found == ["B9"]
    assert counts["regex_calls"] == 0
    assert counts["member_pattern_checks"] == 0
    assert counts["member_intent_scorings"] == 1


@pytest.mark.parametrize(
    # (Not "frob2": the stemmer drops a doubled final character, so B22's "frob22" is "frob2".)
    "text",
    ["tell me something about the weather", "Order7x3 status please", "frob7 gizmo7"],
)
def test_routing_work_does_not_grow_with_bots_and_starters(text: str) -> None:
    # The same message costs the same regex calls, member checks and scorings in a 3-bot
    # group with 10 starters each as in a 15-bot group with 50 each (and 30 x 100).
    costs = []
    for n_bots, n_starters in [(8, 10), (N_BOTS, N_STARTERS), (30, 100)]:
        _found, counts = _route(_big_group(n_bots, n_starters), text)
        costs.append(counts)
    assert costs[0] == costs[1] == costs[2], costs


def test_a_repeated_message_is_routed_from_memory() -> None:
    sim = _big_group()
    _found, first = _route(sim, "Order7x3 status please")
    conv = sim.open_conversation(bot="B0")
    assert sim.cloud is not None
    sim.group_router.counts.clear()
    before = STEPS.steps
    found = sim.group_router.candidates(conv, sim.cloud.world.bots["B0"], "Order7x3 status please")
    assert [m.receiver for m in found] == ["B7"]
    assert first["member_pattern_checks"] == 1
    assert sim.group_router.counts["member_pattern_checks"] == 0
    assert STEPS.steps == before


def test_the_current_bot_tries_only_patterns_whose_literal_the_message_holds() -> None:
    # The current bot's own starter look-up (G2 step 1) is indexed the same way.
    sim = _big_group()
    assert sim.cloud is not None
    bot = sim.cloud.world.bots["B3"]
    assert isinstance(bot.starter_set, StarterIndex)
    # A fresh index: the bot's own remembers answers, and worlds are cached per tenant text.
    starters = StarterIndex(bot.starter_set.patterns)
    for text, expected, calls in [
        ("order3x7 status now", 7, 1),
        ("more on topic3y8 please thanks", 8, 1),
        ("order3x7", None, 0),
        ("nothing here", None, 0),
    ]:
        before = STEPS.steps
        assert starters.first_match(text) == expected, text
        assert STEPS.steps - before == calls, text
        assert starters.first_match(text) == expected, text
        assert STEPS.steps - before == calls, text  # the second time from memory
        assert bot.match_pattern(text) == (None if expected is None else bot.starters[expected])


def test_every_member_that_could_take_the_message_is_found() -> None:
    # Two members share a pattern: both must be reported (G7's order-dependence warning).
    patterns = [["hello*"], ["*weather*"], ["(hi|hello) there*"], ["*hello*"]]
    sim = Simulator()
    sim.load_text(_tenant(patterns))
    found, _ = _route(sim, "hello there, what about the weather")
    assert sorted(found) == ["B1", "B2", "B3"]


# -- the index never loses a member: compared with checking every pattern ------------------

_PATTERNS = [
    "hello",
    "hello*",
    "*hello*",
    "(hi|hello) there*",
    "(a|b) card",
    "*lost* card*",
    "order #*",
    "hi, there?",
    "colou?r",
    "*x*",
    "(bevok|bivok)*",
    "*(i|me)*(want|need)*(agent|human)*",
    "kelvin*",
    "sit*",
    "ion*",
    "*stay* (in|at) *",
    "(*help*|*support*)",
    "what's up*",
    "*a*",
    "caf\u00e9*",
    "straße*",
]
_MESSAGES = [
    "hello",
    "Hello there",
    "HI THERE friend",
    "a card",
    "b  card",
    "I lost my card yesterday",
    "order #123",
    "hi, there?",
    "colou?r",
    "color",
    "x",
    "bivok it",
    "me, I want a human now",
    "\u212aelvin scale",  # Kelvin sign: IGNORECASE equates it with "k"
    "\u017fhello",
    "\u017fit down",  # long s: IGNORECASE equates it with "s"
    "\u0131on",  # dotless i
    "can I stay at the hotel",
    "need help",
    "SUPPORT",
    "What's up?",
    "café au lait",
    "Straße 5",
    "",
    "   ",
    "a" * 3000 + " hello",  # longer than the fused-regex limit
]


def _brute_force(members: tuple[CompiledBot, ...], text: str) -> set[str]:
    return {bot.name for bot in members if any(p.matches(text) for p in bot.starter_set.patterns)}


@pytest.mark.parametrize("split", [1, 3, len(_PATTERNS)])
def test_index_agrees_with_checking_every_pattern(split: int) -> None:
    # Patterns dealt over members in different ways, so some members hold several kinds.
    patterns_of = [_PATTERNS[k::split] for k in range(split)]
    sim = Simulator()
    sim.load_text(_tenant(patterns_of))
    assert sim.cloud is not None
    world = sim.cloud.world
    members = tuple(world.bots[m] for m in world.groups["G"].members)
    index = GroupIndex(members)
    for text in _MESSAGES:
        narrowed = index.pattern_candidates(normalise_message(text))
        if narrowed is not None:  # None is "check them all": every member is checked
            assert set(narrowed) >= _brute_force(members, text), text
        for bot in members:
            # Each member's own index agrees with scanning its patterns in order.
            expected = PatternSet(bot.starter_set.patterns).first_match(text)
            assert bot.starter_set.first_match(text) == expected, (bot.name, text)
            if narrowed is not None and expected is not None:
                assert expected in narrowed[bot.name], (bot.name, text)
    # And routing as a whole finds exactly the members brute force finds.
    conv = sim.open_conversation(bot="B0")
    for text in _MESSAGES:
        found = sim.group_router.candidates(conv, world.bots["B0"], text)
        by_pattern = {m.receiver for m in found if m.intent is None}
        assert by_pattern == _brute_force(members[1:], text), text


def test_index_agrees_on_every_combination_of_word_order() -> None:
    words = ["help", "me", "agent", "card"]
    texts = [" ".join(p) for n in (1, 2, 3) for p in itertools.permutations(words, n)]
    sim = Simulator()
    sim.load_text(_tenant([[p] for p in _PATTERNS]))
    assert sim.cloud is not None
    world = sim.cloud.world
    members = tuple(world.bots[m] for m in world.groups["G"].members)
    index = GroupIndex(members)
    for text in texts:
        narrowed = index.pattern_candidates(normalise_message(text))
        assert narrowed is not None
        assert set(narrowed) >= _brute_force(members, text), text
        for bot in members:
            expected = PatternSet(bot.starter_set.patterns).first_match(text)
            assert bot.starter_set.first_match(text) == expected, (bot.name, text)


def test_intent_index_names_every_member_that_scores() -> None:
    phrases = [["please frob the widget"], ["frob it"], ["widget broken"], ["nothing shared"]]
    sim = Simulator()
    sim.load_text(_tenant([["zzz*"]] * 4, phrases))
    assert sim.cloud is not None
    world = sim.cloud.world
    members = tuple(world.bots[m] for m in world.groups["G"].members)
    index = GroupIndex(members)
    for text in ["frob the widget", "Widget!", "frob", "please", "nothing shared", "??"]:
        scoring = {b.name for b in members if b.intent_model.score(text)}
        assert scoring <= index.intent_members(text), text


def test_the_routing_memory_is_bounded() -> None:
    from simulator.group_index import _MEMO_SIZE, _MEMO_TEXT

    sim = _big_group(3, 4)
    assert sim.cloud is not None
    index = GroupIndex(tuple(sim.cloud.world.bots[m] for m in sim.cloud.world.groups["G"].members))
    counts: Counter[str] = Counter()
    for k in range(_MEMO_SIZE + 10):
        index.takers(f"order1x{k} status", counts)
        assert len(index._memo) <= _MEMO_SIZE
    long_text = "order1x1 status " + "x" * _MEMO_TEXT
    assert set(index.takers(long_text, counts).by_pattern) == {"B1"}
    assert long_text not in index._memo


def test_the_store_order_line_is_made_once_but_follows_an_override() -> None:
    sim = _big_group(4, 2)
    assert sim.cloud is not None
    conv = sim.open_conversation(bot="B0")
    router = sim.group_router
    sender = sim.cloud.world.bots["B0"]
    router.candidates(conv, sender, "hello")
    router.candidates(conv, sender, "hello again")
    router.order_override = ["B3", "B1"]
    router.candidates(conv, sender, "hello")
    lines = [e.text for e in conv.transcript.entries if "store order" in e.text]
    assert lines == [
        'group "G" store order: B0, B1, B2, B3',
        'group "G" store order: B0, B1, B2, B3',
        'group "G" store order: B3, B1, B0, B2',
    ]
