"""Reading tenant files: YAML or JSON, includes, and errors that point at a line.

The YAML is composed into nodes first (not loaded straight to dicts) so every value keeps the
line it came from; a pydantic error's location is then turned back into ``file:line``. Each file
is validated on its own, which is why an included file is simply a partial tenant.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.errors import FixtureError, did_you_mean
from simulator.tenant import export_intents
from simulator.tenant.files import MAX_FILE_BYTES, read_text, sibling_names
from simulator.tenant.schema import Bot, BotRef, Tenant
from simulator.tenant.validation_errors import format_validation_error
from simulator.tenant.yaml_source import SourceMap, parse_document


@dataclass
class Origin:
    """Where a definition came from, for errors found after files are merged."""

    file: str
    line: int | None


@dataclass
class LoadedTenant:
    tenant: Tenant
    origins: dict[tuple[str, str], Origin]
    base_dir: Path


def _validate_document(data: Any, source: SourceMap) -> Tenant:
    if not isinstance(data, dict):
        raise FixtureError(
            f"expected a mapping (key: value) at the top, found {type(data).__name__}",
            file=source.file,
            line=1,
        )
    try:
        return Tenant.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, source, data) from None


def _record_origins(
    tenant: Tenant, source: SourceMap, origins: dict[tuple[str, str], Origin]
) -> None:
    for kind, items in (
        ("skill", tenant.skills),
        ("agent", tenant.agents),
        ("bot", tenant.bots),
        ("connector", tenant.connectors),
        ("group", tenant.groups),
    ):
        key_name = {
            "skill": "skills",
            "agent": "agents",
            "bot": "bots",
            "connector": "connectors",
            "group": "groups",
        }[kind]
        for index, item in enumerate(items):
            # An export entry is found again by its file (a renamed one too); an empty name
            # is still a name, so "" must find its origin as well.
            ident = item.export if isinstance(item, BotRef) else getattr(item, "name", None)
            if kind == "skill":
                ident = item.id  # type: ignore[union-attr]
            if kind == "connector":
                ident = item.bot  # type: ignore[union-attr]
            origins.setdefault(
                (kind, str(ident)), Origin(source.file, source.line_of((key_name, index)))
            )
    # The first file recorded is the root: the fallback location of anything unrecorded.
    origins.setdefault(("tenant", "file"), Origin(source.file, None))
    if ("platform",) in source.lines:
        origins.setdefault(
            ("tenant", "platform"), Origin(source.file, source.line_of(("platform",)))
        )


class DocumentCache:
    """Parsed documents of files that have not changed, shared by the scenarios of a run.

    A suite loads the same tenant file in every scenario; parsing it is most of that cost. The
    parsed data is never mutated (validation builds new model objects from it), so sharing it
    cannot leak one scenario's state into another. Keyed by path, size and modification time.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int, int], tuple[Any, SourceMap]] = {}

    def parse(self, path: Path) -> tuple[Any, SourceMap]:
        try:
            stat = path.stat()
        except OSError:
            return parse_document(read_text(path), str(path))
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        found = self._entries.get(key)
        if found is None:
            found = parse_document(read_text(path), str(path))
            self._entries[key] = found
        return found


def load_tenant(path: str | Path, cache: DocumentCache | None = None) -> LoadedTenant:
    """Load a tenant file and everything it includes, then check cross references.

    A Conversation Builder export given where a tenant is expected loads as a tenant of that
    one bot (README, "Real Conversation Builder bots").
    """
    root = Path(path)
    origins: dict[tuple[str, str], Origin] = {}
    merged, _ = _load_recursive(root, origins, stack=[], cache=cache)
    loaded = LoadedTenant(merged, origins, root.parent)
    _resolve_exports(loaded)
    return loaded


def load_tenant_text(
    text: str, *, name: str = "<inline>", base_dir: Path | None = None
) -> LoadedTenant:
    """Load a tenant given as text (inline YAML in a feature file, tests)."""
    data, source = parse_document(text, name)
    tenant = _validate_document(data, source)
    origins: dict[tuple[str, str], Origin] = {}
    _record_origins(tenant, source, origins)
    platform = _platform_origin(tenant, source)
    if tenant.include:
        base = base_dir or Path.cwd()
        for index, inc in enumerate(tenant.include):
            child_path = _include_path(base / inc, inc, index, source)
            child, child_platform = _load_recursive(child_path, origins, stack=[name])
            platform = _merge(tenant, child, platform, child_platform)
    loaded = LoadedTenant(tenant, origins, base_dir or Path.cwd())
    _resolve_exports(loaded)
    return loaded


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symbolic link loop: reading it reports the loop
        return os.path.abspath(path)


#: Keys only a tenant has; a document with "bot" (an object) and none of these is an export.
#: ("groups" is in both: an export's dialogs are its groups.)
_TENANT_KEYS = frozenset({"bots", "skills", "agents", "connectors", "include", "platform"})
_EXPORT_HEAD = re.compile(rb'"bot"\s*:\s*\{')


#: Keys of an export besides "bot"; one must be present, so a tenant whose only mistake is
#: ``bot:`` for ``bots:`` stays a tenant (and gets "did you mean bots").
_EXPORT_KEYS = frozenset(
    {"conversationMessage", "groups", "responder", "associatedIntents", "hash", "menus"}
)


def is_export_document(data: Any) -> bool:
    """A Conversation Builder export (see ``simulator.cb_export.format``), not a tenant."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("bot"), dict)
        and bool(data.keys() & _EXPORT_KEYS)
        and not (data.keys() & _TENANT_KEYS)
    )


def _big_export(path: Path) -> bool:
    """A JSON file over the tenant limit that starts like an export (exports may be 20 MB)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size <= MAX_FILE_BYTES:
            return False
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return _EXPORT_HEAD.search(head) is not None


