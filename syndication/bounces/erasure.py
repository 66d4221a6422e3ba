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


def delete_unmatched(conn: Connection, address: str) -> int:
    """Delete the reports kept aside that name the address; how many."""
    pattern = address_pattern(address)
    rows = conn.execute(
        select(unmatched_reports.c.id, unmatched_reports.c.content)
        .where(mentions(unmatched_reports.c.content, address))
    ).all()
    doomed = [row.id for row in rows if pattern.search(row.content)]
    if doomed:
        conn.execute(delete(unmatched_reports).where(unmatched_reports.c.id.in_(doomed)))
    return len(doomed)


def delete_waiting_reports(folder: Path | None, address: str) -> int:
    """Delete the messages waiting in the bounce Maildir that name the address; how many."""
    if folder is None or not folder.is_dir():
        return 0
    pattern = address_pattern(address)
    deleted = 0
    for path in maildir_files(folder):
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            continue
        if pattern.search(text):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
