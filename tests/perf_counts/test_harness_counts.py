"""What the pytest plugin does per scenario, counted, not timed (issue 15).

A short scenario's own work is a fraction of a millisecond, so the plugin must not add work
that grows with the suite: freezegun is started only when code that may read ``datetime.now()``
runs (never for the library's own steps, once per session otherwise), a seed's consumer
identity is drawn from Faker once per process, and a finished scenario's simulator is let go
(pytest keeps every test item until the session ends). Each suite runs in a subprocess, so the
freezegun patch and the project steps it registers stay out of this process.
"""

from __future__ import annotations

import json
import textwrap

import pytest

pytest_plugins = ["pytester"]

TENANT = """\
skills: [{id: 1, name: Front}]
connectors: [{bot: Echo, skills: [1]}]
bots:
  - name: Echo
    dialogs:
      - name: Hi
        starter: {patterns: ["hi*"]}
        interactions: [{text: "Hello!"}]
"""

LIBRARY_SCENARIO = """\
  Scenario: Library steps {n}
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "hi"
    Then the bot replies "Hello!"
"""

#: Records what the counts tests read, at the end of the session.
COUNTING_CONFTEST = """\
import gc
import json

from simulator.profiles import PROFILES
from simulator.pytest_plugin.keys import FREEZE_KEY
from simulator.simulator import Simulator

DRAWS = PROFILES.draws


def pytest_sessionfinish(session):
    freeze = session.config.stash.get(FREEZE_KEY, None)
    gc.collect()
    with open("counts.json", "w") as out:
        json.dump(
            {
                "freezegun_starts": freeze.starts if freeze is not None else 0,
                "faker_draws": PROFILES.draws - DRAWS,
                "simulators_alive": sum(isinstance(o, Simulator) for o in gc.get_objects()),
            },
            out,
        )
"""

USER_STEPS = """\
from datetime import datetime

from pytest_bdd import then

from simulator.steps import step


@then("a user step sees the virtual clock")
def user_step(sim):
    assert datetime.now() == sim.clock.now().replace(tzinfo=None)


@step("a project step sees the virtual clock")
def project_step(sim):
    assert datetime.now() == sim.clock.now().replace(tzinfo=None)
"""


def _run(pytester: pytest.Pytester, feature: str, conftest: str = "") -> dict[str, int]:
    pytester.makefile(".yaml", tenant=TENANT)
    pytester.makefile(".feature", counted="Feature: Counted\n" + feature)
    pytester.makeconftest(COUNTING_CONFTEST + conftest)
    pytester.makepyfile(
        test_counted="from pytest_bdd import scenarios\nscenarios('counted.feature')\n",
        test_zz_plain=textwrap.dedent(
            """\
            import datetime


            def test_a_plain_test_sees_real_time():
                assert datetime.datetime.__name__ == "datetime"  # not freezegun's FakeDatetime
            """
        ),
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=feature.count("Scenario:") + 1)
    counts: dict[str, int] = json.loads((pytester.path / "counts.json").read_text("utf-8"))
    return counts


def test_library_steps_never_start_freezegun_and_share_one_identity(
    pytester: pytest.Pytester,
) -> None:
    feature = "".join(LIBRARY_SCENARIO.format(n=n) for n in range(5))
    counts = _run(pytester, feature)
    assert counts == {"freezegun_starts": 0, "faker_draws": 1, "simulators_alive": 0}


def test_steps_that_may_read_the_clock_start_freezegun_once_a_session(
    pytester: pytest.Pytester,
) -> None:
    feature = (
        LIBRARY_SCENARIO.format(n=0)
        + """\
  Scenario: A user step
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Echo"
    And 2 hours pass
    Then a user step sees the virtual clock
    When the consumer says "hi"
    Then a user step sees the virtual clock

  Scenario: A project step after library steps moved the clock
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Echo"
    And 3 minutes pass
    Then a project step sees the virtual clock
    And the clock's datetime now is "2026-01-05T09:03:00+00:00"
"""
        + LIBRARY_SCENARIO.format(n=1)
    )
    counts = _run(pytester, feature, USER_STEPS)
    assert counts == {"freezegun_starts": 1, "faker_draws": 1, "simulators_alive": 0}


def test_a_scenario_function_with_a_body_and_a_plain_test_with_sim_see_virtual_time(
    pytester: pytest.Pytester,
) -> None:
    """Code outside steps that may read the clock: the body of an ``@scenario`` function (after
    the library's steps moved the clock) and a plain test that asks for ``sim``."""
    pytester.makefile(".yaml", tenant=TENANT)
    pytester.makefile(
        ".feature",
        body=textwrap.dedent(
            """\
            Feature: Body
              Scenario: Steps then a body
                Given the tenant "tenant.yaml"
                When the consumer opens a conversation with bot "Echo"
                And 5 minutes pass
            """
        ),
    )
    pytester.makepyfile(
        test_body=textwrap.dedent(
            """\
            from datetime import datetime, timedelta

            from pytest_bdd import scenario


            @scenario("body.feature", "Steps then a body")
            def test_body(sim):
                assert datetime.now() == sim.clock.now().replace(tzinfo=None)
                assert sim.clock.elapsed() == timedelta(minutes=5)


            def test_plain(sim):
                sim.load("tenant.yaml")
                sim.open_conversation(bot="Echo")
                sim.say("hi")
                assert datetime.now() == sim.clock.now().replace(tzinfo=None)
            """
        ),
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
