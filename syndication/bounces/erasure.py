"""Erasing a person from the bounce store and the bounce Maildir.

A bounce quotes the failed address ("550 5.1.1 <ann@example.org>: no such user") in the
diagnostic kept beside its delivery: the address is replaced there, as in the outbox's
replies (delivery/erasure.py), in the person's reports and anyone else's. A report kept
aside unmatched is the whole message as it came: any that names the address is deleted,
and so is any message waiting in `[bounces] maildir` that names it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, delete, select

from syndication.bounces.schema import delivery_reports, unmatched_reports
from syndication.bounces.sources import maildir_files
from syndication.delivery.erasure import address_pattern, mentions, scrub_column


def scrub_diagnostics(conn: Connection, address: str) -> int:
    """Replace the address in every recorded report's diagnostic; how many were changed."""
    return scrub_column(conn, delivery_reports.c.diagnostic, address)


def unmatched_naming(conn: Connection, address: str) -> list[dict[str, str]]:
    """The reports kept aside that name the address (GDPR access): when, why, how."""
    pattern = address_pattern(address)
    rows = conn.execute(
        select(unmatched_reports.c.id, unmatched_reports.c.received_at,
               unmatched_reports.c.reason, unmatched_reports.c.source,
               unmatched_reports.c.content)
        .where(mentions(unmatched_reports.c.content, address))
        .order_by(unmatched_reports.c.id)
    ).all()
    return [
        {"id": str(row.id), "received": row.received_at.isoformat(), "reason": row.reason,
         "source": row.source}
        for row in rows if pattern.search(row.content)
    ]


def delete_unmatched(conn: Connection, address: str) -> int:
    """Delete the reports kept aside that name the address; how many."""
    doomed = [int(row["id"]) for row in unmatched_naming(conn, address)]
    if doomed:
        conn.execute(delete(unmatched_reports).where(unmatched_reports.c.id.in_(doomed)))
    return len(doomed)


def waiting_reports_naming(folder: Path | None, address: str) -> list[Path]:
    """The messages waiting in the bounce Maildir that name the address."""
    if folder is None or not folder.is_dir():
        return []
    pattern = address_pattern(address)
    found = []
    for path in maildir_files(folder):
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            continue
        if pattern.search(text):
            found.append(path)
    return found


def delete_waiting_reports(folder: Path | None, address: str) -> int:
    """Delete the messages waiting in the bounce Maildir that name the address; how many."""
    found = waiting_reports_naming(folder, address)
    for path in found:
        path.unlink(missing_ok=True)
    return len(found)
