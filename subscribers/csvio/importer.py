"""CSV import of subscribers (the file format is described in `fileformat`).

Import checks every row and reports each rejected one with its line number and reason;
good rows are imported in batches (one multi-row INSERT per table per batch) unless
``strict``, where a single rejected row imports nothing. An empty ``languages`` cell
means the site languages, an empty ``lists`` cell every list, an empty ``frequency``
``immediate``. A repeated address in the file, an existing subscriber and an erased
address are rejected too.

Given an Engine, each batch is a transaction of its own, and the next batch is read and
checked between two: an import of 700,000 rows never holds SQLite's one write lock for
more than a batch, so a one-click unsubscribe meanwhile waits a fraction of a second, not
the whole import. An import stopped by a database error keeps the batches it committed
and says where it stopped (`ImportStopped`): running it again imports the rest (the rows
already in are then reported as subscribers). With ``strict`` every row is checked first,
so a batch is rejected only if another writer added one of its addresses in between.
Given a Connection, the caller's transaction holds the whole import.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError

from storage import reading, writing
from subscribers.addresses import address_key
from subscribers.csvio.fileformat import decoded_lines, detect_delimiter
from subscribers.csvio.row_checks import (
    Candidate,
    Header,
    RowError,
    RowRules,
    check_row,
    read_header,
)
from subscribers.errors import ImportStopped
from subscribers.keyring import Secret
from subscribers.lists import list_ids
from subscribers.model import ConsentSource, Status
from subscribers.schema import consents, subscribers, subscriptions
from subscribers.suppressions import erased_among, require_secret

BATCH = 1_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of an import: rows imported and rows rejected (by line)."""

    imported: int
    errors: tuple[RowError, ...]


@dataclass(frozen=True, slots=True)
class _Site:
    """What every batch is checked against, read once before the first."""

    rules: RowRules
    known_lists: dict[str, int]
    secret: Secret | None


def import_csv(
    target: Connection | Engine,
    path: Path | str,
    *,
    languages: Sequence[str],
    themes: Collection[str],
    strict: bool = False,
    secret: Secret | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    closed_lists: Collection[str] = (),
) -> ImportReport:
    """Import subscribers from a CSV file; ``progress(done, total)`` counts bytes.

    A row without lists goes on every list but the `closed_lists`.
    """
    path = Path(path)
    now = now or datetime.now(UTC)
    total = path.stat().st_size * (2 if strict else 1)
    with reading(target) as conn:
        secret = require_secret(conn, secret)
        known_lists = list_ids(conn)
    rules = RowRules(languages=languages, themes=themes, lists=known_lists,
                     closed_lists=closed_lists)
    site = _Site(rules, known_lists, secret)
    if strict:
        checked = _run(target, path, site, now, insert_rows=False,
                       progress=_offset(progress, 0, total))
        if checked.errors:
            return ImportReport(imported=0, errors=checked.errors)
    offset = total // 2 if strict else 0
    return _run(target, path, site, now, insert_rows=True,
                progress=_offset(progress, offset, total))


