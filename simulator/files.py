"""Reading user files and checking output paths, with one clear error for each bad path.

A path the user gives may be anything the file system holds: a folder, a FIFO (opening it
blocks until someone writes), a device (``/dev/zero`` never ends), a socket, a symbolic-link
loop, a file without read permission. Inputs are therefore checked with ``os.stat`` before they
are opened (only regular files are opened at all) and read with a bounded read, so a file that
grows or lies about its size still costs at most ``limit + 1`` bytes.

Outputs follow one policy (README, "Files the simulator writes"):

* a file output (``--sim-report``, ``Then the transcript is saved as JSON to``) may replace an
  existing *regular* file (reports and transcripts are regenerated on every run), but never a
  folder, FIFO, device or socket; its folder must be writable, and a missing folder is created
  only where the caller allows it (``create_folders``: the report and the JSON transcript, as
  they always did) below a writable folder, never through a path part that is a file; with
  ``overwrite=False`` (``simulator chat /save``) an existing file is refused too, so a saved
  scenario is never lost;
* a folder output (``--transcripts``, ``--sim-transcripts``) may exist (it must then be a
  writable folder) or is created, provided its nearest existing ancestor is a writable folder.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from simulator.errors import FixtureError, OutputPathError, did_you_mean

__all__ = [
    "MAX_DEPTH",
    "NESTED_TOO_DEEPLY",
    "check_json_tree",
    "check_output_dir",
    "check_output_path",
    "check_text",
    "checked_json_loads",
    "join_pairs",
    "kind_of",
    "read_bounded_bytes",
    "write_output_text",
]


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words for an error message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def _stat_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (the link points back at itself)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return exc.strerror or str(exc)


def _siblings(path: Path) -> list[str]:
    try:
        return [p.name for p in path.parent.iterdir() if not p.name.startswith(".")]
    except OSError:
        return []


def read_bounded_bytes(path: Path, *, limit: int, what: str, hint: str = "") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a ``FixtureError``.

    ``what`` names the kind of file in the size message ("tenant files", "exports").
    """
    shown = str(path)
    if "\0" in shown:
        raise FixtureError("the path holds a NUL character (\\0)", file=shown.replace("\0", "\\0"))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FixtureError(
                "file not found (a symbolic link whose target does not exist)", file=shown
            ) from None
        if path.parent.is_dir():
            found = did_you_mean(path.name, _siblings(path))
        else:
            found = "its folder does not exist"
        raise FixtureError(f"file not found ({found})", file=shown) from None
    except OSError as exc:
        raise FixtureError(f"cannot read the file: {_stat_problem(exc)}", file=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise FixtureError("expected a file but this is a folder", file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise FixtureError(
            f"expected a regular file but this is {kind_of(info.st_mode)}; save the content"
            " to a file and give that",
            file=shown,
        )
    if info.st_size > limit:
        raise FixtureError(
            f"the file is {info.st_size} bytes; {what} are limited to {limit} bytes.{hint}",
            file=shown,
        )
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it still
        # returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FixtureError(f"cannot read the file: {_stat_problem(exc)}", file=shown) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FixtureError("expected a regular file (it changed while opening)", file=shown)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FixtureError(f"cannot read the file: {_stat_problem(exc)}", file=shown) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FixtureError(
            f"the file is more than {limit} bytes; {what} are limited to {limit} bytes.{hint}",
            file=shown,
        )
    return data


def check_output_path(
    path: str | Path, *, what: str, overwrite: bool = True, create_folders: bool = False
) -> Path:
    """Check that a file can be written at ``path`` before anything runs; returns it.

    ``what`` names the output in the message ("--sim-report", "the transcript file").
    Raises ``OutputPathError`` (a ``UserError``) when the path is a folder or a special file,
    when its folder is not writable or is a file, when its folder is missing (unless
    ``create_folders``: then the nearest existing folder above must be writable), or
    (``overwrite=False``) when the file exists.
    """
    target = Path(path).expanduser()
    shown = str(path)
    _plain_path(shown, what)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
        if os.path.islink(target):
            raise OutputPathError(
                f"{what} {shown}: a symbolic link whose target does not exist"
            ) from None
    except OSError as exc:
        raise OutputPathError(f"{what} {shown}: {_stat_problem(exc)}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise OutputPathError(
                f"{what} {shown}: this is {kind_of(info.st_mode)}, not a file; give a file path"
            )
        if not overwrite:
            raise OutputPathError(
                f"{what} {shown}: the file already exists; choose another name or delete it"
            )
        if not os.access(target, os.W_OK):
            raise OutputPathError(f"{what} {shown}: the file exists and is not writable")
        return target
    parent = target.parent if str(target.parent) else Path(".")
    _check_folder(parent, what, shown, create=create_folders)
    return target


def write_output_text(target: Path, text: str, *, what: str, create_folders: bool = False) -> None:
    """Write a checked output; a failure that only shows while writing is still one error."""
    try:
        if create_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise OutputPathError(f"{what} {target}: cannot write: {_stat_problem(exc)}") from None


def check_output_dir(path: str | Path, *, what: str) -> Path:
    """Check a folder output: an existing writable folder, or one that can be created."""
    target = Path(path).expanduser()
    shown = str(path)
    _plain_path(shown, what)
    _check_folder(target, what, shown, create=True)
    return target


def _plain_path(shown: str, what: str) -> None:
    if shown.strip() == "":
        raise OutputPathError(f"{what}: the path is empty")
    if "\0" in shown:
        raise OutputPathError(f"{what}: the path holds a NUL character (\\0)")


def _check_folder(folder: Path, what: str, shown: str, *, create: bool) -> None:
    probe = folder
    while True:
        try:
            info = os.stat(probe)
        except FileNotFoundError:
            if os.path.islink(probe):
                raise OutputPathError(
                    f"{what} {shown}: {probe} is a symbolic link whose target does not exist"
                ) from None
            if not create:
                raise OutputPathError(
                    f"{what} {shown}: the folder {probe} does not exist; create it first"
                ) from None
            if probe.parent == probe:
                raise OutputPathError(f"{what} {shown}: no existing folder above it") from None
            probe = probe.parent
            continue
        except OSError as exc:
            raise OutputPathError(f"{what} {shown}: {probe}: {_stat_problem(exc)}") from None
        break
    if not stat.S_ISDIR(info.st_mode):
        raise OutputPathError(f"{what} {shown}: {probe} is {kind_of(info.st_mode)}, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputPathError(f"{what} {shown}: the folder {probe} is not writable")


# -- JSON structure: depth and surrogates (tenants and exports) ------------------------------
#: Deepest nesting a tenant or export may have. Real files stay under 30 levels; the limit is
#: ours (not the YAML or JSON library's, whose limits and wording change between releases) so
#: the message is the same whatever is installed.
MAX_DEPTH = 200

NESTED_TOO_DEEPLY = f"the document is nested too deeply (more than {MAX_DEPTH} levels)"

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: str, file: str, line: int | None) -> str:
    """Text must be encodable: a lone UTF-16 surrogate would fail much later, when written."""
    found = _SURROGATE.search(value)
    if found is None:
        return value
    raise FixtureError(
        f"the text holds a lone UTF-16 surrogate (\\u{ord(found.group()):04x}), half of a"
        " character such as an emoji; write the whole character or both halves of the pair",
        file=file,
        line=line,
    )


#: A \uD8xx\uDCxx pair in JSON text, not preceded by an escaped backslash.
_JSON_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)
JSON_LONE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def join_pairs(text: str) -> str:
    """Rewrite JSON surrogate-pair escapes as one ``\\U`` escape, which YAML understands."""

    def one(m: re.Match[str]) -> str:
        high, low = int(m.group(2), 16), int(m.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return f"{m.group(1)}\\U{code:08X}"

    return _JSON_PAIR.sub(one, text)


def check_json_tree(data: Any, file: str) -> None:
    """Depth limit and lone surrogates of parsed JSON, without recursion."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FixtureError(NESTED_TOO_DEEPLY, file=file)
        if isinstance(value, str):
            check_text(value, file, None)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(str(key), file, None)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def checked_json_loads(text: str, file: str) -> Any:
    """``json.loads`` with our depth limit and surrogate check (JSONDecodeError passes through)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise FixtureError(NESTED_TOO_DEEPLY, file=file) from None
    check_json_tree(data, file)
    return data
