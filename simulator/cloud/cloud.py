"""The fake Conversational Cloud of one tenant: the entry point composing every concern.

The cloud turns what bots decide (``runtime`` actions) into events on the virtual clock. Each
platform concern has its own module, and ``Cloud`` is only their composition:

- ``connector``: consumer messages reach a bot through its connector; stuck checks (C1, S1);
- ``delivery``: bot actions become clock events, bot messages take delivery time (T4);
- ``escalation``: escalations and their failures, give-up and timeout (T3, F1-F4);
- ``routing``: skills, queues and the transfer-loop guard (T1, T5, F5);
- ``bot_transfer``: how a bot joins a transferred conversation (T6-T9);
- ``agents``: human agents, offers and availability (T5, F5);
- ``group_hooks``: the bot-group router hook and automatic transfers (G5, G6);
- ``hooks``: API integrations, bot code and the Context Service;
- ``auto_close``: the opt-in auto-close of idle messaging conversations (B11);
- ``core``: the shared state and bookkeeping, and the seams between the concerns above.
"""

from __future__ import annotations

from simulator.cloud.agents import AgentsMixin
from simulator.cloud.auto_close import AutoCloseMixin
from simulator.cloud.bot_transfer import BotTransferMixin
from simulator.cloud.connector import ConnectorMixin
from simulator.cloud.core import AgentState, ConnectorState, pin_key
from simulator.cloud.delivery import DeliveryMixin
from simulator.cloud.escalation import EscalationMixin
from simulator.cloud.group_hooks import GroupHooksMixin
from simulator.cloud.hooks import HooksMixin
from simulator.cloud.host import Host
from simulator.cloud.routing import RoutingMixin

__all__ = ["AgentState", "Cloud", "ConnectorState", "Host", "pin_key"]


class Cloud(
    ConnectorMixin,
    DeliveryMixin,
    EscalationMixin,
    RoutingMixin,
    BotTransferMixin,
    AgentsMixin,
    GroupHooksMixin,
    HooksMixin,
    AutoCloseMixin,
):
    """Runtime state of one tenant's fake Conversational Cloud: every concern, composed."""
