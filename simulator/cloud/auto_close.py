"""Opt-in auto-close of idle messaging conversations (B11).

The platform can close messaging conversations whose consumer has gone quiet, but that is an
account setting with no documented default in the rules or the seed pages, so the simulator
does not do it unless the tenant asks: ``platform.auto_close_after_minutes``. Then a messaging
conversation closes once that many minutes pass without a consumer message (counted from the
last one, or from the opening). Chat conversations end with the session and are left alone.
"""

from __future__ import annotations

from datetime import timedelta

from simulator.cloud.conversation import Conversation
from simulator.cloud.core import CloudCore
from simulator.tenant.schema import Channel


class AutoCloseMixin(CloudCore):
    """Closes an idle messaging conversation when the tenant opted in (B11)."""

    def arm_auto_close(self, conv: Conversation) -> None:
        minutes = self.world.platform.auto_close_after_minutes
        if minutes is None or conv.channel is not Channel.MESSAGING or not conv.is_open:
            return
        if conv.auto_close_timer is not None:
            conv.auto_close_timer.cancel()

        def close() -> None:
            conv.auto_close_timer = None
            self.close(
                conv,
                f"no consumer message for {minutes} minute{'s' if minutes != 1 else ''}"
                " (auto_close_after_minutes, B11)",
            )

        conv.auto_close_timer = self.clock.call_later(
            timedelta(minutes=minutes), close, label="auto-close", settles=False
        )
