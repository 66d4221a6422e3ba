"""What every route of the web app shares: settings, database, releases, mailer, limits.

The sign-up limits keep their events in the database (`rate_events`), so that several
`run` processes on one database enforce one window together, not one each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr

from sqlalchemy import Engine
from starlette.requests import Request

from subscribers import list_names
from syndication.audience import closed_lists, open_lists
from syndication.config import Settings
from syndication.delivery.transports import open_transport
from syndication.releases import Release
from syndication.web.rate_events import TableEvents
from syndication.web.ratelimit import Limit, RateLimiter

SendMessage = Callable[[str, bytes], Awaitable[str]]
# Abuse limits of POST /subscribe: requests per client address, confirmations per address.
IP_LIMIT = Limit(count=10, seconds=60)
ADDRESS_LIMIT = Limit(count=3, seconds=3600)


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass
class WebContext:
    """The dependencies of the routes, kept in `app.state.web`."""

    settings: Settings
    engine: Engine
    releases: Callable[[], Mapping[str, Release]]
    send_message: SendMessage
    clock: Callable[[], datetime] = utc_now
    ip_limit: RateLimiter = field(init=False)
    address_limit: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.ip_limit = RateLimiter(IP_LIMIT, store=TableEvents(self.engine, "ip"))
        self.address_limit = RateLimiter(ADDRESS_LIMIT, store=TableEvents(self.engine, "address"))

    def secret(self) -> bytes | None:
        """The token-signing secret (None when unset: token routes answer 503)."""
        return self.settings.secret()

    def open_lists(self) -> tuple[str, ...]:
        """Lists anyone may join on the web (see `syndication.audience`)."""
        closed = closed_lists(self.settings, self.releases().values())
        return open_lists(list_names(self.engine), closed)


def context(request: Request) -> WebContext:
    """The WebContext of the app serving `request`."""
    web: WebContext = request.app.state.web
    return web


def transport_sender(settings: Settings) -> SendMessage:
    """Send one message now through the configured transport (opened and closed per call)."""
    envelope_from = parseaddr(settings.mail.from_address)[1]

    async def send(recipient: str, message: bytes) -> str:
        transport = open_transport(settings)
        try:
            return await transport.send(sender=envelope_from, recipient=recipient, message=message)
        finally:
            await transport.close()

    return send


def client_address(request: Request) -> str:
    """The client's IP address (uvicorn applies X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"


def wants_json(request: Request) -> bool:
    """Whether to answer in JSON: a JSON body, or an Accept preferring JSON to HTML."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
