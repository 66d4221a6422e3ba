"""The web server's own limits: deadlines for slow or idle clients and a connection cap.

uvicorn times out nothing before a request has arrived (its keep-alive timer starts only
after a response) and `limit_concurrency` still accepts the sockets, so idle connections
used to pile up until the process ran out of file descriptors (then ticks, the database
and SMTP failed too). `GuardedH11Protocol` closes a connection that has not sent a
complete request head within `HEAD_TIMEOUT` seconds (again after each response), or whose
body is still coming `BODY_TIMEOUT` seconds later, and closes at once a connection
accepted above `connection_cap()`, which leaves descriptors for everything else.
"""

from __future__ import annotations

import asyncio
import math
import resource
from collections.abc import Sequence
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds to send a complete request head
BODY_TIMEOUT = 30.0  # seconds, after the head, to send the whole body
KEEP_ALIVE = 5  # seconds an idle kept-alive connection stays open (uvicorn's timer)
MAX_CONNECTIONS = 1000
RESERVED_DESCRIPTORS = 64  # for the database, the scheduler, SMTP, logs and release files
# asyncio accepts up to `BACKLOG` sockets in one go before any protocol sees them, so the
# cap leaves room for a whole batch above it.
BACKLOG = 64


def connection_cap() -> int:
    """How many client connections at most: well under this process's descriptor limit."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    spare = min(soft - RESERVED_DESCRIPTORS - BACKLOG, soft // 2)
    return max(8, min(MAX_CONNECTIONS, spare))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head deadline, a body deadline and a cap."""

    cap = MAX_CONNECTIONS  # set by `guarded_server_config` from the descriptor limit
    head_timeout = HEAD_TIMEOUT  # these three too, from [web]
    body_timeout = BODY_TIMEOUT
    keep_alive = float(KEEP_ALIVE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.cap:
            transport.abort()  # accepted and closed at once: the descriptor is freed now
            return
        super().connection_made(transport)
        self._arm(self.head_timeout, self._head_overdue)

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline with the connection (an aborted one was never counted)."""
        self._disarm()
        if self.transport is not None:
            super().connection_lost(exc)

    def on_response_complete(self) -> None:
        """A kept-alive connection must send its next request head in time too."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.head_timeout + self.keep_alive, self._head_overdue)

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _head_overdue(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._waiting_for_head():
            self.transport.close()
        elif self.cycle.more_body:
            self._arm(self.body_timeout, self._body_overdue)

    def _body_overdue(self) -> None:
        self._deadline = None
        if not self.transport.is_closing() and self.cycle.more_body:
            self.transport.close()


def guarded_server_config(
    app: Any, *, trusted_proxies: Sequence[str] = (), head_timeout: float = HEAD_TIMEOUT,
    body_timeout: float = BODY_TIMEOUT, keep_alive: float = KEEP_ALIVE,
) -> uvicorn.Config:
    """uvicorn's configuration for `run`: the guarded protocol with these deadlines (in
    seconds; `[web]` head_timeout, body_timeout, keep_alive), and X-Forwarded-For believed
    from `trusted_proxies` only (none by default)."""
    GuardedH11Protocol.cap = connection_cap()
    GuardedH11Protocol.head_timeout = head_timeout
    GuardedH11Protocol.body_timeout = body_timeout
    GuardedH11Protocol.keep_alive = keep_alive
    proxies = list(trusted_proxies)
    return uvicorn.Config(
        app, http=GuardedH11Protocol, lifespan="off", log_level="warning", access_log=False,
        log_config=None,  # uvicorn's records go to the service's handler and format
        timeout_keep_alive=math.ceil(keep_alive), backlog=BACKLOG,
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies,
    )
