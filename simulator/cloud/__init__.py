"""The fake Conversational Cloud: skills, agents, connectors, conversations and routing."""

from simulator.cloud.cloud import Cloud
from simulator.cloud.conversation import Conversation

__all__ = ["Cloud", "Conversation"]
