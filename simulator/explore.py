"""Running a scenario under every outcome of its order-dependent choices (G7).

The real platform does not guarantee the store's order of group bots, and breaks intent ties at
random. A scenario that passes under one outcome can fail in production under another, so this
module replays a scenario's steps on fresh simulators, steering each recorded choice to every
alternative in turn (depth first), and reports the choices under which it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from simulator.cloud.conversation import Conversation

#: A scenario with more outcomes than this is reported as too branchy instead of run forever.
MAX_RUNS = 256


@dataclass
class ScriptedChooser:
    """Picks the scripted index for each choice point, then the first candidate."""

    script: list[int]
    made: list[tuple[str, list[str], int]] = field(default_factory=list)

    def __call__(self, conv: Conversation, reason: str, candidates: Sequence[str]) -> int:
        position = len(self.made)
        pick = self.script[position] if position < len(self.script) else 0
        pick = min(pick, len(candidates) - 1)
        self.made.append((reason, list(candidates), pick))
        return pick


@dataclass
class Outcome:
    choices: list[tuple[str, list[str], int]]
    error: BaseException | None

    def describe(self) -> str:
        if not self.choices:
            return "no order-dependent choice"
        return "; ".join(
            f'{reason}: "{cands[pick]}" of {cands}' for reason, cands, pick in self.choices
        )


def explore(run: Callable[[ScriptedChooser], None]) -> list[Outcome]:
    """Run ``run`` once per distinct sequence of choices; return every outcome."""
    outcomes: list[Outcome] = []
    pending: list[list[int]] = [[]]
    while pending:
        if len(outcomes) >= MAX_RUNS:
            raise RuntimeError(f"more than {MAX_RUNS} distinct outcomes; reduce the overlap")
        script = pending.pop()
        chooser = ScriptedChooser(list(script))
        error: BaseException | None = None
        try:
            run(chooser)
        except Exception as exc:  # the scenario's own failure is the result we want
            error = exc
        outcomes.append(Outcome(chooser.made, error))
        picks = [pick for _, _, pick in chooser.made]
        for position in range(len(script), len(chooser.made)):
            _, candidates, pick = chooser.made[position]
            for alternative in range(pick + 1, len(candidates)):
                pending.append([*picks[:position], alternative])
    return outcomes
