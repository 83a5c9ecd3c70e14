"""Write every transcript of the feature suite to a folder, to prove a refactoring changed nothing.

Run it once before a restructuring and once after, then compare the two folders byte for byte:

    python benchmarks/transcript_snapshot.py /tmp/before      # on the starting commit
    python benchmarks/transcript_snapshot.py /tmp/after       # on the restructured commit
    diff -r /tmp/before /tmp/after && echo identical

Three views of the same runs are written, all with a fixed seed and in file order
(``-p no:randomly``, no xdist):

- ``pytest-text/``: the plugin's ``--sim-transcripts`` output, one text file per scenario;
- ``pytest-json/``: every conversation's JSON transcript (``Transcript.to_json``), one file per
  scenario and conversation, collected by a small in-process plugin after each scenario;
- ``cli-text/``: ``simulator run features --transcripts DIR``, the command line's own files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = "20261123"


def _safe(nodeid: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in nodeid)


class _JsonTranscripts:
    """After each scenario, write each conversation's JSON transcript under ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, Any, None]:
        yield
        from simulator.pytest_plugin.plugin import SIM_KEY

        sim = item.stash.get(SIM_KEY, None)
        if sim is None:
            return
        self.target.mkdir(parents=True, exist_ok=True)
        for index, conv in enumerate(sim.conversations):
            text = conv.transcript.to_json()
            (self.target / f"{_safe(item.nodeid)}__{index:03d}.json").write_text(
                text + "\n", encoding="utf-8"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (must not exist)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    os.chdir(ROOT)
    if out.exists():
        parser.error(f"{out} already exists; give a new folder")
    code = pytest.main(
        [
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-o",
            f"sim_seed={SEED}",
            f"--rootdir={ROOT}",
            "--sim-transcripts",
            str(out / "pytest-text"),
            str(ROOT / "tests" / "test_features.py"),
        ],
        plugins=[_JsonTranscripts(out / "pytest-json")],
    )
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "run",
            "features",
            "--seed",
            SEED,
            "--transcripts",
            str(out / "cli-text"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    files = sorted(p for p in out.rglob("*") if p.is_file())
    print(f"pytest exit {int(code)}, cli exit {cli.returncode}, {len(files)} files in {out}")
    return int(code) or cli.returncode


if __name__ == "__main__":
    sys.exit(main())
