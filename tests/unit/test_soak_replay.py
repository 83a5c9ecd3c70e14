"""A soak conversation that breaks an invariant prints its seed and becomes a scenario.

The invariant is injected through the documented hook (``--invariant MODULE:FUNC``, or the
``invariants`` parameter of ``run_soak``): a test-only one that no conversation may break, "the
bot is never told an escalation failed", which chaos faults do break.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.cloud.cloud import Cloud
from simulator.cloud.conversation import Conversation
from simulator.invariants import InvariantViolation
from simulator.soak import SoakFailure, actions_for, run_soak, shrink, violation_of
from simulator.transcript import EntryKind

PLUGIN = "soak_test_checks:no_failure_message"


def no_failure_message(cloud: Cloud, conv: Conversation) -> None:
    for e in conv.transcript.of_kind(EntryKind.PLATFORM):
        if "__agent_escalation_failed__" in e.text:
            raise InvariantViolation(f"{conv.id}: the bot was told an escalation failed")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test-only invariant as an importable module, here and in `simulator run`."""
    (tmp_path / "soak_test_checks.py").write_text(
        textwrap.dedent(
            """
            from simulator.invariants import InvariantViolation
            from simulator.transcript import EntryKind


            def no_failure_message(cloud, conv):
                for e in conv.transcript.of_kind(EntryKind.PLATFORM):
                    if "__agent_escalation_failed__" in e.text:
                        raise InvariantViolation(f"{conv.id}: the bot was told an escalation failed")
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_broken_seed_is_replayed_shrunk_saved_and_fails_the_same_way(
    plugin: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    args = ["soak", "--conversations", "300", "--seed", "3", "--invariant", PLUGIN]
    assert main(args) == 1
    err = capfd.readouterr().err
    assert f"invariant violated ({PLUGIN})" in err
    found = re.search(r"^seed (\d+): replay it with simulator soak --replay", err, re.M)
    assert found is not None
    seed = found.group(1)

    replay = ["soak", "--replay", seed, "--invariant", PLUGIN, "--save", "bug.feature"]
    assert main(replay) == 1
    out = capfd.readouterr().out
    sizes = re.search(r"shrunk from (\d+) to (\d+) actions", out)
    assert sizes is not None
    original, shrunk = int(sizes.group(1)), int(sizes.group(2))
    assert original == len(actions_for(int(seed)))
    assert shrunk < original

    saved = (plugin / "bug.feature").read_text(encoding="utf-8")
    steps = [
        line
        for line in saved.splitlines()
        if line.startswith(("    When ", "    And ")) and "1 day passes" not in line
    ]
    assert len(steps) == shrunk
    assert any("the next transfer to skill" in s or "drops the next" in s for s in steps)
    assert f'Then the simulator\'s invariants hold with "{PLUGIN}"' in saved

    assert main(["run", "bug.feature", "-q"]) == 1
    run_out = capfd.readouterr().out
    assert f"invariant '{PLUGIN}' broken" in run_out

    # Deterministic: the same replay writes the same file.
    assert main([*replay[:-1], "again.feature"]) == 1
    capfd.readouterr()
    assert (plugin / "again.feature").read_text(encoding="utf-8") == saved


def test_python_api_reports_the_seed_and_shrinks_to_a_minimal_failure() -> None:
    with pytest.raises(SoakFailure) as caught:
        run_soak(300, 3, invariants=[no_failure_message])
    failure = caught.value
    assert failure.seed is not None
    assert failure.name.endswith(":no_failure_message")
    actions = actions_for(failure.seed)
    shrunk = shrink(actions, failure.name, [no_failure_message])
    assert len(shrunk) < len(actions)
    again = violation_of(shrunk, [no_failure_message])
    assert again is not None and again.name == failure.name
    # 1-minimal: dropping any one action after "open" makes the violation go away.
    for i in range(1, len(shrunk)):
        fewer = shrunk[:i] + shrunk[i + 1 :]
        still = violation_of(fewer, [no_failure_message])
        assert still is None or still.name != failure.name


def test_a_seed_that_holds_replays_clean_and_bad_options_are_usage_errors(
    plugin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["soak", "--replay", "3000000"]) == 0
    assert "every invariant holds" in capsys.readouterr().out
    assert main(["soak", "--save", "x.feature"]) == 2
    assert "--save needs --replay SEED" in capsys.readouterr().err
    assert main(["soak", "--replay", "1", "--invariant", "nope"]) == 2
    assert "expected MODULE:FUNCTION" in capsys.readouterr().err
    assert main(["soak", "--replay", "1", "--invariant", "soak_test_checks:absent"]) == 2
    assert "has no function absent" in capsys.readouterr().err
    (plugin / "taken.feature").write_text("x\n", encoding="utf-8")
    assert main(["soak", "--replay", "1", "--save", "taken.feature"]) == 2
    assert (plugin / "taken.feature").read_text(encoding="utf-8") == "x\n"
