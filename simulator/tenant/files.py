"""Reading a user's file (tenant, include or bot export) with errors that name what is wrong.

Shared by the tenant loader and the export importer; it sits below both so neither has to import
the other to read a file.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import FixtureError
from simulator.files import read_bounded_bytes

MAX_FILE_BYTES = 5 * 1024 * 1024


def sibling_names(path: Path) -> list[str]:
    """Names next to a missing file, for "did you mean" (hidden files left out)."""
    if not path.parent.is_dir():
        return []
    return [p.name for p in path.parent.iterdir() if not p.name.startswith(".")]


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES, what: str = "tenant files") -> str:
    """Read a user file as UTF-8 (a BOM is accepted), with errors that say what is wrong.

    Only regular files are opened, and at most ``limit + 1`` bytes are read (see
    ``simulator.files``): a FIFO, a device or a symbolic-link loop is one clear error.
    """
    shown = str(path)
    hint = " Split it with include:" if what == "tenant files" else ""
    raw = read_bounded_bytes(path, limit=limit, what=what, hint=hint)
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
