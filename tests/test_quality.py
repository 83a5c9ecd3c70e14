"""The package stays typed (mypy --strict) and lint-clean (ruff), checked in every test run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    if shutil.which(name) is None and not (Path(sys.executable).parent / name).exists():
        pytest.fail(f"{name} is not installed: install the test extra (pip install -e '.[test]')")
    return [sys.executable, "-m", name]


def test_mypy_strict_on_the_package() -> None:
    run = subprocess.run(
        [*_tool("mypy"), "simulator"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "simulator", "tests", "benchmarks"],
        ["format", "--check", "simulator", "tests", "benchmarks"],
    ],
)
def test_ruff(args: list[str]) -> None:
    run = subprocess.run(
        [*_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
