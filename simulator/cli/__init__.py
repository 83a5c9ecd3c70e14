"""The ``simulator`` command: run features, check tenants, list steps, chat with a bot.

Exit codes (documented in docs/cli.md):

* 0: everything passed / the tenant is clean;
* 1: a scenario failed, or ``check --strict`` found warnings;
* 2: a usage or input error (bad option, missing file, tenant that does not load); the error is
  one line ``error: <message>`` on stderr, never a traceback;
* 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator.cli.chat_help import CHAT_HELP
from simulator.errors import UserError

if TYPE_CHECKING:
    from simulator.invariants import ConversationInvariant

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_DESCRIPTION = """\
Deterministic simulator and Gherkin test harness for LivePerson Conversation Builder bots.

Everything runs on a virtual clock against a fake Conversational Cloud: transfers, failures,
timeouts and bot groups, repeatable byte for byte for a given seed."""

_EPILOG = """\
commands in a nutshell:
  simulator run                       run every scenario under features/
  simulator run features/x.feature --tags "smoke and not slow" -n auto
  simulator check fixtures/bank.yaml  load a tenant file and print best-practice warnings
  simulator show bot-export.json      a bot's dialogs, interactions, rules and integrations
  simulator walk bot-export.json      every path of an export: interactions reached and clean
  simulator crawl bot-export.json --out features/generated/   a feature file per path
  simulator steps --format markdown   the step catalogue (docs/steps.md)
  simulator schema -o tenant.schema.json
  simulator chat fixtures/bank.yaml --bot Routing

exit codes:
  0    all scenarios passed / the tenant is clean
  1    a scenario failed / warnings with check --strict
  2    usage or input error (printed as "error: ..." on stderr)
  130  interrupted

