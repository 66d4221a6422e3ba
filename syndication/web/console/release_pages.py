"""The console's release pages: every release, its page and newsletters previewed, its
audience, and a test send to the signed-in admin's own address.

The previews are rendered the way `preview` renders them (`render_preview`,
`render_release_page`): any release, public, scheduled or embargoed, in each language it
has, and each kind of newsletter about it (alert, embargo notice if it has one, digest).
They are shown in frames of the console itself (same origin only). Editors may preview
and test-send too.
"""

from __future__ import annotations

from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from subscribers import Frequency
from syndication.delivery.release_stats import audience, mailing_stats
from syndication.errors import DeliveryError
from syndication.mail import MailKind, render_preview
from syndication.pages.release import render_release_page
from syndication.releases import Release
from syndication.web.console.guard import Visit, console_page

# The console's own frames may show a preview; no other site may frame it.
FRAMED = {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy":
          "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
          "script-src 'none'; frame-ancestors 'self'"}


def release_kinds(release: Release) -> tuple[MailKind, ...]:
    """The newsletters about a release: its alert, its embargo notice, the digest."""
    embargo = (MailKind.EMBARGO,) if release.embargo is not None else ()
    return (MailKind.ALERT, *embargo, MailKind.DIGEST)


def release_status(release: Release, now: datetime) -> str:
    """public now, embargoed (an advance copy goes out first) or scheduled."""
    if release.is_public(now):
        return "public now"
    return "embargoed" if release.embargo is not None else "scheduled"


@console_page()
async def releases_index(visit: Visit) -> Response:
    """GET /admin/releases: every release, newest first, with its status and deliveries."""
    web = visit.web
    stats = await run_in_threadpool(lambda: mailing_stats(web.engine))
    now = web.clock()
    releases = sorted(web.releases().values(), key=lambda r: (r.published, r.id), reverse=True)
    return visit.page("releases", releases=[
        (release, release_status(release, now), stats.get(release.id, {}))
        for release in releases])


def _release(visit: Visit) -> Release | None:
    return visit.web.releases().get(visit.request.path_params["id"])


@console_page()
async def release_show(visit: Visit) -> Response:
    """GET /admin/releases/{id}: previews in every language and kind, audiences, test send."""
    return await _show(visit)


async def _show(visit: Visit, *, sent: str = "", status_code: int = 200) -> Response:
    release = _release(visit)
    if release is None:
        return visit.page("missing", status_code=404, what=visit.request.path_params["id"])
    engine = visit.web.engine

    def reach() -> dict[str, dict[str, int]]:
        counts = {MailKind.ALERT.value: audience(engine, release)}
        for frequency in (Frequency.DAILY, Frequency.WEEKLY):
            counts[frequency.value] = audience(engine, release, frequencies=(frequency,))
        if release.embargo is not None:
            counts[MailKind.EMBARGO.value] = audience(
                engine, release, lists=release.embargo.lists, frequencies=tuple(Frequency))
        return counts

    return visit.page("release", release=release, kinds=release_kinds(release),
                      status=release_status(release, visit.web.clock()),
                      audiences=await run_in_threadpool(reach), sent=sent,
                      status_code=status_code)


@console_page()
async def release_page_preview(visit: Visit) -> Response:
    """GET /admin/releases/{id}/page/{lang}: the release's public page, as it will be."""
    release, language = _release(visit), visit.request.path_params["lang"]
    if release is None or language not in release.versions:
        return PlainTextResponse("No such release or language.", status_code=404)
    html = render_release_page(visit.settings, release, language)
    return HTMLResponse(html, headers=FRAMED)


@console_page()
async def release_mail_preview(visit: Visit) -> Response:
    """GET /admin/releases/{id}/mail/{kind}/{lang}[?format=text]: one newsletter."""
    release, language = _release(visit), visit.request.path_params["lang"]
    kind = _kind(release, visit.request.path_params["kind"])
    if release is None or kind is None or language not in release.versions:
        return PlainTextResponse("No such release, kind or language.", status_code=404)
    if visit.request.query_params.get("format") == "text":
        text = render_preview(visit.settings, release, (language,), fmt="text", kind=kind)
        return PlainTextResponse(text, headers=FRAMED)
    html = render_preview(visit.settings, release, (language,), fmt="html", kind=kind)
    return HTMLResponse(html, headers=FRAMED)


def _kind(release: Release | None, name: str) -> MailKind | None:
    if release is None:
        return None
    return next((kind for kind in release_kinds(release) if kind.value == name), None)


@console_page()
async def release_test_send(visit: Visit) -> Response:
    """POST /admin/releases/{id}/test (kind, lang): one test message to the admin's address."""
    release = _release(visit)
    kind = _kind(release, visit.field("kind"))
    language = visit.field("lang")
    if release is None or kind is None or language not in release.versions:
        return PlainTextResponse("No such release, kind or language.", status_code=404)
    to = visit.admin.email
    if not to:
        return await _show(visit, sent="noaddress", status_code=409)
    message = render_preview(visit.settings, release, (language,), fmt="eml", kind=kind, to=to)
    try:
        await visit.web.send_message(to, message)
    except DeliveryError:
        return await _show(visit, sent="failed", status_code=502)
    return await _show(visit, sent="sent")