def _export_as_tenant(path: Path, origins: dict[tuple[str, str], Origin]) -> Tenant:
    """An export given as a tenant: a tenant of that one bot (no skills, no connector;
    conversations start with the bot by name)."""
    # Imported here: the export importer (and writer) is only needed by tenants that name an
    # export, and importing it costs every other run start-up time and memory.
    from simulator.cb_export import load_export

    bot = load_export(path)
    origins.setdefault(("bot", bot.name), Origin(str(path), None))
    return Tenant(name=bot.name, bots=[bot])


def _include_path(child_path: Path, inc: str, index: int, source: SourceMap) -> Path:
    """The included file, or an error at the include line (a missing file, a folder)."""
    if os.path.isdir(child_path):
        problem = "is a folder, not a file"
    elif not os.path.lexists(child_path):
        problem = f"not found ({did_you_mean(Path(inc).name, sibling_names(child_path))})"
    else:
        return child_path  # anything else (FIFO, device, loop) is reported when read
    raise FixtureError(
        f'included file "{inc}" {problem}',
        file=source.file,
        line=source.line_of(("include", index)),
        field=f"include[{index}]",
    )


def _platform_origin(tenant: Tenant, source: SourceMap) -> Origin | None:
    if "platform" not in tenant.model_fields_set:
        return None
    return Origin(source.file, source.line_of(("platform",)))


def _load_recursive(
    path: Path,
    origins: dict[tuple[str, str], Origin],
    stack: list[str],
    cache: DocumentCache | None = None,
) -> tuple[Tenant, Origin | None]:
    """The tenant of ``path`` with its includes merged, and where its platform: came from."""
    if "\0" in str(path):
        raise FixtureError("the path holds a NUL character (\\0)", file=repr(str(path)))
    key = _resolved(path)
    if key in stack:
        chain = " -> ".join([*stack[stack.index(key) :], key])
        raise FixtureError(f"include cycle: {chain}", file=str(path))
    if _big_export(path):
        return _export_as_tenant(path, origins), None
    if cache is not None:
        data, source = cache.parse(path)
    else:
        data, source = parse_document(read_text(path), str(path))
    if is_export_document(data):
        return _export_as_tenant(path, origins), None
    tenant = _validate_document(data, source)
    _record_origins(tenant, source, origins)
    platform = _platform_origin(tenant, source)
    for index, inc in enumerate(tenant.include):
        child_path = _include_path(path.parent / inc, inc, index, source)
        child, child_platform = _load_recursive(child_path, origins, [*stack, key], cache)
        platform = _merge(tenant, child, platform, child_platform)
    return tenant, platform


def _merge(
    into: Tenant, child: Tenant, platform: Origin | None, child_platform: Origin | None
) -> Origin | None:
    """Append the child's definitions; ``platform:`` may be set in one file of the include
    tree only (the root or any included file), so no setting is silently dropped or mixed."""
    into.skills.extend(child.skills)
    into.agents.extend(child.agents)
    into.bots.extend(child.bots)
    into.connectors.extend(child.connectors)
    into.groups.extend(child.groups)
    if child_platform is None:
        return platform
    if platform is not None:
        first = f"{platform.file}:{platform.line}" if platform.line else platform.file
        raise FixtureError(
            f"platform: is set here and in {first}; set it in one file only (the tenant or"
            " one included file)",
            file=child_platform.file,
            line=child_platform.line,
            field="platform",
        )
    into.platform = child.platform
    into.model_fields_set.add("platform")
    return child_platform


def _resolve_exports(loaded: LoadedTenant) -> None:
    """Replace ``{export: file}`` entries by the bots the export files describe."""
    bots: list[Bot | BotRef] = []
    for entry in loaded.tenant.bots:
        if isinstance(entry, BotRef):
            origin = loaded.origins.get(("bot", entry.export))
            origin = origin or loaded.origins.get(("tenant", "file"))  # the root file at least
            base = (
                Path(origin.file).parent
                if origin and origin.file != "<inline>"
                else loaded.base_dir
            )
            target = base / entry.export
            if os.path.isdir(target) or not os.path.lexists(target):
                problem = (
                    "is a folder, not a file"
                    if os.path.isdir(target)
                    else f"not found ({did_you_mean(target.name, sibling_names(target))})"
                )
                raise FixtureError(
                    f'bot export "{entry.export}" {problem}',
                    file=origin.file if origin else None,
                    line=origin.line if origin else None,
                    field="bots.export",
                )
            if target.suffix.lower() in (".yaml", ".yml"):
                raise FixtureError(
                    f'bot export "{entry.export}" is a YAML file, but exports are JSON (File >'
                    " Export in Conversation Builder); to merge another tenant file use include:",
                    file=origin.file if origin else None,
                    line=origin.line if origin else None,
                    field="bots.export",
                )
            # Imported here: most tenants have no export, and the importer (a module per
            # interaction family) is a large share of the engine's start-up.
            from simulator.cb_export import load_export

            bot = load_export(target)
            if entry.name:
                bot.name = entry.name
            if entry.intents:
                where = origin.file if origin else None
                line = origin.line if origin else None
                export_intents.attach_intents(
                    bot, export_intents.resolve(entry.intents, base, tenant=where, line=line)
                )
            # Errors found when the bot compiles point at the export, not the tenant.
            loaded.origins[("bot", bot.name)] = Origin(str(target), None)
            bots.append(bot)
        else:
            bots.append(entry)
    loaded.tenant.bots = bots
