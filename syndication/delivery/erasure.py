"""Erasing a person from what delivery wrote: SMTP replies in the outbox, Maildir copies.

A server's refusal often quotes the address ("550 5.1.1 <ann@example.org>: no such
user"); the delivery row outlives the subscriber (its link is set to NULL), so the reply
would keep the address for ever. The Maildir transport's copies name it in their
`Delivered-To` and `To` headers. Both are matched case-insensitively, in the address's
Unicode and IDNA (punycode) spellings.
"""

from __future__ import annotations

import contextlib
import email.header
import email.message
import email.parser
import email.policy
import email.utils
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from sqlalchemy import Column, ColumnElement, Connection, or_, select, update

from syndication.delivery.outbox_schema import deliveries

REDACTED = "<erased address>"


def spellings(address: str) -> tuple[str, ...]:
    """The address as it may have been written: as given, and with an IDNA domain."""
    local, _, domain = address.rpartition("@")
    found = {address.lower()}
    # Not encodable (or already Unicode): no other spelling can have been written.
    with contextlib.suppress(UnicodeError):
        found.add(f"{local}@{domain.encode('idna').decode('ascii')}".lower())
    with contextlib.suppress(UnicodeError):
        found.add(f"{local}@{domain.encode('ascii').decode('idna')}".lower())
    return tuple(sorted(found))


def address_pattern(address: str) -> re.Pattern[str]:
    """The address in any of its spellings, as a whole address, case-insensitively."""
    # Whole addresses only: erasing ann@example.org must not cut into joann@example.org.
    return re.compile(
        r"(?<![\w.!#$%&'*+/=?^`{|}~-])(?:"
        + "|".join(re.escape(form) for form in spellings(address))
        + r")(?![\w-]|\.\w)", re.IGNORECASE,
    )


def redact_address(text: str, address: str) -> str:
    """`text` (a server's reply) without the address in it."""
    return address_pattern(address).sub(REDACTED, text)


def mentions(column: ColumnElement[str | None], address: str) -> ColumnElement[bool]:
    """SQL that finds the candidate rows whose `column` may quote the address (a LIKE)."""
    return or_(*(column.ilike(f"%{form}%") for form in spellings(address)))


def scrub_column(
    conn: Connection, column: Column[str | None], address: str,
    also: ColumnElement[bool] | None = None,
) -> int:
    """Replace the address in a text column of every row (of a table with an `id`) quoting
    it, and of the rows `also` selects; how many rows changed."""
    table = column.table
    pattern = address_pattern(address)
    # A LIKE finds the candidates; Python does the case-insensitive replace everywhere.
    quoting = mentions(column, address) if also is None else or_(mentions(column, address), also)
    rows = conn.execute(select(table.c.id, column).where(column.is_not(None), quoting)).all()
    scrubbed = 0
    for row_id, text in rows:
        cleaned = pattern.sub(REDACTED, text)
        if cleaned != text:
            conn.execute(update(table).where(table.c.id == row_id).values({column.name: cleaned}))
            scrubbed += 1
    return scrubbed


def scrub_replies(conn: Connection, address: str, subscriber_ids: Collection[int]) -> int:
    """Remove the address from every stored reply (the person's and any other); the count."""
    mine = deliveries.c.subscriber_id.in_(subscriber_ids) if subscriber_ids else None
    return scrub_column(conn, deliveries.c.last_reply, address, also=mine)


def delete_maildir_copies(folder: Path, address: str) -> int:
    """Delete the Maildir messages addressed (To or Delivered-To) to the address; the count."""
    forms = set(spellings(address))
    deleted = 0
    for path in _messages(folder):
        if forms & _recipients(path):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def maildir_copies(folder: Path, address: str) -> list[dict[str, str]]:
    """The Maildir messages addressed to the address (GDPR access): file, date, subject."""
    forms = set(spellings(address))
    found = []
    for path in sorted(_messages(folder)):
        headers = _headers(path)
        if forms & _addressees(headers):
            found.append({"file": f"{path.parent.name}/{path.name}",
                          "date": str(headers.get("Date", "")),
                          "subject": str(email.header.make_header(email.header.decode_header(
                              str(headers.get("Subject", "")))))})
    return found


def _messages(folder: Path) -> Iterator[Path]:
    for part in ("new", "cur", "tmp"):
        box = folder / part
        if box.is_dir():
            yield from (path for path in box.iterdir() if path.is_file())


def _recipients(path: Path) -> set[str]:
    return _addressees(_headers(path))


def _headers(path: Path) -> email.message.Message:
    with path.open("rb") as stream:
        return email.parser.BytesHeaderParser(policy=email.policy.compat32).parse(stream)


def _addressees(headers: email.message.Message) -> set[str]:
    values = headers.get_all("Delivered-To", []) + headers.get_all("To", [])
    return {found.lower() for _, found in email.utils.getaddresses([str(v) for v in values])}


__all__ = [
    "REDACTED", "address_pattern", "delete_maildir_copies", "maildir_copies", "mentions",
    "redact_address", "scrub_column", "scrub_replies", "spellings",
]
