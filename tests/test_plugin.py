"""Tests of the pytest plugin itself, through pytester (a user's project in a temp folder)."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

TENANT = textwrap.dedent(
    """
    skills: [{id: 1, name: Front}, {id: 2, name: A}, {id: 3, name: B}]
    bots:
      - name: Front
        dialogs:
          - name: Fallback
            type: fallback
            interactions:
              - text: "Front fallback."
      - name: Alpha
        dialogs:
          - name: Shoes
            starter: {patterns: ["*shoes*"]}
            interactions:
              - text: "Alpha handles shoes."
      - name: Beta
        dialogs:
          - name: Shoes
            starter: {patterns: ["*shoes*"]}
            interactions:
              - text: "Beta handles shoes."
    connectors:
      - {bot: Front, skills: [1]}
      - {bot: Alpha, skills: [2]}
      - {bot: Beta, skills: [3]}
    groups:
      - {name: Shop, collaboration: true, members: [Front, Alpha, Beta]}
    """
)


def _project(pytester: pytest.Pytester, feature: str) -> None:
    pytester.makefile(".yaml", tenant=TENANT)
    pytester.makefile(".feature", demo=textwrap.dedent(feature))
    pytester.makepyfile(test_demo="from pytest_bdd import scenarios\nscenarios('demo.feature')\n")


def test_a_project_needs_no_conftest(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: shoes go to a group member
            Given the tenant "tenant.yaml"
            When the consumer opens a conversation with bot "Front"
            And the consumer says "new shoes"
            Then the bot replies "Alpha handles shoes."
        """,
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)


def test_undefined_step_suggests_the_nearest_steps(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: typo
            Given the tenant "tenant.yaml"
            When the consumer open a conversation with bot "Front"
        """,
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '*undefined step "When the consumer open a conversation with bot "Front""*demo.feature:4*',
            "*nearest steps*",
            '*the consumer opens a conversation with bot "Routing"*',
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_failure_report_shows_the_step_and_the_transcript(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: wrong expectation
            Given the tenant "tenant.yaml"
            When the consumer opens a conversation with bot "Front"
            And the consumer says "new shoes"
            Then the bot replies "Gamma handles shoes."
        """,
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*step failed: *demo.feature:6: Then the bot replies*",
            '*expected the bot to reply "Gamma handles shoes."*',
            "*simulator transcript*",
            "*Alpha: Alpha handles shoes.*",
        ]
    )


def test_unknown_bot_names_the_nearest(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: unknown bot
            Given the tenant "tenant.yaml"
            When the consumer opens a conversation with bot "Alfa"
        """,
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['*unknown bot "Alfa": did you mean "Alpha"?*'])


ORDER_FEATURE = """
Feature: demo
  @all-orders
  Scenario: depends on the store order
    Given the tenant "tenant.yaml"
    When the consumer opens a conversation with bot "Front"
    And the consumer says "new shoes"
    Then the bot replies "Alpha handles shoes."
"""


def test_all_orders_mode_fails_a_scenario_that_depends_on_the_order(
    pytester: pytest.Pytester,
) -> None:
    _project(pytester, ORDER_FEATURE)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*depends on the order*fails in 1 of 2 outcomes*",
            '*FAILED*"Beta"*',
        ]
    )


def test_without_all_orders_the_same_scenario_passes_in_store_order(
    pytester: pytest.Pytester,
) -> None:
    _project(pytester, ORDER_FEATURE.replace("@all-orders", "@plain"))
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    result = pytester.runpytest("-p", "no:randomly", "--sim-all-orders")
    result.assert_outcomes(failed=1)


def test_seed_option_and_ini(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: consumer names come from the seed
            Given the tenant "tenant.yaml"
            When the consumer opens a conversation with bot "Front"
            Then the transcript is saved as JSON to "out.json"
        """,
    )
    names = []
    for args in (["--sim-seed", "1"], ["--sim-seed", "1"], ["--sim-seed", "2"]):
        pytester.runpytest("-p", "no:randomly", *args).assert_outcomes(passed=1)
        names.append((pytester.path / "out.json").read_text())
    assert names[0] == names[1]
    assert names[0] != names[2]


def test_real_time_comes_back_after_scenarios(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Feature: demo
          Scenario: a long wait
            Given the tenant "tenant.yaml"
            When the consumer opens a conversation with bot "Front"
            And 90 days pass
            Then the clock's datetime now is "2026-04-05T09:00:00+00:00"
        """,
    )
    pytester.makepyfile(
        test_zz_plain="""
        import datetime, time

        def test_real_clock():
            before = datetime.datetime.now()
            time.sleep(0.01)
            assert datetime.datetime.now() > before
            assert abs(time.time() - datetime.datetime.now().timestamp()) < 5
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)
    # The session's own duration is measured in real time, not virtual time.
    result.stdout.re_match_lines([r".*2 passed in \d+\.\d+s\s*=*$"])
    assert "days" not in result.stdout.lines[-1]
