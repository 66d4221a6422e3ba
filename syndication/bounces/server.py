"""`[bounces] listen`: an SMTP (or LMTP, RFC 2033) server a relay hands its reports to.

Served on `run`'s leader's event loop (aiosmtpd), recording off the loop in a thread. A
report from a host outside `[bounces] allow` is kept aside (`not-allowed`, never parsed)
and refused with 550 5.7.1; one whose delivery is not yet recorded as sent gets 451 4.3.0,
and the relay tries again. Every other report is accepted (250) once recorded, matched or
kept aside: a relay must not retry what we have already seen.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP

from syndication.bounce_settings import MAX_REPORT_BYTES
from syndication.bounces.intake import Outcome
from syndication.bounces.schema import Unmatched

log = logging.getLogger(__name__)

# Takes (report bytes, envelope recipients, refused reason or None) in a thread.
Take = Callable[[bytes, Sequence[str], Unmatched | None], Outcome]


class ReportHandler:
    """aiosmtpd handler: each message handed over is one report for the one path."""

    def __init__(self, take: Take, allow: Sequence[str]) -> None:
        self._take = take
        self._allow = [ipaddress.ip_network(network) for network in allow]

    def allowed(self, peer: object) -> bool:
        """Whether the connecting host may hand over reports."""
        host = peer[0] if isinstance(peer, tuple) and peer else ""
        try:
            address = ipaddress.ip_address(str(host).split("%")[0])
        except ValueError:
            return False
        return any(address in network for network in self._allow)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Record the report; answer as the outcome says."""
        content: bytes = envelope.original_content or envelope.content or b""
        refused = None if self.allowed(session.peer) else Unmatched.NOT_ALLOWED
        try:
            outcome = await asyncio.to_thread(
                self._take, content, tuple(envelope.rcpt_tos), refused
            )
        except Exception:  # the database is unreachable: the relay keeps it for later
            log.exception("cannot record a bounce report")
            return "451 4.3.0 cannot record the report now, try again later"
        if refused is not None:
            log.warning("refused a bounce report from %s (not in [bounces] allow)",
                        session.peer[0] if session.peer else "?")
            return "550 5.7.1 this host may not hand over bounce reports"
        if outcome.deferred:
            return "451 4.3.0 the delivery is still being sent, try again later"
        return "250 2.0.0 report recorded"


async def serve_reports(
    handler: ReportHandler, *, host: str, port: int, lmtp: bool, hostname: str
) -> asyncio.Server:
    """Start serving on host:port (SMTP, or LMTP) in the running loop; the asyncio server."""
    protocol = LMTP if lmtp else SMTP
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: protocol(
            handler, hostname=hostname, data_size_limit=4 * MAX_REPORT_BYTES,
            enable_SMTPUTF8=True, decode_data=False, ident="syndication bounces",
        ),
        host=host, port=port,
    )
