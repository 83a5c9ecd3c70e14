"""Integrations (integrations/API): ``responder[]`` entries and ``API_INTEGRATION`` interactions.

An API responder -> an ``ApiIntegration`` (method, webhook URL, response variable, transform
script, custom data); a LivePerson Agent Escalation responder is ``import_transfers``' part.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.format import ESCALATION_RESPONDER
from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Message


class IntegrationImport(ImporterBase):
    """API integrations and the interactions that call them."""

    # -- integrations ---------------------------------------------------------------------
    def integrations(self) -> list[dict[str, Any]]:
        r = self.r
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, raw in enumerate(r.lst(self.doc.get("responder"), "responder")):
            where = f"responder[{i}]"
            entry = r.obj(raw, where)
            name = r.text(entry.get("name"), f"{where}.name", required=True)
            assert name is not None
            if name in seen:
                r.notes.append(f'integration "{name}" appears twice; the second one is ignored')
                continue
            seen.add(name)
            custom: dict[str, str] = {}
            for j, field_raw in enumerate(
                r.lst(entry.get("customDataFields"), f"{where}.customDataFields")
            ):
                f = r.obj(field_raw, f"{where}.customDataFields[{j}]")
                key = r.text(f.get("key"), f"{where}.customDataFields[{j}].key")
                if key:
                    custom[key] = (
                        r.text(f.get("value"), f"{where}.customDataFields[{j}].value") or ""
                    )
            kind = str(entry.get("integrationType") or "API").upper()
            response_variable = r.text(
                entry.get("responseDataVariable"), f"{where}.responseDataVariable"
            )
            if kind == ESCALATION_RESPONDER:
                result.append(
                    self.escalation_responder(entry, where, name, custom, response_variable)
                )
                continue
            api: dict[str, Any] = {"name": name, "type": "api"}
            method = r.text(entry.get("method"), f"{where}.method")
            if method:
                api["method"] = method
            url = r.text(entry.get("webhook"), f"{where}.webhook")
            if url:
                api["url"] = url
            if response_variable:
                api["response_variable"] = response_variable
            api.update(self._request_parts(entry, where))
            transform = r.text(
                entry.get("transformResultsScript"), f"{where}.transformResultsScript"
            )
            if transform and transform.strip():
                api["transform"] = transform
            if custom:
                api["custom_data"] = custom
            result.append(api)
        return result

    def _request_parts(self, entry: dict[str, Any], where: str) -> dict[str, Any]:
        """Headers and post body of an API responder, as written (references are filled in
        when the bot calls it)."""
        r = self.r
        parts: dict[str, Any] = {}
        headers: dict[str, str] = {}
        for j, raw in enumerate(r.lst(entry.get("headers"), f"{where}.headers")):
            h = r.obj(raw, f"{where}.headers[{j}]")
            key = r.text(h.get("key") or h.get("name"), f"{where}.headers[{j}].key")
            if key:
                headers[key] = r.text(h.get("value"), f"{where}.headers[{j}].value") or ""
        if headers:
            parts["headers"] = headers
        body = r.text(entry.get("postBody"), f"{where}.postBody")
        if body is not None and body.strip():
            parts["body"] = body
        return parts

    def integration_name(self, m: Message, content: dict[str, Any]) -> str:
        r = self.r
        name = r.text(content.get("responderName"), f"{m.where}.content.responderName")
        if not name:
            raise r.error("an API integration interaction needs content.responderName", m.where)
        return name
