"""API integration calls: the request a call makes and the value of each custom data field.

The session passes its own ``render`` and ``lookup`` so these stay plain functions of their
inputs: the same template renders the same way whether it is a URL, a header or a field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.bots.actions import ApiRequest
from simulator.tenant.schema import ApiIntegration

#: Renders a template for an interaction (``BotSession.render``).
Render = Callable[[str, str], str]
#: Reads a reference's root and path as a JSON value (``BotSession`` variables, API results).
Lookup = Callable[[str, str], Any]


def api_request(integration: ApiIntegration, where: str, render: Render) -> ApiRequest:
    """The request an API integration makes, every reference rendered for ``where``."""
    body = integration.body
    return ApiRequest(
        integration=integration.name,
        method=integration.method.upper(),
        url=render(integration.url, where),
        body=render(body, where) if body is not None else None,
        headers=tuple((k, render(v, where)) for k, v in integration.headers.items()),
    )


def field_value(template: str, where: str, render: Render, lookup: Lookup) -> Any:
    """A custom data field: the JSON value itself when the field is one reference (a list
    for ``[i]``), else the rendered text."""
    stripped = template.strip()
    if stripped.startswith("{$.") and stripped.endswith("}") and stripped.count("{") == 1:
        inner = stripped[3:-1]
        root, _, _ = inner.partition(".")
        root = root.split("[", 1)[0]
        path = inner[len(root) :]
        return lookup(root, path)
    return render(template, where)
