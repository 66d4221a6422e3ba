"""The CSV file format shared by import and export: columns, delimiters, formula guard.

Files are UTF-8, with or without a byte-order mark, delimited by ``,`` or ``;`` (or a
tab), whichever the header line uses most. A header row is required; its columns are
``email,name,organisation,languages,lists,themes,frequency`` in any order, only
``email`` being mandatory. Multi-valued cells (languages, lists, themes) separate values
with ``;`` — quoted in a ``;``-delimited file — or with ``,`` or ``|`` (see `subscribers.fields`).

Spreadsheets run a cell starting with ``= + - @``, a tab or a carriage return as a
formula (CSV injection): export writes such a cell with a leading ``'``, and import
drops that ``'`` again, keeping the rest as plain text. The same holds for every part of a
cell after a ``,``, ``;`` or tab: a spreadsheet that splits on another delimiter than the
file's (Belgian Excel splits on ``;``) sees each part as a cell of its own, so
``Dupont;=cmd|…`` would otherwise run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

COLUMNS = ("email", "name", "organisation", "languages", "lists", "themes", "frequency")
FORMULA_STARTS = frozenset("=+-@\t\r")
_BOM = b"\xef\xbb\xbf"
_DELIMITERS = (",", ";", "\t")


# Where a spreadsheet may see a cell start: the start, or after a delimiter of any kind.
_PART_START = r"(?:^|(?<=[,;\t]))"
_FORMULA_AHEAD = "(?=[" + re.escape("".join(sorted(FORMULA_STARTS))) + "])"
_UNGUARDED = re.compile(_PART_START + _FORMULA_AHEAD)
_GUARDED = re.compile(_PART_START + "'" + _FORMULA_AHEAD)


def neutralise(cell: str) -> str:
    """Guard a cell and each of its delimited parts against formula injection with a ``'``."""
    return _UNGUARDED.sub("'", cell)


def plain(cell: str) -> str:
    """Undo ``neutralise``: each guarded formula-like part is plain text without its ``'``."""
    return _GUARDED.sub("", cell)


def detect_delimiter(header: bytes) -> str:
    """Return the delimiter the header line uses most (``,`` when none)."""
    text = header.decode("utf-8", errors="replace")
    return max(_DELIMITERS, key=lambda delimiter: (text.count(delimiter), delimiter == ","))


def decoded_lines(
    raw: BinaryIO,
    bad_lines: set[int],
    progress: Callable[[int], None] | None,
) -> Iterator[str]:
    """Yield the lines of a UTF-8 file as text, byte-order mark removed.

    A line that is not valid UTF-8 is decoded with replacement characters and its
    number (from 1) added to ``bad_lines``, so the row can be rejected with its line.
    ``progress`` gets the bytes read so far, every 64 KiB or so.
    """
    done = reported = 0
    for number, line in enumerate(raw, start=1):
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
            done += len(_BOM)
        done += len(line)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(number)
            yield line.decode("utf-8", errors="replace")
        if progress is not None and done - reported >= 65_536:
            progress(done)
            reported = done
    if progress is not None:
        progress(done)
