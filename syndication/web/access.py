"""The access log and the HTTP metrics: one line and one count per request, by route template.

A request is named by the template of the route that matched (`/confirm/{token}`, never the
token; `/api/subscribers/{email:path}`, never the address), so neither the log nor the
metrics' labels hold a secret or personal data, and the metrics' label sets stay bounded.
Files of the output folder are logged by their path when served (public names), by the
catch-all template when not (a client can put anything in a path that is a 404). No query
string and no client address is logged: a reverse proxy in front keeps those if wanted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syndication.metrics import HTTP_REQUESTS, HTTP_SECONDS

log = logging.getLogger("syndication.access")
UNMATCHED = "(unmatched)"
FILES = "/{path:path}"  # the catch-all route of the output folder


class AccessLog:
    """ASGI middleware: after each HTTP answer, log it and count it."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting the answer's status."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before the answer started is a 500 to the client

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(self.routes, scope)
        method = str(scope.get("method", ""))
        HTTP_REQUESTS.labels(method, route, f"{status // 100}xx").inc()
        HTTP_SECONDS.labels(route).observe(seconds)
        shown = str(scope.get("path", "")) if route == FILES and status < 400 else route
        log.info(
            "%s %s %d %.1f ms", method, shown, status, seconds * 1000,
            extra={"http_method": method, "route": route, "path": shown, "status": status,
                   "duration_ms": round(seconds * 1000, 1)},
        )


def route_template(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The path template of the first route matching the request's path (any method).

    The router records the route it chose in the scope (`scope["route"]` in Starlette 1.x,
    a 405's route included): read, not matched again. Only a request answered before
    routing (a cross-site refusal, an error) is matched here."""
    chosen = scope.get("route")
    if isinstance(chosen, Route):
        return chosen.path
    if chosen is not None:
        return UNMATCHED
    partial = None
    for route in routes:
        match, _child = route.matches(scope)
        if match is Match.FULL:
            return route.path if isinstance(route, Route) else UNMATCHED
        if match is Match.PARTIAL and partial is None and isinstance(route, Route):
            partial = route.path  # the path matched, the method did not (a 405)
    return partial or UNMATCHED
