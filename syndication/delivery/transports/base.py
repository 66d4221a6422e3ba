"""The one interface every transport offers, and the one error only transports raise.

A transport takes one message for one envelope recipient and either returns the server's
acceptance or raises a `DeliveryError`: `TransientDeliveryError` (4xx, dropped or timed-out
connection: retry later), `PermanentDeliveryError` (5xx: no retry) or its `HardBounce`
(the server refused the address itself: counts toward suppression). Library exceptions
(aiosmtplib, OSError) are translated inside the transport and never escape it.
"""

from __future__ import annotations

from typing import Protocol

from syndication.errors import HardBounce

__all__ = ["HardBounce", "Transport"]


class Transport(Protocol):
    """Sends one message to one envelope recipient; `concurrency` sends may run at once."""

    @property
    def concurrency(self) -> int:
        """How many `send` calls may usefully run at the same time."""
        ...

    async def send(self, *, sender: str, recipient: str, message: bytes) -> str:
        """Hand the message over; return the server's reply or raise a DeliveryError."""
        ...

    async def close(self) -> None:
        """Release connections and files; the transport is not used afterwards."""
        ...
