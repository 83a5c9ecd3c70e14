"""The environment for a pytest run started from inside a test (a child process).

The outer pytest's own settings (an xdist worker's variables, PYTEST_ADDOPTS, -p plugins,
the current test's name) must not leak into the child, or the child would run as a worker
of a session it is not part of, with options its suite never asked for.
"""

from __future__ import annotations

import os


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("PYTEST_XDIST", "PYTEST_CURRENT_TEST")) or key in (
            "PYTEST_ADDOPTS",
            "PYTEST_PLUGINS",
        ):
            del env[key]
    return env
