"""Bot code (code/JS): ``globalFunctions.methods`` and each message's pre/post process code.

The code is copied as text; the JavaScript engine (``simulator.js``) runs it. A dialog starter
with code becomes an interaction of its own so that its code still runs.
"""

from __future__ import annotations

from typing import Any

from simulator.cb_export.import_base import ImporterBase
from simulator.cb_export.reader import Message


class CodeImport(ImporterBase):
    """Global functions and per-message code hooks."""

    def global_functions(self, out: dict[str, Any]) -> None:
        """``globalFunctions.methods`` -> ``global_functions`` (when not blank)."""
        r = self.r
        functions = self.doc.get("globalFunctions")
        if functions is not None:
            methods = r.text(
                r.obj(functions, "globalFunctions").get("methods"), "globalFunctions.methods"
            )
            if methods and methods.strip():
                out["global_functions"] = methods

    def has_code(self, m: Message) -> bool:
        return any(
            isinstance(m.data.get(k), str) and m.data[k].strip()
            for k in ("preProcessMessage", "postProcessMessage", "processUserResponse")
        )

    def code_hooks(self, m: Message, out: dict[str, Any]) -> None:
        r = self.r
        d = m.data
        for key, export_key in (
            ("pre_process", "preProcessMessage"),
            ("post_process", "postProcessMessage"),
            ("process_user_response", "processUserResponse"),
        ):
            code = r.text(d.get(export_key), f"{m.where}.{export_key}")
            if code and code.strip():
                out[key] = code
