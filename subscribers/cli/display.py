"""Showing results on the command line: a Rich table on a terminal, else plain columns,
or CSV, or JSON, as ``--format`` asks."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from subscribers.csvio.fileformat import neutralise


class Format(StrEnum):
    """Output formats of the listing commands."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def emit(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    output: Format,
    stream: TextIO,
    *,
    title: str | None = None,
) -> None:
    """Write ``rows`` (one mapping per row, keyed by column) to ``stream``."""
    if output is Format.JSON:
        stream.write(json.dumps([dict(row) for row in rows], ensure_ascii=False, indent=2))
        stream.write("\n")
    elif output is Format.CSV:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row.get(column, "")) for column in columns])
    elif stream.isatty():
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            # Text, not str: a name like "[bold]" must not be read as Rich markup.
            table.add_row(*(Text(row.get(column, "")) for column in columns))
        Console(file=stream).print(table)
    else:
        write_columns(rows, columns, stream, title=title)


def print_json(value: object) -> None:
    """Print a JSON document on stdout, as the admin API serves it (UTF-8, indented)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_columns(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    stream: TextIO,
    *,
    title: str | None = None,
) -> None:
    """Write plain text columns, padded to the widest cell, for pipes and logs."""
    cells = [list(columns)] + [
        [_one_line(row.get(column, "")) for column in columns] for row in rows
    ]
    widths = [max(len(line[index]) for line in cells) for index in range(len(columns))]
    if title:
        stream.write(f"{title}\n")
    for line in cells:
        padded = "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        stream.write(padded.rstrip() + "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def show_time(value: datetime | None) -> str:
    """Render a time as RFC 3339 in UTC to the second ("" for none)."""
    return "" if value is None else value.astimezone(UTC).isoformat(timespec="seconds")
