"""The JavaScript engine is imported only when a bot's code first runs (issue 15).

Checked in a fresh interpreter, by looking at ``sys.modules`` (the work avoided), not at a
clock. The same run checks that code still runs, and that the global functions and API
transform hooks reach the engine that is built on first use.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

TENANT = {
    "skills": [{"id": "11", "name": "Front"}],
    "connectors": [{"bot": "Js", "skills": ["11"]}, {"bot": "Plain", "skills": ["11"]}],
    "bots": [
        {
            "name": "Js",
            "global_functions": "function shout(t) { return t.toUpperCase() + '!'; }",
            "dialogs": [
                {
                    "name": "Run",
                    "starter": {"patterns": ["run*"]},
                    "interactions": [
                        {
                            "name": "step",
                            "text": "ok",
                            "pre_process": 'botContext.sendMessage(shout("hey"));',
                        }
                    ],
                }
            ],
        },
        {
            "name": "Plain",
            "dialogs": [
                {
                    "name": "Hi",
                    "starter": {"patterns": ["hi*"]},
                    "interactions": [{"text": "Hello"}],
                }
            ],
        },
    ],
}

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from simulator.simulator import Simulator

    tenant = json.loads(sys.argv[1])
    sim = Simulator()
    sim.load_text(json.dumps(tenant))
    sim.open_conversation(bot="Plain")
    sim.say("hi")
    print("after plain:", "simulator.js.engine" in sys.modules, sim.visible()[-1][1])
    sim2 = Simulator()
    sim2.load_text(json.dumps(tenant))
    sim2.open_conversation(bot="Js")
    sim2.say("run")
    print("after code:", "simulator.js.engine" in sys.modules, [t for _, t in sim2.visible()])
    """
)


def test_engine_is_imported_only_when_code_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(TENANT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.splitlines()
    assert out[0] == "after plain: False Hello"
    assert out[1] == "after code: True ['HEY!', 'ok']"
