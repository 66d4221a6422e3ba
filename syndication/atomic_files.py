"""Writing the output folder: atomically (temp file + rename) and only when bytes change.

A rebuild with nothing new rewrites nothing, so file times and ETags stay put and HTTP
caches stay valid; a reader never sees a half-written feed. Files are public (0644, in
0755 folders) unless `private` (0600 in 0700 folders: the data folder's caches), see
`file_modes`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from syndication.file_modes import (
    PRIVATE_FILE,
    PRIVATE_FOLDER,
    PUBLIC_FILE,
    PUBLIC_FOLDER,
    make_folders,
)


def write_bytes_atomic(path: Path, content: bytes, *, private: bool = False) -> None:
    """Replace `path` with `content` in one rename, creating parent folders."""
    make_folders(path.parent, PRIVATE_FOLDER if private else PUBLIC_FOLDER)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, PRIVATE_FILE if private else PUBLIC_FILE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write `content` atomically unless the file already holds exactly it; True if written."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    write_bytes_atomic(path, content)
    return True
