"""CSV files uploaded to the console, kept between their preview and their import.

They hold personal data: each is a private file (0600) in `<data>/uploads/` (a private
folder), named by a random token the preview page carries; an import deletes its file,
and any file older than `KEEP_SECONDS` is deleted at the next upload. The folder is
registered in `syndication.personal_data`: erasing a person deletes every upload that
names their address (`delete_uploads_naming`).
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from syndication.delivery.erasure import address_pattern
from syndication.file_modes import PRIVATE_FILE, make_private_folder

FOLDER = "uploads"
KEEP_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def keep_upload(data_dir: Path, data: bytes) -> str:
    """Store an uploaded file; its token. Older uploads are deleted on the way."""
    folder = data_dir / FOLDER
    make_private_folder(folder)
    forget_old_uploads(folder)
    token = secrets.token_urlsafe(16)
    descriptor = os.open(folder / f"{token}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                         PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return token


def upload_path(data_dir: Path, token: str) -> Path | None:
    """The file of a token, if the token is well-formed and the file still there."""
    if not TOKEN.fullmatch(token):
        return None
    path = data_dir / FOLDER / f"{token}.csv"
    return path if path.is_file() else None


def forget_old_uploads(folder: Path, *, now: float | None = None) -> int:
    """Delete the uploads older than `KEEP_SECONDS`; how many."""
    limit = (now or time.time()) - KEEP_SECONDS
    deleted = 0
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def uploads_naming(data_dir: Path, address: str) -> list[Path]:
    """The kept uploads whose text names the address (any spelling, any case)."""
    pattern = address_pattern(address)
    return [path for path in sorted((data_dir / FOLDER).glob("*.csv"))
            if pattern.search(path.read_bytes().decode("utf-8", errors="replace"))]


def delete_uploads_naming(data_dir: Path, address: str) -> int:
    """Delete every kept upload whose text names the address; how many."""
    found = uploads_naming(data_dir, address)
    for path in found:
        path.unlink(missing_ok=True)
    return len(found)
