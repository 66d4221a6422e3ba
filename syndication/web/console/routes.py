"""Every route of the console, under `/admin/`."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from syndication.web.console.guard import Visit, console_page
from syndication.web.console.home import dashboard, live_mailings, static_file
from syndication.web.console.login import login, login_form, logout
from syndication.web.console.subscriber_pages import (
    subscriber_edit,
    subscriber_erase,
    subscriber_erase_form,
    subscriber_remove,
    subscriber_show,
    subscribers_index,
)


def console_routes() -> list[Route]:
    """The console's routes (mounted before the output folder's catch-all)."""
    return [
        Route("/admin/login", login_form, methods=["GET"]),
        Route("/admin/login", login, methods=["POST"]),
        Route("/admin/logout", logout, methods=["POST"]),
        Route("/admin/static/{name}", static_file, methods=["GET"]),
        Route("/admin/", dashboard, methods=["GET"]),
        Route("/admin", dashboard, methods=["GET"]),
        Route("/admin/live/mailings", live_mailings, methods=["GET"]),
        Route("/admin/subscribers", subscribers_index, methods=["GET"]),
        Route("/admin/subscribers/{email:path}/edit", subscriber_edit, methods=["POST"]),
        Route("/admin/subscribers/{email:path}/remove", subscriber_remove, methods=["POST"]),
        Route("/admin/subscribers/{email:path}/erase", subscriber_erase_form, methods=["GET"]),
        Route("/admin/subscribers/{email:path}/erase", subscriber_erase, methods=["POST"]),
        Route("/admin/subscribers/{email:path}", subscriber_show, methods=["GET"]),
        Route("/admin/{rest:path}", not_found, methods=["GET", "POST"]),
    ]


@console_page()
async def not_found(visit: Visit) -> Response:
    """Any other path under /admin/: 404 (never a file of the output folder)."""
    return visit.page("missing", status_code=404, what=visit.request.url.path)
