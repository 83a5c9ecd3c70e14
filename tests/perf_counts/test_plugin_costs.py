"""What the pytest plugin costs per process and per scenario, counted, not timed (issue 15).

* Start-up: importing the plugin (what pytest does in every process, the xdist controller
  included, through the ``pytest11`` entry point) must not import what only some runs need: the
  JavaScript engine, Faker, the HTML report, the Conversation Builder export importer. Checked in
  a fresh interpreter by looking at ``sys.modules``.
* Per scenario: a finished scenario's simulator is let go (pytest keeps every item to the end
  of the session, so one kept in the item's stash piles up); a Gherkin tag is registered as a
  marker once per name, not once per tagged scenario.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytest_plugins = ["pytester"]

#: Modules a run needs only when a feature uses them; none may come with the plugin's import.
NOT_AT_START_UP = (
    "py_mini_racer",
    "mini_racer",
    "simulator.js.engine",
    "faker",
    "hypothesis",
    "simulator.report.html",
    "simulator.report.transcript_html",
    "simulator.report.coverage_html",
    "simulator.cb_export",
    "simulator.cb_export.importer",
    "simulator.cb_export.exporter",
    "simulator.soak",
    "simulator.cli",
)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import simulator
    bare = sorted(m for m in sys.modules if m.startswith(("simulator.", "pydantic")))
    import simulator.pytest_plugin.plugin
    print(json.dumps({"bare": bare, "plugin": sorted(sys.modules)}))
    """
)


def _modules_after_import() -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    loaded: dict[str, list[str]] = json.loads(out)
    return loaded


def test_the_plugin_imports_no_optional_machinery_at_start_up() -> None:
    loaded = _modules_after_import()
    plugin = set(loaded["plugin"])
    assert "simulator.pytest_plugin.plugin" in plugin  # the check looks at the right process
    assert "simulator.steps.library" in plugin
    assert sorted(m for m in NOT_AT_START_UP if m in plugin) == []


def test_importing_the_package_does_not_build_the_engine() -> None:
    # ``import simulator.x`` runs simulator/__init__.py first; it must stay light.
    bare = _modules_after_import()["bare"]
    assert "simulator.simulator" not in bare
    assert not [m for m in bare if m.startswith("pydantic")]
    assert "simulator.errors" in bare


def test_the_package_still_exports_simulator() -> None:
    import simulator
    from simulator.simulator import Simulator

    assert simulator.Simulator is Simulator
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        simulator.Nope  # noqa: B018


TENANT = textwrap.dedent(
    """
    skills: [{id: 1, name: Front}]
    bots:
      - name: Echo
        dialogs:
          - name: Hi
            starter: {patterns: ["hi*"]}
            interactions:
              - text: "Hello!"
    connectors:
      - {bot: Echo, skills: [1]}
    """
)

SCENARIO = """
  @smoke @rule-b6
  Scenario: Echo {n}
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "hi"
    Then the bot replies "Hello!"
"""

#: Counts, at the end of the session, what the plugin left behind.
CONFTEST = """
from simulator.pytest_plugin.keys import SIM_KEY


def pytest_terminal_summary(terminalreporter):
    session = terminalreporter._session
    kept = sum(1 for item in session.items if SIM_KEY in item.stash)
    markers = terminalreporter.config.getini("markers")
    smoke = sum(1 for line in markers if line.startswith("smoke:"))
    rule = sum(1 for line in markers if line.startswith("rule_b6:"))
    terminalreporter.write_line(f"COUNTS kept={kept} smoke={smoke} rule_b6={rule}")
"""


def test_scenarios_release_their_simulator_and_tags_register_once(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", tenant=TENANT)
    scenarios = "".join(SCENARIO.format(n=n) for n in range(4))
    pytester.makefile(".feature", demo=f"Feature: demo\n{scenarios}")
    pytester.makepyfile(test_demo="from pytest_bdd import scenarios\nscenarios('demo.feature')\n")
    pytester.makeconftest(CONFTEST)
    result = pytester.runpytest("-p", "no:randomly", "--strict-markers", "-m", "smoke")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["COUNTS kept=0 smoke=1 rule_b6=1"])
