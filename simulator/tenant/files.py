"""Reading a user's file (tenant, include or bot export) with errors that name what is wrong.

Shared by the tenant loader and the export importer; it sits below both so neither has to import
the other to read a file.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import FixtureError, did_you_mean

MAX_FILE_BYTES = 5 * 1024 * 1024


def sibling_names(path: Path) -> list[str]:
    """Names next to a missing file, for "did you mean" (hidden files left out)."""
    if not path.parent.is_dir():
        return []
    return [p.name for p in path.parent.iterdir() if not p.name.startswith(".")]


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES, what: str = "tenant files") -> str:
    """Read a user file as UTF-8, with errors that say what is wrong with the bytes."""
    shown = str(path)
    if not path.exists():
        siblings = sibling_names(path)
        hint = did_you_mean(path.name, siblings) if siblings else "its folder does not exist"
        raise FixtureError(f"file not found ({hint})", file=shown)
    if path.is_dir():
        raise FixtureError("expected a file but this is a folder", file=shown)
    size = path.stat().st_size
    if size > limit:
        hint = " Split it with include:" if what == "tenant files" else ""
        raise FixtureError(
            f"the file is {size} bytes; {what} are limited to {limit} bytes.{hint}", file=shown
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FixtureError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start});"
            " save it as UTF-8",
            file=shown,
            line=line,
        ) from None
