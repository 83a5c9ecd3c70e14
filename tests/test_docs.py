"""Generated docs stay in step with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_step_catalogue_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    committed = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")
    assert generated == committed, (
        "docs/steps.md is out of date: run `simulator steps --format markdown > docs/steps.md`"
    )