Run "simulator COMMAND --help" for the options of a command."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'expected a whole number, got "{text}"') from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _workers(text: str) -> str:
    if text == "auto" or text == "logical":
        return text
    return str(_positive_int(text))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulator",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    run = sub.add_parser(
        "run",
        help="run feature files (scenarios) through pytest with the simulator plugin",
        description=(
            "Run Gherkin feature files with pytest-bdd and the simulator's step library.\n\n"
            "No test module is needed: the folder may hold only .feature files and tenant\n"
            'fixtures. Relative paths in steps (Given the tenant "fixtures/bank.yaml") are\n'
            "looked up next to the feature file first, then in the current folder."
        ),
        epilog=(
            "examples:\n"
            "  simulator run\n"
            "  simulator run features/transfers --seed 7 --transcripts out/\n"
            '  simulator run --tags "t3 or f1" -n auto\n'
            "  simulator run features/x.feature -- -x --tb=short   (extra pytest options)\n\n"
            "exit codes: 0 all passed, 1 a scenario failed, 2 usage/input error or nothing\n"
            "to run (no scenario matched the tags)."
        ),
        formatter_class=_Formatter,
    )
    run.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="feature files or folders (searched recursively); default: features/",
    )
    run.add_argument("--seed", type=_positive_int, metavar="N", help="seed of every random choice")
    run.add_argument(
        "--tags",
        metavar="EXPR",
        help='only scenarios whose tags match, e.g. "smoke and not slow" (the @ is optional)',
    )
    run.add_argument(
        "-n",
        "--workers",
        type=_workers,
        metavar="N|auto",
        help="run scenarios in N parallel processes (needs pytest-xdist)",
    )
    run.add_argument("--transcripts", metavar="DIR", help="write each scenario's transcript to DIR")
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no per-scenario progress, only the summary"
    )
    run.add_argument(
        "--cov", action="store_true", help="print the bots' coverage (dialogs, rules...) at the end"
    )
    run.add_argument("--cov-json", metavar="PATH", help="write the bots' coverage as JSON to PATH")
    run.add_argument(
        "--cov-fail-under",
        type=float,
        metavar="PERCENT",
        help="exit 1 when the bots' coverage is below PERCENT",
    )

    check = sub.add_parser(
        "check",
        help="load a tenant file and print best-practice warnings",
        description=(
            "Load a tenant file (with its includes and bot exports), check its cross\n"
            "references and print best-practice warnings as FILE:LINE: warning CODE: message\n"
            "lines, which editors and CI annotate."
        ),
        epilog="exit codes: 0 clean (or warnings without --strict), 1 warnings with --strict,\n"
        "2 the file does not load (printed as FILE:LINE: error: message).",
        formatter_class=_Formatter,
    )
    check.add_argument("tenant", metavar="TENANT", help="tenant file (YAML or JSON)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default text)"
    )

    show = sub.add_parser(
        "show",
        help="print a bot's table of contents (export or tenant file)",
        description=(
            "Print each bot's dialogs, starters (patterns, intents), interactions with their\n"
            "types and next steps, choices, rules, integrations and transfer targets."
        ),
        formatter_class=_Formatter,
    )
    show.add_argument("file", metavar="FILE", help="a Conversation Builder export or a tenant file")

    from simulator.cli.walk import add_crawl_parser
    from simulator.cli.walk import add_parser as add_walk

    add_walk(sub, _Formatter)
    add_crawl_parser(sub, _Formatter)

    steps = sub.add_parser(
        "steps",
        help="print the step catalogue",
        description="Print every step of the library, grouped by section, with an example.",
        epilog="simulator steps --format markdown > docs/steps.md regenerates the catalogue.",
        formatter_class=_Formatter,
    )
    steps.add_argument(
        "--format",
        choices=["text", "markdown", "vscode", "pycharm", "json"],
        default="text",
        help="output format (default text); vscode and pycharm write step patterns for"
        " editor completion (README, Editor support)",
    )
    steps.add_argument(
        "--steps-from",
        action="append",
        metavar="PATH",
        help="also list the steps a project registers with simulator.steps.step in this"
        " conftest.py (or every conftest.py under this folder); repeatable",
    )

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of tenant files (for editor validation)",
        description=(
            "Print the JSON Schema of tenant files. Point the VS Code YAML extension at it\n"
            "with a first line  # yaml-language-server: $schema=tenant.schema.json"
        ),
        formatter_class=_Formatter,
    )
    schema.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )

    chat = sub.add_parser(
        "chat",
        help="talk to a bot of a tenant in the terminal",
        description=(
            "An interactive conversation against the fake cloud. Type what the consumer says;\n"
            "lines starting with / are commands (/help lists them). Works with a pipe too:\n"
            "  printf 'hi\\nAnn\\n/save bug.feature\\n' | simulator chat t.yaml --bot Routing"
        ),
        epilog=CHAT_HELP
        + "\n\n/save writes the session as a scenario: a bug report becomes a regression test.",
        formatter_class=_Formatter,
    )
    chat.add_argument("tenant", metavar="TENANT", help="tenant file (YAML or JSON)")
    who = chat.add_mutually_exclusive_group(required=True)
    who.add_argument("--bot", metavar="NAME", help="open the conversation with this bot")
    who.add_argument("--skill", metavar="ID", help="open the conversation on this skill")
    chat.add_argument(
        "--channel",
        choices=["chat", "messaging", "sms"],
        default="messaging",
        help="channel of the conversation (default messaging; sms shows text only)",
    )
    chat.add_argument("--seed", type=_positive_int, metavar="N", help="seed of random choices")

    soak = sub.add_parser(
        "soak",
        help="run many seeded conversations and check the simulator's invariants",
        description=(
            "Generate conversations with faker through a built-in tenant with transfers,\n"
            "a chaos failure profile and a bot group; check every conversation against the\n"
            "simulator's invariants and print a summary. Not part of the test run."
        ),
        formatter_class=_Formatter,
    )
    soak.add_argument(
        "--conversations",
        type=_positive_int,
        default=100_000,
        metavar="N",
        help="how many conversations (default 100000)",
    )
    soak.add_argument("--seed", type=_positive_int, default=1, metavar="N", help="seed (default 1)")
    soak.add_argument(
        "--replay",
        type=_positive_int,
        metavar="SEED",
        help="replay the one conversation a violation printed, shrunk to the fewest actions",
    )
    soak.add_argument(
        "--save",
        metavar="FILE.feature",
        help="with --replay: write the shrunk conversation as a regression scenario",
    )
    soak.add_argument(
        "--invariant",
        action="append",
        default=[],
        metavar="MODULE:FUNC",
        help="an extra invariant, called with (cloud, conversation); may repeat",
    )
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("cb-simulator")
    except Exception:  # pragma: no cover - not installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``simulator`` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        args_list, extra = args_list[:cut], args_list[cut + 1 :]
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help, --version or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if extra and args.command != "run":
        print(
            f'error: only "run" takes extra pytest arguments after "--" (got {" ".join(extra)})',
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return _dispatch(args, extra)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _dispatch(args: argparse.Namespace, extra: list[str]) -> int:
    command: str = args.command
    if command == "run":
        from simulator.cli.run import run_command

        return run_command(args, extra)
    if command == "check":
        from simulator.cli.check import check_command

        return check_command(args)
    if command == "show":
        from simulator.cli.show import show_command

        return show_command(args)
    if command == "walk":
        from simulator.cli.walk import walk_command

        return walk_command(args)
    if command == "crawl":
        from simulator.cli.walk import crawl_command

        return crawl_command(args)
    if command == "steps":
        from simulator.cli.catalogue import steps_command

        return steps_command(args)
    if command == "schema":
        from simulator.cli.catalogue import schema_command

        return schema_command(args)
    if command == "chat":
        from simulator.cli.chat import chat_command

        return chat_command(args)
    if command == "soak":
        return _soak_command(args)
    raise AssertionError(f"unhandled command {command}")  # pragma: no cover


def _soak_command(args: argparse.Namespace) -> int:
    import time

    from simulator.invariants import load_invariant
    from simulator.soak import SoakFailure, run_soak

    started = time.perf_counter()
    plugins: list[str] = list(args.invariant)
    try:
        invariants = [load_invariant(p) for p in plugins]
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.replay is not None:
        return _soak_replay(args.replay, args.save, plugins, invariants)
    if args.save is not None:
        print("error: --save needs --replay SEED", file=sys.stderr)
        return EXIT_USAGE

    def progress(done: int) -> None:
        if done % 10_000 == 0 or done == args.conversations:
            print(f"  {done} conversations", file=sys.stderr)

    try:
        summary = run_soak(args.conversations, args.seed, progress=progress, invariants=invariants)
    except SoakFailure as exc:
        print(f"invariant violated ({exc.name}): {exc}", file=sys.stderr)
        if exc.seed is not None:
            again = "".join(f" --invariant {p}" for p in plugins)
            print(
                f"seed {exc.seed}: replay it with simulator soak --replay {exc.seed}{again}"
                " --save bug.feature",
                file=sys.stderr,
            )
        return EXIT_FAILED
    print(summary.render())
    print(f"seed {args.seed}, {time.perf_counter() - started:.1f}s")
    return EXIT_OK


def _soak_replay(
    seed: int, save: str | None, plugins: list[str], invariants: list[ConversationInvariant]
) -> int:
    """Replay one soak conversation alone; shrink it and save it when it breaks an invariant."""
    from simulator.files import check_output_path
    from simulator.soak import actions_for, feature_text, shrink, violation_of

    target = None
    if save is not None:
        if not save.endswith(".feature"):
            print(f'error: --save "{save}": the file name must end with .feature', file=sys.stderr)
            return EXIT_USAGE
        try:
            target = check_output_path(save, what="--save", overwrite=False)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    actions = actions_for(seed)
    violation = violation_of(actions, invariants)
    if violation is None:
        print(f"seed {seed}: {len(actions)} actions, every invariant holds when replayed alone")
        return EXIT_OK
    shrunk = shrink(actions, violation.name, invariants)
    final = violation_of(shrunk, invariants) or violation
    print(f"seed {seed}: invariant violated ({final.name}): {final}")
    print(f"shrunk from {len(actions)} to {len(shrunk)} actions:")
    for action in shrunk:
        print(f"  {action.step()}")
    if target is not None:
        target.write_text(feature_text(seed, shrunk, final, plugins), encoding="utf-8")
        print(f"saved to {save}; run it with: simulator run {save}")
    return EXIT_FAILED


__all__ = [
    "CHAT_HELP",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
]
