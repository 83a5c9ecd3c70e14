"""`simulator check` warns (R3) about bot code calling botContext functions the simulator does
not model or that are not documented (js.context_api.unsupported_calls), before any run."""

from __future__ import annotations

from simulator.lint import lint_world
from simulator.tenant.loader import load_tenant_text
from simulator.world import build_world

TENANT = """
bots:
  - name: B
    global_functions: "function f() { return botContext.askMaven(); }"
    dialogs:
      - name: D
        starter: {patterns: [hi]}
        interactions:
          - name: i
            text: x
            pre_process: "botContext.getUserLocaton();"
          - text: y
            post_process: "botContext.sendMessage('ok');"
"""


def test_unsupported_code_calls_are_r3_warnings() -> None:
    warnings = [w for w in lint_world(build_world(load_tenant_text(TENANT))) if w.code == "R3"]
    messages = [w.message for w in warnings]
    assert messages == [
        'bot "B", global functions: botContext.askMaven() is not modelled: Conversation'
        " Orchestrator is not part of the fake cloud",
        'bot "B", dialog "D", interaction "i", preProcessMessage: botContext.getUserLocaton() is'
        ' not a documented botContext function (did you mean "getUserLocation" or'
        ' "getUserChannel" or "getUserPlatformId"?)',
    ]
    assert all(w.bot == "B" for w in warnings)
