"""The release cache: each file's parsed release or problems, kept between runs.

`data/cache/releases/NN.pickle` holds the files whose names fall in shard NN, with the key
they were parsed under. The key covers everything besides the file that shapes its release:
the config it was validated against, the loader's code (found by following its imports, so
a change of the Markdown allow-list or of the phone format can never serve a stale release)
and the libraries that turn text into HTML, numbers and addresses.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from syndication.atomic_files import write_bytes_atomic
from syndication.code_fingerprint import code_fingerprint
from syndication.config import Settings
from syndication.errors import Problem
from syndication.pickling import PickledByFields
from syndication.releases.model import Release

# The module whose import closure turns a file into a release (validation and cache included).
LOADER = "syndication.releases.load"
# What turns the same file into different HTML, numbers or addresses.
LIBRARIES = ("cmarkgfm", "nh3", "phonenumbers", "email-validator")
_CACHE_SHARDS = 64


@dataclass(frozen=True, slots=True)
class ParsedFile(PickledByFields):
    """One file as the loader left it: its (mtime_ns, size), its release or its problems."""

    stamp: tuple[int, int]
    release: Release | None
    problems: tuple[Problem, ...]


def cache_folder(data_dir: Path) -> Path:
    """Where a site's release cache lives."""
    return data_dir / "cache" / "releases"


def cache_key(settings: Settings, lists: Collection[str]) -> str:
    """What a cached file's release depends on besides the file: config, code, libraries."""
    parts = (
        code_fingerprint(LOADER, libraries=LIBRARIES),
        settings.languages, sorted(settings.themes), sorted(lists),
        sorted((key, repr(contact)) for key, contact in settings.contacts.items()),
        str(settings.releases_dir),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# The cache is split in shards by file name, so an edit to one release rewrites one shard
# (a few hundred KB) rather than the whole site's.
def _shard_of(name: str) -> int:
    return zlib.crc32(name.encode()) % _CACHE_SHARDS


def read_cache(folder: Path, key: str) -> dict[str, ParsedFile]:
    """The cached files by name, from the shards written under `key` (others are stale)."""
    results: dict[str, ParsedFile] = {}
    for shard in range(_CACHE_SHARDS):
        try:
            stored_key, entries = pickle.loads(  # noqa: S301 - our own file
                (folder / f"{shard:02d}.pickle").read_bytes()
            )
        except Exception:  # noqa: S112 - a missing, stale or corrupt shard is rebuilt
            continue
        if stored_key == key and isinstance(entries, dict):
            results.update(entries)
    return results


def write_cache(
    folder: Path, key: str, results: dict[str, ParsedFile], before: dict[str, ParsedFile]
) -> None:
    """Store `results`, rewriting only the shards where they differ from `before`."""
    shards: dict[int, dict[str, ParsedFile]] = {shard: {} for shard in range(_CACHE_SHARDS)}
    for name, result in results.items():
        shards[_shard_of(name)][name] = result
    changed = {_shard_of(name) for name in results.keys() ^ before.keys()}
    changed |= {_shard_of(name) for name in results.keys() & before.keys()
                if results[name] is not before[name]}
    for shard in changed:
        write_bytes_atomic(
            folder / f"{shard:02d}.pickle",
            pickle.dumps((key, shards[shard]), protocol=pickle.HIGHEST_PROTOCOL),
            private=True,  # it holds embargoed text
        )
