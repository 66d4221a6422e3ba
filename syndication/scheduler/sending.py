"""The outbox drained on a thread of its own, with its own event loop.

Sending and the web server used to share `run`'s one event loop: under 2,000 conditional
GETs a second the sender fell from about 330 to 14 messages a second, because every
request callback queued ahead of the SMTP replies. On its own loop the sender gets its
turn every GIL switch interval, whatever the web traffic.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.sender import send_due
from syndication.delivery.signing_pool import SigningPool
from syndication.releases.catalog import ReleaseCatalog

log = logging.getLogger("syndication.scheduler")

SEND_POLL = 1.0  # seconds between outbox checks when nothing woke the sender


class SendingThread:
    """Sends what is due, again and again, until `stop()`; `wake()` when work was planned."""

    def __init__(self, engine: Engine, settings: Settings, catalog: ReleaseCatalog) -> None:
        self.engine = engine
        self.settings = settings
        self.catalog = catalog
        self._thread = threading.Thread(target=self._main, name="sender", daemon=True)
        self._started = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False

    def start(self) -> None:
        """Start the thread and wait until it can take `wake()` and `stop()`."""
        self._thread.start()
        self._started.wait()

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._call(lambda event: event.set(), "wake")

    def stop(self) -> None:
        """Finish the deliveries in flight, hand back the other claims, and end."""
        self._stopping = True
        self._call(lambda event: event.set(), "stop")

    def alive(self) -> bool:
        """Whether the sending thread runs."""
        return self._thread.is_alive()

    def join(self) -> None:
        """Wait for the thread to end."""
        self._thread.join()

    def _call(self, action: Callable[[asyncio.Event], None], which: str) -> None:
        with self._lock:
            loop, event = self._loop, self._stop if which == "stop" else self._wake
            if loop is not None and event is not None and not loop.is_closed():
                loop.call_soon_threadsafe(action, event)

    def _main(self) -> None:
        try:
            asyncio.run(self._drain())
        finally:
            with self._lock:
                self._loop = None
            self._started.set()

    async def _drain(self) -> None:
        stop, wake = asyncio.Event(), asyncio.Event()
        with self._lock:
            self._loop, self._stop, self._wake = asyncio.get_running_loop(), stop, wake
        if self._stopping:
            stop.set()
        self._started.set()
        dkim = self.settings.mail.dkim
        # One signing process for the life of `run`, not one per wake-up (≈ 0.5 s each).
        signing = SigningPool(dkim, source=str(self.settings.config_path)) if dkim else None
        try:
            while not stop.is_set():
                wake.clear()
                try:
                    if self.catalog.stale():
                        await asyncio.to_thread(self.catalog.load)
                    summary = await send_due(
                        self.engine, self.settings, self.catalog.by_id(), stop=stop,
                        signing=signing,
                    )
                except Exception:
                    log.exception("sending failed; trying again shortly")
                else:
                    if summary.sent or summary.failed or summary.retry:
                        log.info("sent %d, failed %d, to retry %d",
                                 summary.sent, summary.failed, summary.retry)
                        continue
                await _wait_any(stop, wake, SEND_POLL)
        finally:
            if signing is not None:
                signing.close()


async def _wait_any(first: asyncio.Event, second: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.create_task(first.wait()), asyncio.create_task(second.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
