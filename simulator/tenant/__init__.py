"""The tenant file: what a fake Conversational Cloud account holds (bots, skills, agents...).

The loader (``simulator.tenant.loader``: ``load_tenant``, ``load_tenant_text``) is not imported
here: it reads bot exports through ``simulator.cb_export``, which itself needs this package's
schema, so importing it from the package would close an import cycle.
"""

from simulator.tenant.schema import Tenant

__all__ = ["Tenant"]
