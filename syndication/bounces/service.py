"""The leader's share of bounce intake in `run`: the `listen` server and the Maildir reader.

Only the process that holds the scheduler lock runs them (scheduler/runner.py starts them
when it takes the lock and stops them when it loses it), so with several `run` processes
one listens and one reads the Maildir; the others' relays get "connection refused" and
retry, as relays do.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Engine

from syndication.bounces.intake import Outcome, keep_aside, take_report
from syndication.bounces.schema import Source, Unmatched
from syndication.bounces.server import ReportHandler, serve_reports
from syndication.bounces.sources import drain_maildir, is_maildir
from syndication.config import Settings
from syndication.errors import ServiceError

log = logging.getLogger(__name__)

# Bytes kept of a report from a host not allowed: enough to see who sent what, too little
# for a stranger to fill the database.
NOT_ALLOWED_KEPT = 4096


class BounceIntake:
    """Starts and stops the `listen` server; reads the bounce Maildir when asked."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._server: asyncio.Server | None = None

    @property
    def listening(self) -> tuple[str, int] | None:
        """Where the server listens now, if it does."""
        if self._server is None or not self._server.sockets:
            return None
        host, port = self._server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def start(self) -> None:
        """Listen on `[bounces] listen` if set; ServiceError if the port cannot be had."""
        listen = self.settings.bounces.listen
        if listen is None or self._server is not None:
            return
        handler = ReportHandler(self._take_listened, self.settings.bounces.allow)
        hostname = urlsplit(self.settings.base_url).hostname or socket.getfqdn()
        try:
            self._server = await serve_reports(
                handler, host=listen[0], port=listen[1], lmtp=self.settings.bounces.lmtp,
                hostname=hostname,
            )
        except OSError as error:
            raise ServiceError(f"[bounces] listen: cannot listen on {listen[0]}:{listen[1]}: "
                               f"{error.strerror or error}") from None
        log.info("accepting bounce reports on %s:%d", *listen)

    async def stop(self) -> None:
        """Stop listening (reports in progress finish)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def read_maildir(self) -> None:
        """Take the reports waiting in `[bounces] maildir`, if set (off the event loop)."""
        folder = self.settings.bounces.maildir
        if folder is None or not is_maildir(folder):
            return
        tally = await asyncio.to_thread(
            drain_maildir, folder,
            lambda data: take_report(self.engine, self.settings, data, source=Source.MAILDIR,
                                     now=datetime.now(UTC)),
        )
        if tally.matched or tally.unmatched:
            log.info("bounce Maildir: %d matched, %d kept aside unmatched, %d deferred",
                     sum(tally.matched.values()), sum(tally.unmatched.values()), tally.deferred)

    def _take_listened(
        self, data: bytes, envelope_to: Sequence[str], refused: Unmatched | None
    ) -> Outcome:
        now = datetime.now(UTC)
        if refused is not None:
            return keep_aside(self.engine, data[:NOT_ALLOWED_KEPT], refused,
                              source=Source.LISTEN, now=now)
        return take_report(self.engine, self.settings, data, source=Source.LISTEN, now=now,
                           envelope_to=envelope_to)
