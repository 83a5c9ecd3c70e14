"""A bot's intent scores for one message and its single top intent (B7).

Kept apart from the session because the cloud's group routing scores bots that have no session
yet; both ask the same two functions so the ranking is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.bots.compiled import CompiledBot
from simulator.nlu import IntentScore, level_for


def score_intents(
    bot: CompiledBot,
    text: str,
    pinned: dict[str, float] | None,
    *,
    starters_only: bool = True,
) -> list[IntentScore]:
    """A bot's intent scores for a message; pinned scores, when given, replace the scorer."""
    if pinned is None:
        model = bot.intent_model if starters_only else bot.all_intents_model
        return model.score(text)
    engine = bot.definition.nlu_engine
    allowed = set(bot.intent_dialogs) if starters_only else set(bot.intent_names)
    scores = [
        IntentScore(name, score, level_for(score, engine))
        for name, score in pinned.items()
        if name in allowed
    ]
    return sorted(scores, key=lambda s: (-s.score, s.intent))


def top_intent(bot: CompiledBot, scores: Sequence[IntentScore]) -> IntentScore:
    """The single top intent: highest score, then the intent listed first in the bot (B7)."""
    if len(scores) == 1:
        return scores[0]
    position = bot.intent_position
    unlisted = len(bot.intent_names)

    def rank(s: IntentScore) -> tuple[float, int]:
        return -s.score, position.get(s.intent, unlisted)

    return min(scores, key=rank)
