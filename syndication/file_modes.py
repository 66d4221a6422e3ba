"""Who may read what the product writes.

The output folder is public: a static web server running as another user serves it, so its
folders are 0755 and its files 0644. Everything else is the service user's alone, because
it holds personal data or embargoed text: the data folder (the SQLite database and its WAL,
the release cache, the Maildir outbox, bounce reports) is 0700 and its files 0600, whatever
the umask. The command line also sets the umask to 077, so files written by libraries
(SQLite, `mailbox`) are private from their first byte.
"""

from __future__ import annotations

import os
from pathlib import Path

PUBLIC_FOLDER = 0o755
PUBLIC_FILE = 0o644
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077


def make_folders(path: Path, mode: int) -> None:
    """Create `path` and its missing parents, each with exactly `mode` (not umask-reduced)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue  # made meanwhile by another process: leave its mode
        os.chmod(folder, mode)


def make_private_folder(path: Path) -> None:
    """Create `path` if missing and make it (not its parents) the service user's alone."""
    make_folders(path, PRIVATE_FOLDER)
    os.chmod(path, PRIVATE_FOLDER)


def make_private_files(*paths: Path) -> None:
    """Make each existing file of `paths` readable and writable by its owner only."""
    for path in paths:
        try:
            os.chmod(path, PRIVATE_FILE)
        except FileNotFoundError:
            continue
