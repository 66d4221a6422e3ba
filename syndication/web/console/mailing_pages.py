"""The console's mailing pages: where each stands, its failures with replies, cancel, retry.

Cancelling is asked first on a page of its own; retrying plans the failed deliveries
again at once. Both take the admin role.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from syndication.console.accounts import Role
from syndication.delivery.report import delivery_report
from syndication.delivery.steering import cancel_mailing, check_mailing, retry_mailing
from syndication.errors import MailingError, UnknownMailing
from syndication.web.console.guard import Visit, console_page


@console_page()
async def mailings_index(visit: Visit) -> Response:
    """GET /admin/mailings: every mailing, newest first, with its state and progress."""
    report = await run_in_threadpool(lambda: delivery_report(visit.web.engine))
    return visit.page("mailings", summaries=list(reversed(report.summaries())))


@console_page()
async def mailing_show(visit: Visit) -> Response:
    """GET /admin/mailings/{key}: counts by status, retries waiting, failures with replies."""
    key = visit.request.path_params["key"]
    report = await run_in_threadpool(lambda: delivery_report(visit.web.engine))
    line = next((item for item in report.mailings if item.key == key), None)
    if line is None:
        return visit.page("missing", status_code=404, what=key)
    return visit.page(
        "mailing", line=line, state=report.state(line), notice=visit.request.query_params.get(
            "done", ""),
        retries=[item for item in report.retries if item.mailing == key],
        failures=[item for item in report.failures if item.mailing == key],
    )


@console_page(role=Role.ADMIN)
async def mailing_cancel_form(visit: Visit) -> Response:
    """GET /admin/mailings/{key}/cancel: confirm the cancellation."""
    key = visit.request.path_params["key"]
    try:
        await run_in_threadpool(lambda: check_mailing(visit.web.engine, key))
    except UnknownMailing:
        return visit.page("missing", status_code=404, what=key)
    return visit.page("mailing_cancel", key=key)


@console_page(role=Role.ADMIN)
async def mailing_cancel(visit: Visit) -> Response:
    """POST /admin/mailings/{key}/cancel (confirm=yes): nothing planned of it is sent."""
    key = visit.request.path_params["key"]
    if visit.field("confirm") != "yes":
        return RedirectResponse(f"/admin/mailings/{key}/cancel", status_code=303)
    try:
        done = await run_in_threadpool(lambda: cancel_mailing(
            visit.web.engine, key, at=datetime.now(UTC)))
    except UnknownMailing:
        return visit.page("missing", status_code=404, what=key)
    await visit.record("mailing cancel", subject=key,
                       detail=f"{done.skipped} not sent, {done.sent} sent before")
    return RedirectResponse(f"/admin/mailings/{key}?done=cancelled", status_code=303)


@console_page(role=Role.ADMIN)
async def mailing_retry(visit: Visit) -> Response:
    """POST /admin/mailings/{key}/retry: plan its failed deliveries again, due now."""
    key = visit.request.path_params["key"]
    try:
        done = await run_in_threadpool(lambda: retry_mailing(
            visit.web.engine, key, at=datetime.now(UTC)))
    except UnknownMailing:
        return visit.page("missing", status_code=404, what=key)
    except MailingError as error:
        return visit.page("refused", status_code=409, reason=str(error))
    await visit.record("mailing retry", subject=key, detail=f"{done.planned} planned again")
    return RedirectResponse(f"/admin/mailings/{key}?done=retried", status_code=303)
