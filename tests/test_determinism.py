"""Transcripts do not depend on test order or on parallel execution.

Runs the project's feature suite (``features/`` through ``tests/test_features.py``) three times
in subprocesses: in two different random orders (pytest-randomly, seeds 1 and 2) and split over
two xdist workers. Every run writes each scenario's transcript with ``--sim-transcripts``; the
three folders must hold the same files with byte-identical contents.

It costs about three runs of the feature suite (a few seconds) and runs in every test run,
CI included.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from child_env import child_env

ROOT = Path(__file__).resolve().parents[1]
FEATURE_TESTS = "tests/test_features.py"

RUNS: dict[str, list[str]] = {
    "random-order-seed-1": ["-p", "randomly", "--randomly-seed=1"],
    "random-order-seed-2": ["-p", "randomly", "--randomly-seed=2"],
    "xdist-2-workers": ["-p", "no:randomly", "-n", "2"],
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def _first_diff(name: str, a_label: str, a: bytes, b_label: str, b: bytes) -> str:
    lines = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(),
        b.decode("utf-8", "replace").splitlines(),
        f"{a_label}/{name}",
        f"{b_label}/{name}",
        lineterm="",
    )
    return "\n".join(list(lines)[:60])


def test_transcripts_identical_across_orders_and_workers(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if not (ROOT / FEATURE_TESTS).exists() or not (ROOT / "features").is_dir():
        pytest.skip("no feature suite in this checkout")
    procs: dict[str, tuple[subprocess.Popen[str], Path]] = {}
    for label, flags in RUNS.items():
        out_dir = tmp_path / label
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            FEATURE_TESTS,
            "-q",
            "-p",
            "no:cacheprovider",
            *flags,
            f"--sim-transcripts={out_dir}",
        ]
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        procs[label] = (proc, out_dir)

    outputs: dict[str, str] = {}
    codes: dict[str, int] = {}
    for label, (proc, _) in procs.items():
        out, _ = proc.communicate(timeout=600)
        outputs[label], codes[label] = out, proc.returncode

    for label, code in codes.items():
        # 0: all passed, 1: some scenario failed (reported by test_features itself); anything
        # else (usage error, internal error, nothing collected) means the comparison is void.
        assert code in (0, 1), f"run {label} exited with {code}:\n{outputs[label][-4000:]}"
    assert len(set(codes.values())) == 1, (
        "runs disagree on the outcome: "
        + ", ".join(f"{label} exited {code}" for label, code in codes.items())
        + "".join(f"\n--- {label} ---\n{outputs[label][-2000:]}" for label in codes)
    )

    labels = list(RUNS)
    reference_label = labels[0]
    reference = _files(procs[reference_label][1])
    assert reference, (
        f"run {reference_label} wrote no transcript (no scenario opened a conversation?):\n"
        + outputs[reference_label][-2000:]
    )
    for label in labels[1:]:
        other = _files(procs[label][1])
        missing = sorted(set(reference) - set(other))
        extra = sorted(set(other) - set(reference))
        assert not missing and not extra, (
            f"transcript files differ between {reference_label} and {label}:"
            f" only in {reference_label}: {missing}; only in {label}: {extra}"
        )
        for name, content in reference.items():
            if other[name] != content:
                pytest.fail(
                    f"transcript {name} differs between {reference_label} and {label}"
                    f" (first difference):\n"
                    + _first_diff(name, reference_label, content, label, other[name]),
                    pytrace=False,
                )
