"""The console's audit log page: every change, newest first, filtered, in keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from syndication.console.audit import Channel, read_audit
from syndication.web.console.guard import Visit, console_page

PAGE = 100
SINCE = {"1d": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}


@console_page()
async def audit_index(visit: Visit) -> Response:
    """GET /admin/audit?actor&channel&q&since&before: one page of the log."""
    query = visit.request.query_params
    period = SINCE.get(query.get("since", ""))
    since = datetime.now(UTC) - period if period else None
    before = query.get("before", "")
    actor, channel, text = query.get("actor", ""), query.get("channel", ""), query.get("q", "")
    entries = await run_in_threadpool(lambda: read_audit(
        visit.web.engine, since=since, actor=actor.strip(), channel=channel, text=text.strip(),
        before_id=int(before) if before.isdigit() else None, limit=PAGE + 1))
    keep = {key: value for key, value in query.items()
            if key in ("actor", "channel", "q", "since") and value}
    return visit.page(
        "audit", entries=entries[:PAGE], more=len(entries) > PAGE, keep=keep,
        channels=(Channel.CONSOLE, Channel.API, Channel.CLI), periods=tuple(SINCE),
        actor=actor, channel=channel, q=text, since=query.get("since", ""),
    )
