"""What the console's routes share beyond the web app's context: the sign-in limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from syndication.web.context import WebContext
from syndication.web.rate_events import TableEvents
from syndication.web.ratelimit import Limit, RateLimiter

# Sign-in attempts per client address (every process on the database counts together);
# the account itself locks after `accounts.MAX_FAILURES` failures in a row.
LOGIN_LIMIT = Limit(count=20, seconds=300)
SLOW_DOWN = 0.5  # seconds of wait per failure in a row before an answer to a failed sign-in


@dataclass
class ConsoleContext:
    """The console's own dependencies, kept in `app.state.console`."""

    web: WebContext
    slow_down: float = SLOW_DOWN
    login_limit: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.login_limit = RateLimiter(LOGIN_LIMIT, store=TableEvents(self.web.engine, "login"))


def console(request: Request) -> ConsoleContext:
    """The console context of the app serving `request`."""
    found: ConsoleContext = request.app.state.console
    return found
