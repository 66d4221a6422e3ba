"""Writing the output folder: atomically (temp file + rename) and only when bytes change.

A rebuild with nothing new rewrites nothing, so file times and ETags stay put and HTTP
caches stay valid; a reader never sees a half-written feed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one rename, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
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
