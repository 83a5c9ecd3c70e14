"""Group routing looks members up in one index, not members x starters (issue 15).

``GroupRouter.counts`` counts the work: ``index_lookups`` (one per routed message),
``pattern_tries`` (single pattern regexes the index selected), ``member_pattern_checks`` and
``member_intent_scorings`` (members the index named, then checked as before). Before the
index a message no member could take cost 14 x 50 pattern checks and 14 scorings in a
15-bot group. A second part checks the index against brute force: the index may only
narrow, never lose, a member that could take the message (G7 needs every one of them).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
import yaml

from simulator.bots.compiled import CompiledBot
from simulator.groups import GroupIndex, group_index
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


def _big_group() -> Simulator:
    patterns = [
        [f"order{i}x{k} status*" if k % 2 else f"*topic{i}y{k} please*" for k in range(N_STARTERS)]
        for i in range(N_BOTS)
    ]
    sim = Simulator()
    sim.load_text(_tenant(patterns))
    return sim


def _route(sim: Simulator, text: str) -> tuple[list[str], Counter[str]]:
    conv = sim.open_conversation(bot="B0")
    assert sim.cloud is not None
    router = sim.group_router
    router.counts.clear()
    found = router.candidates(conv, sim.cloud.world.bots["B0"], text)
    return [m.receiver for m in found], Counter(router.counts)


def test_a_message_no_member_takes_costs_one_lookup_and_no_member_checks() -> None:
    sim = _big_group()
    found, counts = _route(sim, "tell me something about the weather")
    assert found == []
    assert counts["index_lookups"] == 1
    assert counts["pattern_tries"] == 0  # was 14 x 50 regex matches
    assert counts["member_pattern_checks"] == 0
    assert counts["member_intent_scorings"] == 0  # was 14 scorings


def test_a_hit_checks_only_the_members_that_match() -> None:
    sim = _big_group()
    found, counts = _route(sim, "Order7x3 status please")
    assert found == ["B7"]
    assert counts["index_lookups"] == 1
    assert counts["pattern_tries"] <= 3
    assert counts["member_pattern_checks"] == 1
    found, counts = _route(sim, "please frob9 my gizmo9")
    assert found == ["B9"]
    assert counts["member_pattern_checks"] == 0
    assert counts["member_intent_scorings"] == 1


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
    index = group_index(members)
    for text in _MESSAGES:
        narrowed = index.pattern_members(text, Counter())
        expected = _brute_force(members, text)
        if narrowed is None:  # "check them all": the router then checks every member
            continue
        assert narrowed == expected, text


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
        assert index.pattern_members(text, Counter()) == _brute_force(members, text), text


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
