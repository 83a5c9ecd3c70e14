"""``simulator walk FILE...``: conformance, measured (issue 13 item 8).

Walks every path of each export (``simulator.walk``) and prints, per export, its dialogs and
interactions total, reached and clean, with each remaining error and why; ``--json`` prints the
same as data, ``--markdown OUT`` writes the conformance report (docs/conformance.md).
Exit 1 when an error is left that the walk cannot explain (a simulator gap), else 0.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.errors import UserError
from simulator.files import check_output_path, write_output_text

if TYPE_CHECKING:
    from simulator.walk import ExportWalk

EXIT_OK = 0
EXIT_GAPS = 1


class WalkInputError(UserError):
    """A FILE given to ``simulator walk`` that is not a Conversation Builder export."""


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], fmt: type[argparse.HelpFormatter]
) -> None:
    walk = sub.add_parser(
        "walk",
        help="walk every path of exported bots: interactions reached and clean",
        description=(
            "Start each dialog by its starter, answer every question by each of its rules,\n"
            "tap every offered choice (API integrations stubbed from their fields) and report\n"
            "per export the interactions reached and those that ran without an error."
        ),
        epilog="exit codes: 0 every error explained, 1 an error the walk cannot explain,\n"
        "2 a file that is not an export.",
        formatter_class=fmt,
    )
    walk.add_argument("files", metavar="FILE", nargs="+", help="Conversation Builder exports")
    walk.add_argument("--json", action="store_true", help="print the result as JSON")
    walk.add_argument("--markdown", metavar="OUT", help="write the conformance report here")
    walk.add_argument("--max-paths", type=int, default=300, help="paths per export (300)")
    walk.add_argument("--max-depth", type=int, default=10, help="actions per path (10)")


def add_crawl_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], fmt: type[argparse.HelpFormatter]
) -> None:
    crawl = sub.add_parser(
        "crawl",
        help="write feature files for the walk's paths of an export",
        description=(
            "Walk the export (as simulator walk) and write one readable feature file per path\n"
            "that ends, replaying it with the bot's replies as Then steps. Deterministic: the\n"
            "same export gives the same files; re-crawl after changing the bot to see a diff."
        ),
        formatter_class=fmt,
    )
    crawl.add_argument("file", metavar="EXPORT", help="a Conversation Builder export")
    crawl.add_argument("--out", required=True, help="folder for the feature files")
    crawl.add_argument("--max-paths", type=int, default=300, help="paths walked (300)")
    crawl.add_argument("--max-features", type=int, default=50, help="files written (50)")


def crawl_command(args: argparse.Namespace) -> int:
    from simulator.files import check_output_dir
    from simulator.walk import crawl_features

    path = Path(args.file)
    if not path.is_file():
        raise WalkInputError(f"{args.file}: no such export file")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    check_output_dir(out, what="--out")
    files, caps = crawl_features(
        path, out, max_paths=args.max_paths, max_features=args.max_features
    )
    for name, text in files:
        write_output_text(out / name, text, what="feature file")
    print(f"{len(files)} feature files written to {out}")
    for cap in caps:
        print(f"cap: {cap}")
    return EXIT_OK


def walk_command(args: argparse.Namespace) -> int:
    # Imported here: building the parser must not load the runtime (see cli/__init__).
    from simulator.walk import markdown_report, walk_export

    walks: list[ExportWalk] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise WalkInputError(f"{name}: no such export file")
        walks.append(walk_export(path, max_paths=args.max_paths, max_depth=args.max_depth))
    if args.markdown:
        out = check_output_path(args.markdown, what="conformance report")
        write_output_text(out, markdown_report(walks), what="conformance report")
    if args.json:
        print(json.dumps([w.to_dict() for w in walks], indent=2, sort_keys=True))
    else:
        for w in walks:
            print(_summary(w))
    return EXIT_GAPS if any(w.unexplained for w in walks) else EXIT_OK


def _summary(w: ExportWalk) -> str:
    from simulator.walk import explain

    lines = [
        f"{w.file} ({w.bot}): {w.dialogs} dialogs, {len(w.interactions)} interactions,"
        f" {len(w.reached)} reached, {len(w.clean)} clean ({w.paths} paths)"
    ]
    lines += [f"  cap: {c}" for c in w.caps]
    if w.not_modelled:
        lines.append(
            f"  not modelled (R3): {len(w.not_modelled)} messages carry changeResponse or"
            " cancelResponse (undocumented)"
        )
    for key, errors in sorted(w.errors.items()):
        for e in errors:
            lines.append(f"  error in {key}: {e}")
            lines.append(f"    why: {explain(e) or 'not explained: a simulator gap'}")
    for e in w.unattributed:
        lines.append(f"  error outside any interaction: {e}")
    for key in w.unreached:
        lines.append(f"  not reached: {key}: {w.why_unreached(key)}")
    return "\n".join(lines)
