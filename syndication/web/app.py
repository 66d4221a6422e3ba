"""The Starlette app of `run`: subscription pages, the admin API, and the output folder.

Routes, first match wins: `/healthz`, `/readyz`, `/metrics` (`health.py`), `/subscribe`,
`/confirm/…`, `/unsubscribe/…`, `/preferences/…` (`subscription.py`), `/api/…` (`api.py`),
`/admin/…` (the console, `console/`), then any other GET or HEAD path is a file of the
output folder (`static.py`; `/` is `index.html`). The routes' database is the given engine
with bounded lock waits, and a busy database is a 503 from any route (`busy.py`). Every
answer carries the security headers (`security_headers.py`); a state-changing request from
a site not in `[web] allowed_origins` is refused (`origins.py`). Every request is logged and
counted by its route template (`access.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storage import bounded_waits
from syndication.config import Settings
from syndication.releases import Release
from syndication.releases.catalog import ReleaseCatalog
from syndication.web.access import AccessLog
from syndication.web.api import admin, api_routes
from syndication.web.busy import LOCK_WAIT, answer_busy
from syndication.web.console.context import ConsoleContext
from syndication.web.console.routes import console_routes
from syndication.web.context import SendMessage, WebContext, transport_sender, utc_now
from syndication.web.health import health_routes
from syndication.web.origins import AllowedOrigins
from syndication.web.security_headers import SecurityHeaders
from syndication.web.static import OutputFolder
from syndication.web.subscription import subscription_routes


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    releases: Callable[[], Mapping[str, Release]] | None = None,
    send_message: SendMessage | None = None,
    clock: Callable[[], datetime] | None = None,
    lock_wait: float = LOCK_WAIT,
    alive: Callable[[], bool] = lambda: True,
) -> Starlette:
    """The web app; `releases` defaults to the releases folder, re-read once per scan.

    Its routes wait at most `lock_wait` seconds for a lock another writer holds; `/readyz`
    asks `alive` whether the process's scheduler or sender runs (`run` says).
    """
    engine = bounded_waits(engine, lock_wait)
    if releases is None:
        releases = _folder_releases(ReleaseCatalog(engine, settings))
    output = OutputFolder(settings.output_dir)
    routes = [
        *health_routes(alive),
        *subscription_routes(),
        *api_routes(),
        *console_routes(),
        Route("/api/{rest:path}", _no_such_api, methods=["GET", "POST", "PUT", "DELETE"]),
        Route("/{path:path}", output.respond, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes, middleware=[
        Middleware(AccessLog, routes=routes),
        Middleware(SecurityHeaders),
        Middleware(AllowedOrigins, origins=settings.web.allowed_origins),
    ], exception_handlers={DBAPIError: answer_busy})
    app.state.web = WebContext(
        settings=settings, engine=engine, releases=releases,
        send_message=send_message or transport_sender(settings), clock=clock or utc_now,
    )
    app.state.console = ConsoleContext(app.state.web)
    return app


def _folder_releases(catalog: ReleaseCatalog) -> Callable[[], Mapping[str, Release]]:
    def current() -> Mapping[str, Release]:
        if catalog.stale():
            catalog.load()
        return catalog.by_id()

    return current


@admin
async def _no_such_api(request: Request) -> Response:
    return JSONResponse({"error": f"no such API route: {request.url.path}"}, status_code=404)
