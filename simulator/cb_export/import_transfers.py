"""Transfers and escalations: ``ESCALATION`` interactions and Agent Escalation responders.

``ESCALATION`` -> ``transfer`` (skill id or name, agent id, Message to User, Transfer Bot
Context; a missing message becomes ``BLANK_MESSAGE``); a ``responder[]`` entry of type
LivePerson Agent Escalation -> a ``liveperson_agent_escalation`` integration.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Message, Reader
from simulator.tenant.schema import BLANK_MESSAGE


class TransferImport(ImporterBase):
    """Escalation interactions and escalation integrations."""

    def escalation_responder(
        self,
        entry: dict[str, Any],
        where: str,
        name: str,
        custom: dict[str, str],
        response_variable: str | None,
    ) -> dict[str, Any]:
        r = self.r
        esc: dict[str, Any] = {"name": name, "type": "liveperson_agent_escalation"}
        for key, export_key in (
            ("skill_id", "agentSkillId"),
            ("skill_name", "agentSkillName"),
            ("agent_id", "agentId"),
            ("message_to_user", "messageToUser"),
        ):
            value = r.text(entry.get(export_key), f"{where}.{export_key}")
            if value is not None:
                esc[key] = value
        esc["transfer_bot_context"] = bool(entry.get("tangoContextEnabled"))
        if response_variable:
            esc["response_variable"] = response_variable
        if custom:
            esc["custom_data"] = custom
        return esc

    def escalation_transfer(self, m: Message, first: dict[str, Any]) -> dict[str, Any]:
        r = self.r
        esc = r.opt_obj(first.get("escalation"), f"{m.where}.tileData[0].escalation")
        transfer: dict[str, Any] = {
            "message_to_user": _tile_text(r, first, m.where) or BLANK_MESSAGE,
            "transfer_bot_context": bool(esc.get("tangoContextEnabled")),
        }
        for key, export_key in (
            ("skill_id", "agentSkillId"),
            ("skill_name", "agentSkillName"),
            ("agent_id", "agentId"),
        ):
            value = r.text(esc.get(export_key), f"{m.where}.escalation.{export_key}")
            if value:
                transfer[key] = value
        return transfer


def _tile_text(r: Reader, tile: dict[str, Any], where: str) -> str | None:
    return r.text(tile.get("text"), f"{where}.tileData[0].text")
