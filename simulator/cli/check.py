"""``simulator check TENANT``: load a tenant, print lint warnings as FILE:LINE lines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from simulator.errors import FixtureError, UserError
from simulator.lint import LintWarning, lint_world
from simulator.tenant.loader import load_tenant
from simulator.world import build_world

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _error_record(exc: UserError, default_file: str) -> dict[str, Any]:
    if isinstance(exc, FixtureError):
        message = f"{exc.field}: {exc.reason}" if exc.field else exc.reason
        return {"file": exc.file or default_file, "line": exc.line, "message": message}
    return {"file": default_file, "line": None, "message": str(exc)}


def _render_error(record: dict[str, Any]) -> str:
    where = record["file"] + (f":{record['line']}" if record["line"] is not None else "")
    return f"{where}: error: {record['message']}"


def _warning_record(warning: LintWarning) -> dict[str, Any]:
    return {
        "code": warning.code,
        "message": warning.message,
        "bot": warning.bot,
        "file": warning.file,
        "line": warning.line,
    }


def check_tenant(path: str) -> tuple[list[LintWarning], dict[str, Any] | None]:
    """Load and lint; returns the warnings, or the load error as a record."""
    try:
        loaded = load_tenant(Path(path))
        world = build_world(loaded)
    except UserError as exc:
        return [], _error_record(exc, path)
    return lint_world(world), None


def check_command(args: argparse.Namespace) -> int:
    path: str = args.tenant
    warnings, error = check_tenant(path)
    if args.format == "json":
        payload = {
            "tenant": path,
            "ok": error is None and not warnings,
            "errors": [error] if error else [],
            "warnings": [_warning_record(w) for w in warnings],
        }
        print(json.dumps(payload, indent=2))
    elif error is not None:
        print(_render_error(error))
    else:
        for warning in warnings:
            print(warning.render())
        count = len(warnings)
        plural = "warning" if count == 1 else "warnings"
        # The summary goes to stderr so stdout holds only FILE:LINE lines for tools.
        summary = f"{count} {plural}" if count else "ok, no warnings"
        print(f"{path}: {summary}", file=sys.stderr)
    if error is not None:
        return EXIT_USAGE
    if warnings and args.strict:
        return EXIT_FAILED
    return EXIT_OK
