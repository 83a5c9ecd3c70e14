"""The tenant file: what a fake Conversational Cloud account holds (bots, skills, agents...)."""

from simulator.tenant.loader import load_tenant, load_tenant_text
from simulator.tenant.schema import Tenant

__all__ = ["Tenant", "load_tenant", "load_tenant_text"]
