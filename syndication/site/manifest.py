"""The build manifest: for each file of the output folder, what it was built from.

`data/cache/site-manifest.json` maps each output path to the fingerprint of its inputs and
the modification time and size the file had once written. A file whose fingerprint is the
same and whose time and size are untouched is not rendered again; a file listed in the
manifest but no longer built (a release withdrawn or moved to the future, a theme removed)
is deleted. Files the build did not write are never touched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from syndication.atomic_files import write_bytes_atomic

_VERSION = 2

# Each file's record is one string, "fingerprint:mtime_ns:size": JSON reads 20,000 of them
# without building an object per file.
_SEPARATOR = ":"


def record_of(fingerprint: str, mtime_ns: int, size: int) -> str:
    """The manifest record of a file just written (or found identical)."""
    return f"{fingerprint}{_SEPARATOR}{mtime_ns}{_SEPARATOR}{size}"


@dataclass(frozen=True, slots=True)
class Manifest:
    """The site fingerprint the files were built with, and each file's record by path."""

    site: str = ""
    files: dict[str, str] = field(default_factory=dict)


def manifest_path(data_dir: Path) -> Path:
    """Where the manifest of a site lives."""
    return data_dir / "cache" / "site-manifest.json"


def is_current(file_path: str, fingerprint: str, record: str) -> bool:
    """Whether the file was built from these inputs and not removed or edited since."""
    if not record.startswith(fingerprint + _SEPARATOR):
        return False
    try:
        stat = os.stat(file_path)
    except FileNotFoundError:
        return False
    return record == record_of(fingerprint, stat.st_mtime_ns, stat.st_size)


def read_manifest(path: Path, output_dir: Path) -> Manifest:
    """The manifest of `output_dir`; empty if missing, for another folder or unreadable."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return Manifest()  # a missing or damaged manifest only costs one full render
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return Manifest()
    site, files = data.get("site"), data.get("files")
    if data.get("output") != str(output_dir.resolve()) or not isinstance(files, dict):
        return Manifest()
    if not isinstance(site, str) or not all(isinstance(r, str) for r in files.values()):
        return Manifest()
    return Manifest(site, files)


def write_manifest(path: Path, output_dir: Path, manifest: Manifest) -> None:
    """Record the files of `output_dir` (sorted, so the manifest itself is stable)."""
    files = manifest.files
    data = {
        "version": _VERSION,
        "output": str(output_dir.resolve()),
        "site": manifest.site,
        "files": {name: files[name] for name in sorted(files)},
    }
    write_bytes_atomic(path, json.dumps(data, separators=(",", ":")).encode(), private=True)
