"""A project's own steps next to the library (README, "Your own steps"), through pytester.

Every run here is a subprocess: a conftest registers its steps on the library's registry, and
this test process must not keep them (docs/steps.md is generated from the same registry)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TENANT = """\
bots:
  - name: Shop
    dialogs:
      - name: Welcome
        starter: {patterns: ["(hi|hello)*"]}
        interactions:
          - text: "Hello VIP!"
"""

CONFTEST = '''\
from pytest_bdd import parsers, then

from simulator import Simulator
from simulator.steps import step


@step("the consumer is a VIP", example="Given the consumer is a VIP", section="Shop")
def consumer_is_vip(sim: Simulator) -> None:
    """Flag the consumer as a VIP in our CRM stub."""
    sim.scratch["vip"] = True


@step("the basket holds {count:int} items")
def basket_holds(sim: Simulator, count: str) -> None:
    """A project step with a number; it reaches the simulator like a library step."""
    assert sim.scratch.get("vip") is True
    if int(count) != len(sim.conversations):
        raise AssertionError(f"basket {count} != {len(sim.conversations)}")


@then(parsers.parse("the shop has {n:d} conversation"))
def plain_pytest_bdd_step(sim: Simulator, n: int) -> None:
    assert len(sim.conversations) == n
'''


def _project(pytester: pytest.Pytester, scenario: str) -> None:
    pytester.makefile(".yaml", tenant=TENANT)
    pytester.makeconftest(CONFTEST)
    pytester.makefile(
        ".feature",
        demo="Feature: demo\n  Scenario: s\n" + textwrap.indent(textwrap.dedent(scenario), "    "),
    )
    pytester.makepyfile(test_demo="from pytest_bdd import scenarios\nscenarios('demo.feature')\n")


def test_project_steps_run_next_to_library_and_plain_pytest_bdd_steps(
    pytester: pytest.Pytester,
) -> None:
    _project(
        pytester,
        """
        Given the tenant "tenant.yaml"
        And the consumer is a VIP
        And I remember "hi" as "greeting"
        When the consumer opens a conversation with bot "Shop"
        And the consumer says "$greeting"
        Then the bot replies "Hello VIP!"
        And the basket holds 1 items
        And the shop has 1 conversation
        """,
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1)


def test_a_failing_project_step_fails_the_scenario(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Given the tenant "tenant.yaml"
        And the consumer is a VIP
        When the consumer opens a conversation with bot "Shop"
        Then the basket holds 3 items
        """,
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*basket 3 != 1*"])


def test_project_steps_are_suggested_for_an_undefined_step(pytester: pytest.Pytester) -> None:
    _project(
        pytester,
        """
        Given the tenant "tenant.yaml"
        And the consumer is a VIPP
        """,
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*nearest steps*", "*Given the consumer is a VIP*"])


def test_project_steps_appear_in_the_catalogue_with_steps_from(pytester: pytest.Pytester) -> None:
    _project(pytester, 'Given the tenant "tenant.yaml"\n')
    command = [sys.executable, "-m", "simulator", "steps", "--steps-from", "conftest.py"]
    done = subprocess.run(command, cwd=pytester.path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Shop\n====" in text and "Project steps\n=============" in text
    assert "  the consumer is a VIP\n" in text and "Flag the consumer as a VIP" in text
    assert "  the basket holds <count> items\n" in text
    assert "      Given the basket holds 2 items\n" in text  # the default example
    without = subprocess.run(
        [sys.executable, "-m", "simulator", "steps"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "the consumer is a VIP" not in without.stdout
    vscode = subprocess.run(
        [*command, "--format", "vscode"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Given(/^the consumer is a VIP$/);" in vscode.stdout
    # A folder means every conftest.py below it, except in hidden and installed-package folders.
    for skipped in (".venv/lib", "venv/lib/site-packages/pkg"):
        (pytester.path / skipped).mkdir(parents=True)
        (pytester.path / skipped / "conftest.py").write_text("raise RuntimeError('imported')\n")
    folder = subprocess.run(
        [sys.executable, "-m", "simulator", "steps", "--steps-from", "."],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert folder.returncode == 0, folder.stderr
    assert "  the consumer is a VIP\n" in folder.stdout


def test_steps_from_a_missing_file_is_a_clear_error(pytester: pytest.Pytester) -> None:
    command = [sys.executable, "-m", "simulator", "steps", "--steps-from", "nope.py"]
    done = subprocess.run(command, cwd=pytester.path, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "--steps-from nope.py: expected a Python file" in done.stderr
    assert "Traceback" not in done.stderr


README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_block(section: str, name: str) -> str:
    """The fenced block that follows the line naming ``name`` in a README section."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(rf"`{re.escape(name)}`[^\n]*:?\n\n( *)```\w+\n(.*?)\n\1```", body, re.S)
    assert found, f"README section {section!r} has no block for {name}"
    return textwrap.dedent(found.group(2))


def test_the_readme_example_of_own_steps_runs_as_written(pytester: pytest.Pytester) -> None:
    files = {
        "fixtures/shop.yaml": _readme_block("Five-minute tutorial", "fixtures/shop.yaml"),
        "conftest.py": _readme_block("Your own steps", "conftest.py"),
        "features/vip.feature": _readme_block("Your own steps", "features/vip.feature"),
        "tests/test_features.py": 'from pytest_bdd import scenarios\nscenarios("../features")\n',
    }
    for name, body in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:randomly", "tests")
    result.assert_outcomes(passed=1)
