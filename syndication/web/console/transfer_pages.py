"""The console's import and export: upload a CSV, preview what would change, apply; export.

The preview runs the import's own checks without changing anything (`preview_csv`):
new, updated (with what changes), unchanged and rejected rows with their line numbers.
Import and export take the admin role: an export is personal data, which an editor
does not take away.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from subscribers import ImportStopped, SubscriberError, export_csv, import_csv, preview_csv
from syndication.audience import closed_lists
from syndication.console.accounts import Role
from syndication.console.uploads import keep_upload, upload_path
from syndication.web.console.guard import Visit, console_page


@console_page()
async def import_form(visit: Visit) -> Response:
    """GET /admin/import: the upload form and the export button."""
    return visit.page("import", problem="")


def _closed(visit: Visit) -> frozenset[str]:
    return closed_lists(visit.settings, visit.web.releases().values())


@console_page(role=Role.ADMIN)
async def import_preview(visit: Visit) -> Response:
    """POST /admin/import/preview (multipart: file, update): what the import would do."""
    if not visit.upload:
        return visit.page("import", problem="nofile", status_code=422)
    data = visit.upload
    token = await run_in_threadpool(lambda: keep_upload(visit.settings.data_dir, data))
    return await _preview(visit, token, update=visit.field("update") == "1")


async def _preview(visit: Visit, token: str, *, update: bool) -> Response:
    path = upload_path(visit.settings.data_dir, token)
    if path is None:
        return visit.page("import", problem="expired", status_code=410)
    settings, closed = visit.settings, _closed(visit)
    seen = await run_in_threadpool(lambda: preview_csv(
        visit.web.engine, path, update=update, languages=settings.languages,
        themes=settings.themes, secret=visit.secret, closed_lists=closed))
    return visit.page("import_preview", preview=seen, token=token, update=update,
                      name=visit.upload_name or visit.field("name"))


@console_page(role=Role.ADMIN)
async def import_apply(visit: Visit) -> Response:
    """POST /admin/import/apply (token, update): import the previewed file."""
    token, update = visit.field("token"), visit.field("update") == "1"
    path = upload_path(visit.settings.data_dir, token)
    if path is None:
        return visit.page("import", problem="expired", status_code=410)
    settings, closed = visit.settings, _closed(visit)
    try:
        report = await run_in_threadpool(lambda: import_csv(
            visit.web.engine, path, update=update, languages=settings.languages,
            themes=settings.themes, secret=visit.secret, closed_lists=closed))
    except (ImportStopped, SubscriberError) as error:
        return visit.page("import", problem=str(error), status_code=500)
    finally:
        path.unlink(missing_ok=True)
    name = visit.field("name") or "upload.csv"
    await visit.record("import", subject=name, detail=(
        f"new {report.imported}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {len(report.errors)}" + (" (update mode)" if update else "")))
    return visit.page("import_done", report=report, name=name)


@console_page(role=Role.ADMIN)
async def export(visit: Visit) -> Response:
    """GET /admin/export: the active subscribers as CSV (with a BOM, for spreadsheets)."""
    out = io.StringIO()
    written = await run_in_threadpool(lambda: export_csv(visit.web.engine, out))
    await visit.record("export", detail=f"{written} rows")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="subscribers-{stamp}.csv"'})
