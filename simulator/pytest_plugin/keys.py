"""The pytest stash keys the plugin and the HTML report share.

They live apart from both so that the report can read a scenario's simulator without importing
the plugin (which imports the report): neither module imports the other's internals.
"""

from __future__ import annotations

import pytest

from simulator.simulator import Simulator
from simulator.tenant.loader import DocumentCache
from simulator.timefreeze import SharedFreeze

#: The scenario's simulator, on the test item.
SIM_KEY = pytest.StashKey[Simulator]()
#: The session's one shared freezegun patch, on the config.
FREEZE_KEY = pytest.StashKey[SharedFreeze]()
#: The session's tenant document cache, on the config.
DOCS_KEY = pytest.StashKey[DocumentCache]()
#: The text of the step that failed, on the test item.
FAILED_STEP_KEY = pytest.StashKey[str]()
