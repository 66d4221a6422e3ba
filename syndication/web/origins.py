"""Which sites may change state through `run`: `[web] allowed_origins`, against cross-site posts.

A browser says where a request comes from in `Origin` (or, on older paths, only in
`Referer`). A state-changing request (POST, PUT, PATCH, DELETE) that names a site not in
`allowed_origins` is refused with 403 before any route sees it: so another site's page
cannot sign someone up or change their preferences, whatever the body's content type (a
`text/plain` form needs no CORS preflight). A request naming no site at all (curl, scripts,
the admin API with its bearer token) passes: it is no browser acting for someone else.

The one exception is RFC 8058 one-click unsubscription, `POST /unsubscribe/{token}`: mail
providers send it from their own servers or their web mail pages, so from anywhere; the
signed token in the URL is its authority.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from syndication.config import origin_of

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ONE_CLICK_PREFIX = "/unsubscribe/"


class AllowedOrigins:
    """ASGI middleware answering 403 to a state-changing request from a site not allowed."""

    def __init__(self, app: ASGIApp, *, origins: Iterable[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request if it comes from a site not allowed; else pass it on."""
        if scope["type"] == "http" and not self.allowed(scope):
            response = PlainTextResponse(
                "Cross-site request refused: this site does not accept it from that page.",
                status_code=403,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allowed(self, scope: Scope) -> bool:
        """Whether the request may go on (see the module docstring)."""
        method = str(scope.get("method", "GET")).upper()
        if method not in STATE_CHANGING:
            return True
        if method == "POST" and is_one_click(str(scope.get("path", ""))):
            return True
        headers = Headers(scope=scope)
        claimed = headers.get("origin") or headers.get("referer")
        if not claimed:
            return True
        # "null" (a sandboxed or privacy-redirected page) and garbage name no allowed site.
        return origin_of(claimed) in self.origins


def is_one_click(path: str) -> bool:
    """Whether `path` is a one-click unsubscribe target, `/unsubscribe/{token}`."""
    token = path.removeprefix(ONE_CLICK_PREFIX)
    return path.startswith(ONE_CLICK_PREFIX) and bool(token) and "/" not in token
