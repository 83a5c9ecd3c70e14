"""Question rules and their variable conditions: whether an answer matches, how a rule is named.

These are decisions about one rule and one answer, with nothing to remember between turns, so
they are plain functions; the session logs what they decided and follows the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from simulator.bots.compiled import CompiledRule
from simulator.bots.variables import condition_holds
from simulator.nlu import IntentScore, MatchLevel

#: Renders a template for an interaction (``BotSession.render``).
Render = Callable[[str, str], str]
#: Every intent's score for an answer (``BotSession.score_intents`` over all intents).
Scorer = Callable[[str], Sequence[IntentScore]]


def conditions_hold(
    rule: CompiledRule, where: str, render: Render, variables: Mapping[str, str]
) -> bool:
    """A rule's variable conditions: a plain name is a bot variable, anything with braces
    a template; ``any`` needs one to hold, ``all`` every one (none: true)."""
    results = []
    for c in rule.rule.conditions:
        template = c.name if "{" in c.name else None
        left = render(template, where) if template else variables.get(c.name, "")
        results.append(condition_holds(c.op, left, render(c.value, where)))
    return any(results) if rule.rule.conditions_match == "any" else all(results)


def rule_matches(rule: CompiledRule, text: str, scores: Scorer) -> bool:
    """Whether an answer matches a rule: its exclusion, then patterns, regex, exact answers or
    a GOOD intent; an API result rule never matches an answer."""
    r = rule.rule
    if rule.exclude is not None and rule.exclude.search(text) is not None:
        return False
    if rule.patterns is not None:
        return rule.patterns.first_match(text) is not None
    if rule.regex is not None:
        return rule.regex.search(text) is not None
    if r.exact is not None:
        return text.strip().lower() in rule.exact
    if r.api_result is not None:
        return False
    if r.intent is not None:
        return any(s.intent == r.intent and s.level >= MatchLevel.GOOD for s in scores(text))
    return False


def describe_rule(rule: CompiledRule) -> str:
    """A rule without a name, named by what it matches (for the transcript)."""
    r = rule.rule
    for key in ("pattern", "regex", "exact", "intent", "api_result"):
        value = getattr(r, key)
        if value is not None:
            return f"{key} {value!r}"
    return "no match"
