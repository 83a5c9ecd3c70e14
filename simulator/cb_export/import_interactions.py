"""One message -> one interaction: delay, code, then the family its ``interactionType`` names.

Text and questions (``import_questions``), ``ESCALATION`` -> ``transfer``
(``import_transfers``), ``API_INTEGRATION`` -> ``integration`` (``import_integrations``), a
starter kept for its code sends ``BLANK_MESSAGE``; other types -> ``unsupported``. Then where
it goes next (``import_flow``) and the simulator's own extension keys.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.format import EXTENSION, QUESTION_TYPES, TEXT_TYPES
from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.import_questions import content_text, rich_fields
from simulator.cb_export.reader import Group
from simulator.tenant.schema import BLANK_MESSAGE


class InteractionImport(ImporterBase):
    """Maps each kept message of a dialog to an interaction."""

    # -- interactions ---------------------------------------------------------------------
    def interaction(self, g: Group, index: int) -> dict[str, Any]:
        r = self.r
        m = g.kept[index]
        d = m.data
        out: dict[str, Any] = {"name": g.names[m.id]}
        delay = d.get("interactionDelay")
        if delay not in (None, "", 0, "0"):
            try:
                out["delay_ms"] = max(0, int(str(delay)))
            except ValueError:
                raise r.error(
                    f'expected a delay in milliseconds, found "{delay}"',
                    f"{m.where}.interactionDelay",
                ) from None
        self.code_hooks(m, out)
        content = r.opt_obj(d.get("content"), f"{m.where}.content")
        results = r.opt_obj(content.get("results"), f"{m.where}.content.results")
        tile = r.opt_obj(results.get("tile"), f"{m.where}.content.results.tile")
        tiles = [
            r.obj(t, f"{m.where}.content.results.tile.tileData[{i}]")
            for i, t in enumerate(
                r.lst(tile.get("tileData"), f"{m.where}.content.results.tile.tileData")
            )
        ]
        first = tiles[0] if tiles else {}
        has_conditions = any(rule.conditions for rule in m.rules)
        kind = m.type
        is_question = kind in QUESTION_TYPES or bool(d.get("userInputRequired"))
        if kind == "DIALOG_STARTER":
            out["text"] = BLANK_MESSAGE
        elif kind == "ESCALATION":
            out["transfer"] = self.escalation_transfer(m, first)
        elif kind == "API_INTEGRATION":
            out["integration"] = self.integration_name(m, content)
        elif kind in TEXT_TYPES or (kind in QUESTION_TYPES):
            ext = r.opt_obj(d.get(EXTENSION), f"{m.where}.{EXTENSION}")
            text = r.text(ext.get("text"), f"{m.where}.{EXTENSION}.text") or content_text(
                r, kind, tiles, m.where
            )
            rich = rich_fields(r, kind, d, tiles, m.where)
            if ext.get("statement") is True:
                is_question = False
            if (is_question or has_conditions) and ext.get("statement") is not True:
                out["question"] = text
                is_question = True
            else:
                out["text"] = text or ("" if rich else BLANK_MESSAGE)
            out.update(rich)
            if "options" in ext:
                # Hand-written ``options`` exported as quick replies: read back as written.
                plain = set(r.texts(ext["options"], f"{m.where}.{EXTENSION}.options"))
                rest = [q for q in rich.get("quick_replies", []) if q["title"] not in plain]
                out.pop("quick_replies", None)
                if rest:
                    out["quick_replies"] = rest
        else:
            out["unsupported"] = kind
        if is_question and "question" in out:
            self.question_rules(g, index, out)
        else:
            self.statement_next(g, index, out)
        ext = r.opt_obj(d.get(EXTENSION), f"{m.where}.{EXTENSION}")
        for key in ("set", "save_as", "bot_transfer", "context", "options", "next"):
            if key in ext:
                out[key] = ext[key]
        return out