def _offset(progress: Progress | None, offset: int, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda done: progress(offset + done, total)


def _run(
    target: Connection | Engine,
    path: Path,
    site: _Site,
    now: datetime,
    *,
    insert_rows: bool,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    errors: list[RowError] = []
    imported = 0
    for batch in _batches(_candidates(path, site.rules, errors, progress), errors):
        try:
            with _batch_transaction(target, insert_rows) as conn:
                imported += _flush(conn, batch, site, now, errors, insert_rows, path)
        except DBAPIError as error:
            if not insert_rows or isinstance(target, Connection):
                raise
            raise ImportStopped(imported=imported, line=batch[0].line, cause=error) from error
    return ImportReport(imported=imported, errors=tuple(sorted(errors, key=lambda e: e.line)))


@contextmanager
def _batch_transaction(target: Connection | Engine, insert_rows: bool) -> Iterator[Connection]:
    """The transaction of one batch: its own for an Engine (a write one if it inserts)."""
    with (writing if insert_rows else reading)(target) as conn:
        if conn.dialect.name == "postgresql":
            # psycopg prepares a statement run 5 times; PostgreSQL may then pick a generic
            # plan for the per-batch ``email_key IN (...)`` lookups that scans the whole
            # table, which made 100,000-row imports quadratic. Plan each lookup for its
            # values.
            conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        yield conn


def _batches(candidates: Iterator[Candidate], errors: list[RowError]) -> Iterator[list[Candidate]]:
    """Group the rows into batches of `BATCH`, rejecting an address the file repeats."""
    seen: dict[str, int] = {}
    batch: list[Candidate] = []
    for candidate in candidates:
        first = seen.setdefault(address_key(candidate.email), candidate.line)
        if first != candidate.line:
            errors.append(
                RowError(
                    candidate.line,
                    f"duplicate in file: {candidate.email} is on line {first} already",
                )
            )
            continue
        batch.append(candidate)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _candidates(
    path: Path, rules: RowRules, errors: list[RowError], progress: Callable[[int], None] | None
) -> Iterator[Candidate]:
    """Yield the rows that pass the checks needing no database; record the others."""
    bad_lines: set[int] = set()
    with path.open("rb") as raw:
        delimiter = detect_delimiter(raw.readline())
        raw.seek(0)
        # strict: a quote left open runs to the end of the file and is reported, instead
        # of silently swallowing every row after it into one cell.
        reader = csv.reader(
            decoded_lines(raw, bad_lines, progress), delimiter=delimiter, strict=True
        )
        header: Header | str = "empty file: a header row is required"
        try:
            for cells in reader:
                header = _not_text(cells, bad_lines) or read_header(cells)
                break
        except csv.Error as error:
            header = f"unreadable header: {error}"
        if isinstance(header, str):
            errors.append(RowError(1, header))
            return
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                reason = (
                    "a quoted cell starting here is never closed"
                    if "end of data" in str(error)
                    else f"unreadable CSV: {error}"
                )
                errors.append(RowError(start, reason))
                start = reader.line_num + 1
                continue
            line, end, start = start, reader.line_num, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if bad_lines.intersection(range(line, end + 1)):
                errors.append(RowError(line, "not valid UTF-8 (save the file as CSV UTF-8)"))
                continue
            checked = check_row(line, cells, header, rules)
            if isinstance(checked, RowError):
                errors.append(checked)
            else:
                yield checked


def _not_text(cells: list[str], bad_lines: set[int]) -> str | None:
    """Why the header line shows the file is not UTF-8 text (UTF-16, binary), if it does."""
    if 1 in bad_lines or any("\x00" in cell for cell in cells):
        return "not a UTF-8 text file (UTF-16? binary?): save the file as CSV UTF-8"
    return None


def _flush(
    conn: Connection,
    batch: list[Candidate],
    site: _Site,
    now: datetime,
    errors: list[RowError],
    insert_rows: bool,
    path: Path,
) -> int:
    """Reject the batch's existing and erased addresses; insert the rest if asked."""
    if not batch:
        return 0
    emails = [candidate.email for candidate in batch]
    keys = [address_key(email) for email in emails]
    existing: dict[str, str] = dict(
        conn.execute(
            select(subscribers.c.email_key, subscribers.c.status).where(
                subscribers.c.email_key.in_(keys)
            )
        ).all()
    )
    erased = erased_among(conn, emails, site.secret)
    good: list[Candidate] = []
    for candidate in batch:
        status = existing.get(address_key(candidate.email))
        if candidate.email in erased:
            reason = "was erased at the person's request: add it with --resubscribe, if they ask"
            errors.append(RowError(candidate.line, f"{candidate.email} {reason}"))
        elif status is not None:
            reason = f"is a subscriber already ({status})"
            errors.append(RowError(candidate.line, f"{candidate.email} {reason}"))
        else:
            good.append(candidate)
    if insert_rows and good:
        _insert(conn, good, site.known_lists, now, path.name)
    return len(good)


def _insert(
    conn: Connection,
    good: list[Candidate],
    known_lists: dict[str, int],
    now: datetime,
    file_name: str,
) -> None:
    keys = [address_key(c.email) for c in good]
    # A plain executemany (no RETURNING) is the fast path of both drivers; one SELECT
    # on the unique key then fetches the new ids.
    conn.execute(
        insert(subscribers),
        [
            {
                "email": c.email,
                "email_key": key,
                "name": c.name,
                "organisation": c.organisation,
                "languages": ",".join(c.languages),
                "status": Status.ACTIVE.value,
                "created_at": now,
                "confirmed_at": now,
                "bounces": 0,
            }
            for c, key in zip(good, keys, strict=True)
        ],
    )
    id_of = dict(
        conn.execute(
            select(subscribers.c.email_key, subscribers.c.id).where(
                subscribers.c.email_key.in_(keys)
            )
        ).all()
    )
    ids = [id_of[key] for key in keys]
    links = [
        {
            "subscriber_id": subscriber_id,
            "list_id": known_lists[name],
            "themes": ",".join(c.themes),
            "frequency": c.frequency.value,
            "created_at": now,
        }
        for subscriber_id, c in zip(ids, good, strict=True)
        for name in c.lists
    ]
    if links:
        conn.execute(insert(subscriptions), links)
    conn.execute(
        insert(consents),
        [
            {
                "subscriber_id": subscriber_id,
                "source": ConsentSource.IMPORT.value,
                "given_at": now,
                "detail": f"import of {file_name}, line {c.line}",
            }
            for subscriber_id, c in zip(ids, good, strict=True)
        ],
    )
