"""JavaScript of imported bots, run in V8 (mini-racer)."""

from simulator.js.engine import JsRunner, JsUnsupportedError

__all__ = ["JsRunner", "JsUnsupportedError"]
