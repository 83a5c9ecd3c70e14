"""Conversation Builder export files: read them into the ``Bot`` model and write them back.

``load_export(path)`` maps a bot export (File > Export in Conversation Builder) to the same
``Bot`` model inline tenant bots use, so an imported bot runs through the ordinary runtime;
``export_bot(bot)`` writes a bot back in export format (load -> export -> load is lossless).
Malformed files raise ``FixtureError`` naming the file and the field.
"""

from simulator.cb_export.exporter import export_bot
from simulator.cb_export.importer import ImportResult, import_export, load_export, parse_export
from simulator.errors import FixtureError

__all__ = [
    "FixtureError",
    "ImportResult",
    "export_bot",
    "import_export",
    "load_export",
    "parse_export",
]
