"""Reports from files: one message, an mbox, or a Maildir (`bounces import`, `[bounces] maildir`).

A folder with `new/` or `cur/` is a Maildir; a file whose first line starts with "From "
is an mbox (mboxrd/mboxo: the email package's reader); any other file is one message.
`drain_maildir` takes the reports of a Maildir through the one path and deletes each once
it is recorded (matched or kept aside), so the database is the only copy; a deferred
report stays for the next pass.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from pathlib import Path

from syndication.bounces.intake import Outcome, Tally
from syndication.errors import ReportSourceError

MAX_FILES = 100_000  # messages read from one Maildir pass, at most


def is_maildir(path: Path) -> bool:
    """Whether `path` is a Maildir folder."""
    return path.is_dir() and ((path / "new").is_dir() or (path / "cur").is_dir())


def read_reports(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every message at `path`; ReportSourceError if it is none of the three."""
    try:
        if path.is_dir():
            if not is_maildir(path):
                raise ReportSourceError(f"{path}: a folder that is not a Maildir (no new/ or cur/)")
            for file in maildir_files(path):
                yield str(file), file.read_bytes()
            return
        with path.open("rb") as stream:
            first = stream.read(5)
        if first == b"From ":
            box = mailbox.mbox(path, factory=None, create=False)
            try:
                for number, key in enumerate(box.iterkeys(), start=1):
                    yield f"{path} (message {number})", box.get_bytes(key)
            finally:
                box.close()
            return
        yield str(path), path.read_bytes()
    except FileNotFoundError:
        raise ReportSourceError(f"{path}: no such file or folder") from None
    except OSError as error:
        raise ReportSourceError(f"{path}: cannot be read: {error.strerror or error}") from None


def maildir_files(folder: Path) -> list[Path]:
    """The message files of a Maildir's new/ and cur/ (tmp/ is being written), oldest first."""
    files: list[Path] = []
    for part in ("new", "cur"):
        box = folder / part
        if box.is_dir():
            files.extend(entry for entry in box.iterdir()
                         if entry.is_file() and not entry.name.startswith("."))
    return sorted(files, key=lambda entry: entry.name)[:MAX_FILES]


def drain_maildir(folder: Path, take: Callable[[bytes], Outcome]) -> Tally:
    """Take every report of the Maildir; delete those recorded; the tally."""
    tally = Tally()
    for file in maildir_files(folder):
        try:
            data = file.read_bytes()
        except FileNotFoundError:  # another reader took it
            continue
        outcome = take(data)
        tally.add(outcome)
        if not outcome.deferred:
            file.unlink(missing_ok=True)
    return tally
