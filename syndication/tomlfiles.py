"""Reading a TOML file that a person (or an attacker) wrote: bounded in size, depth and kind.

Every limit is checked before the work it protects:
- size, on the open file, before reading it whole (a 1.5 GB "release" once took 1.6 GB of
  memory before the size check ran);
- kind: a release file is opened with O_NOFOLLOW, so a symbolic link cannot make the loader
  read a file outside its folder, even one swapped in after the folder was listed;
- depth: tomllib recurses once per nesting level, so ≈ 500 nested arrays or ≈ 400 nested
  inline tables (≈ 1.2 KB) raise RecursionError; that becomes one named problem, and a
  document that parses is then walked (without recursion) to refuse anything nested deeper
  than any real release or config needs, so no later step can recurse on it either.
"""

from __future__ import annotations

import errno
import os
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from syndication.errors import UnreadableFile

_WHERE = re.compile(r"at line (\d+), column (\d+)")
# A date, or a date and time, as TOML writes it; whether it exists is checked apart.
_DATE_LIKE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
)
MAX_DEPTH = 16  # the document counts as 1: a release goes 4 deep ([[attachments]] title)


def read_toml_file(
    path: Path, *, max_bytes: int, follow_links: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """The raw bytes and the parsed document of `path`; UnreadableFile names the reason.

    A symbolic link is refused unless `follow_links` (a config file may be a link an
    operator made; a release file inside the releases folder may not).
    """
    raw = _read_bounded(path, max_bytes, follow_links=follow_links)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"is not UTF-8 text: {error}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UnreadableFile(toml_reason(text, error)) from None
    except RecursionError:
        document = None
    if document is None or nests_deeper_than(document, MAX_DEPTH):
        raise UnreadableFile(f"nests arrays or tables more than {MAX_DEPTH} levels deep")
    return raw, document


def toml_reason(text: str, error: tomllib.TOMLDecodeError) -> str:
    """Why `text` is not TOML, in words: an impossible date is named with its line and key.

    tomllib reads `2026-12-32T10:00:00+01:00` as a bad token ("Expected newline or end of
    document after a statement"), which says nothing to the person who wrote the date.
    """
    where = _WHERE.search(str(error))
    lines = text.splitlines()
    if where is not None and 0 < int(where.group(1)) <= len(lines):
        number = int(where.group(1))
        line = lines[number - 1]
        written = _DATE_LIKE.search(line)
        why = None if written is None else _impossible(written.group())
        if written is not None and why is not None:
            key, equals, _ = line[: written.start()].partition("=")
            named = f"{key.strip()}: " if equals else ""
            return (f"line {number}: {named}{written.group()} is not a valid date ({why}); "
                    "write it like 2026-12-31T10:00:00+01:00")
    return f"is not valid TOML: {error}"


def _impossible(written: str) -> str | None:
    """The reason a date or date-time as written cannot exist, or None if it can."""
    try:
        datetime.fromisoformat(written.upper().replace("Z", "+00:00"))
    except ValueError as error:
        return str(error)
    return None


def nests_deeper_than(value: object, limit: int) -> bool:
    """Whether arrays and tables in `value` go more than `limit` deep, found without recursion."""
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _read_bounded(path: Path, max_bytes: int, *, follow_links: bool) -> bytes:
    flags = os.O_RDONLY | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise  # the caller words it: "no such config file", or the file went away
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile("is a symbolic link: release and config files must be "
                                 "regular files") from None
        raise UnreadableFile(f"cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise UnreadableFile(f"is {size} bytes; the limit is {max_bytes}")
        raw = handle.read(max_bytes + 1)  # the file may have grown since fstat
    if len(raw) > max_bytes:
        raise UnreadableFile(f"is more than {max_bytes} bytes; the limit is {max_bytes}")
    return raw
