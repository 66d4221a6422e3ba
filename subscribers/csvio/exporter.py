"""CSV export of the active subscribers, in the format the importer reads back."""

from __future__ import annotations

import csv
from itertools import groupby
from typing import TextIO

from sqlalchemy import Connection, Engine, select

from storage import reading
from subscribers.csvio.fileformat import COLUMNS, neutralise
from subscribers.fields import split_values
from subscribers.model import Status
from subscribers.schema import lists, subscribers, subscriptions

STREAM_BATCH = 1_000


def export_csv(target: Connection | Engine, out: TextIO, *, delimiter: str = ",") -> int:
    """Write the active subscribers who are on a list as CSV; return the rows written."""
    query = (
        select(
            subscribers.c.id,
            subscribers.c.email,
            subscribers.c.name,
            subscribers.c.organisation,
            subscribers.c.languages,
            subscriptions.c.themes,
            subscriptions.c.frequency,
            lists.c.name.label("list_name"),
        )
        .join(subscriptions, subscriptions.c.subscriber_id == subscribers.c.id)
        .join(lists, lists.c.id == subscriptions.c.list_id)
        .where(subscribers.c.status == Status.ACTIVE.value)
        .order_by(
            subscribers.c.email,
            subscribers.c.id,
            subscriptions.c.themes,
            subscriptions.c.frequency,
            lists.c.name,
        )
    )
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    with reading(target) as conn:
        result = conn.execute(query, execution_options={"yield_per": STREAM_BATCH})
        for _key, group in groupby(result, key=lambda row: (row.id, row.themes, row.frequency)):
            rows = list(group)
            first = rows[0]
            cells = [
                first.email,
                first.name,
                first.organisation,
                ";".join(split_values(first.languages)),
                ";".join(row.list_name for row in rows),
                ";".join(split_values(first.themes)),
                first.frequency,
            ]
            writer.writerow([neutralise(cell) for cell in cells])
            written += 1
    return written
