"""JavaScript of imported bots, run in V8 (mini-racer).

The engine (and V8 with it) is imported on first use of ``JsRunner``, not with the package:
``simulator check`` reads the botContext function table (``simulator.js.context_api``) for
tenants that never run code, and most runs have no bot code at all.
"""

from __future__ import annotations

from typing import Any

from simulator.js.context_api import JsUnsupportedError

__all__ = ["JsRunner", "JsUnsupportedError"]


def __getattr__(name: str) -> Any:
    if name == "JsRunner":
        from simulator.js.engine import JsRunner

        return JsRunner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
