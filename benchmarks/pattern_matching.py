"""Pattern matching time against message size: the linear matcher vs the backtracking regex.

The backtracking regex (``simulator.pattern_parser.to_regex_source``, the executable definition
of the semantics) is only run up to ``--reference-limit`` characters, because beyond that it
takes minutes.

    python benchmarks/pattern_matching.py [--reference-limit 8192]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import perf_counter

from simulator.pattern_parser import to_regex_source
from simulator.patterns import STEPS, compile_pattern, normalise_message

PATTERN = "*(i|me)*(want|need)*(with|to)*(agent|human)*"
SIZES = (4_096, 8_192, 1 << 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference-limit", type=int, default=4_096)
    args = parser.parse_args()
    linear = compile_pattern(PATTERN)
    reference = re.compile(to_regex_source(PATTERN), re.IGNORECASE | re.DOTALL)
    print(f"pattern {PATTERN!r}, message 'i want i want ...' (no match)")
    for size in SIZES:
        text = ("i want " * (size // 7 + 1))[:size]
        before = STEPS.steps
        start = perf_counter()
        result = linear.matches(text)
        took = perf_counter() - start
        line = f"{size:>8} chars: linear {took * 1000:8.2f} ms ({STEPS.steps - before} scans)"
        if size <= args.reference_limit:
            start = perf_counter()
            expected = reference.fullmatch(normalise_message(text)) is not None
            line += f", backtracking regex {perf_counter() - start:8.2f} s"
            assert result is expected
        print(line)


if __name__ == "__main__":
    main()
