"""Every route of the console, under `/admin/`."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from syndication.web.console.audit_pages import audit_index
from syndication.web.console.guard import Visit, console_page
from syndication.web.console.home import dashboard, live_mailings, static_file
from syndication.web.console.list_pages import (
    list_create,
    list_delete,
    list_delete_form,
    list_label,
    lists_index,
)
from syndication.web.console.login import login, login_form, logout
from syndication.web.console.mailing_pages import (
    mailing_cancel,
    mailing_cancel_form,
    mailing_retry,
    mailing_show,
    mailings_index,
)
from syndication.web.console.release_pages import (
    release_mail_preview,
    release_page_preview,
    release_show,
    release_test_send,
    releases_index,
)
from syndication.web.console.subscriber_pages import (
    subscriber_edit,
    subscriber_erase,
    subscriber_erase_form,
    subscriber_remove,
    subscriber_show,
    subscribers_index,
)
from syndication.web.console.transfer_pages import (
    export,
    import_apply,
    import_form,
    import_preview,
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
        Route("/admin/lists", lists_index, methods=["GET"]),
        Route("/admin/lists", list_create, methods=["POST"]),
        Route("/admin/lists/{name}/label", list_label, methods=["POST"]),
        Route("/admin/lists/{name}/delete", list_delete_form, methods=["GET"]),
        Route("/admin/lists/{name}/delete", list_delete, methods=["POST"]),
        Route("/admin/import", import_form, methods=["GET"]),
        Route("/admin/import/preview", import_preview, methods=["POST"]),
        Route("/admin/import/apply", import_apply, methods=["POST"]),
        Route("/admin/export", export, methods=["GET"]),
        Route("/admin/mailings", mailings_index, methods=["GET"]),
        Route("/admin/mailings/{key:path}/cancel", mailing_cancel_form, methods=["GET"]),
        Route("/admin/mailings/{key:path}/cancel", mailing_cancel, methods=["POST"]),
        Route("/admin/mailings/{key:path}/retry", mailing_retry, methods=["POST"]),
        Route("/admin/mailings/{key:path}", mailing_show, methods=["GET"]),
        Route("/admin/releases", releases_index, methods=["GET"]),
        Route("/admin/releases/{id}", release_show, methods=["GET"]),
        Route("/admin/releases/{id}/page/{lang}", release_page_preview, methods=["GET"]),
        Route("/admin/releases/{id}/mail/{kind}/{lang}", release_mail_preview, methods=["GET"]),
        Route("/admin/releases/{id}/test", release_test_send, methods=["POST"]),
        Route("/admin/audit", audit_index, methods=["GET"]),
        Route("/admin/{rest:path}", not_found, methods=["GET", "POST"]),
    ]


@console_page()
async def not_found(visit: Visit) -> Response:
    """Any other path under /admin/: 404 (never a file of the output folder)."""
    return visit.page("missing", status_code=404, what=visit.request.url.path)
