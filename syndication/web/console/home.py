"""The dashboard page, its live mailing counts, and the console's own static files."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from syndication.resources import TEMPLATES_DIR
from syndication.web.console.dashboard import (
    due_next,
    mailings_in_progress,
    recent_bounces,
    recent_failures,
)
from syndication.web.console.guard import Visit, console_page

STATIC = TEMPLATES_DIR / "console" / "static"
STATIC_FILES = {"console.css": "text/css", "console.js": "text/javascript"}


@console_page()
async def dashboard(visit: Visit) -> Response:
    """GET /admin/: what is due next, mailings in progress, recent failures and bounces."""
    web = visit.web
    settings = web.settings
    releases = web.releases().values()
    due = due_next(releases, settings.schedule, settings.timezone, web.clock())

    def read() -> tuple[object, object, object]:
        return (mailings_in_progress(web.engine), recent_failures(web.engine),
                recent_bounces(web.engine))

    sending, failures, bounces = await run_in_threadpool(read)
    return visit.page("dashboard", due=due, sending=sending, failures=failures,
                      bounces=bounces)


@console_page()
async def live_mailings(visit: Visit) -> Response:
    """GET /admin/live/mailings: the mailings table alone, for the dashboard to reload."""
    sending = await run_in_threadpool(lambda: mailings_in_progress(visit.web.engine))
    return visit.page("_mailings", sending=sending)


async def static_file(request: Request) -> Response:
    """GET /admin/static/NAME: the console's stylesheet and script (no secret in them)."""
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        return PlainTextResponse("Not found", status_code=404)
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name],
                        headers={"Cache-Control": "max-age=3600"})
