"""What every route of the web app shares: settings, database, releases, mailer, limits.

The sign-up limits keep their events in the database (`rate_events`), so that several
`run` processes on one database enforce one window together, not one each. Confirmations
are limited per mailbox (`mailbox_key`: `Victim+tag@Example.org` is `victim@example.org`),
so sub-addresses cannot multiply one inbox's quota, and per domain on top.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr

from sqlalchemy import Engine
from starlette.requests import Request

from subscribers import Keyring, address_key, list_names
from syndication.audience import closed_lists, open_lists
from syndication.config import Settings
from syndication.delivery.transports import open_transport
from syndication.releases import Release
from syndication.web.rate_events import TableEvents
from syndication.web.ratelimit import Limit, RateLimiter

SendMessage = Callable[[str, bytes], Awaitable[str]]
# Abuse limits of POST /subscribe: requests per client address, confirmations per mailbox,
# and per domain (generous: a whole newsroom may sign up at once, but not a whole provider).
IP_LIMIT = Limit(count=10, seconds=60)
ADDRESS_LIMIT = Limit(count=3, seconds=3600)
DOMAIN_LIMIT = Limit(count=50, seconds=3600)


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
    domain_limit: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.ip_limit = RateLimiter(IP_LIMIT, store=TableEvents(self.engine, "ip"))
        self.address_limit = RateLimiter(ADDRESS_LIMIT, store=TableEvents(self.engine, "address"))
        self.domain_limit = RateLimiter(DOMAIN_LIMIT, store=TableEvents(self.engine, "domain"))

    def confirmation_wait(self, email: str) -> int:
        """0 if one more confirmation may go to `email` (and count it), else seconds to wait."""
        key = mailbox_key(email)
        # The mailbox first: a refused mailbox must not use up its domain's room.
        return self.address_limit.retry_after(key) or self.domain_limit.retry_after(
            key.rpartition("@")[2])

    def secret(self) -> bytes | None:
        """The token-signing secret (None when unset: token routes answer 503)."""
        return self.settings.secret()

    def keyring(self) -> Keyring | None:
        """The secret and the one it replaced: what tokens and erasure hashes verify with."""
        return self.settings.keyring()

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
    """The client's IP address (uvicorn applies X-Forwarded-For from `[web] trusted_proxies`)."""
    return request.client.host if request.client else "unknown"


def mailbox_key(email: str) -> str:
    """The inbox an address reaches: its `address_key` (ASCII case folded, the domain's
    IDNA A-label) without the local part's `+tag`. `ſam` is not `sam`."""
    local, _, domain = email.rpartition("@")
    return address_key(f"{local.split('+', 1)[0]}@{domain}")


def wants_json(request: Request) -> bool:
    """Whether to answer in JSON: a JSON body, or an Accept preferring JSON to HTML."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
