"""Loading the releases folder: every file parsed and validated, every problem collected.

A bad file never hides the good ones: `load_releases` returns the valid releases beside the
problems of the others. Each file is read by `validate`; parsed files are kept by `cache`,
keyed on each file's size and modification time and on the config and code they were
validated with, so a rebuild of a site of thousands of releases only re-reads the files
that changed; a cold cache is parsed on every core (`process_pool`).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from syndication.config import Settings
from syndication.errors import Problem
from syndication.process_pool import WorkerPool, worker_count
from syndication.releases.cache import (
    ParsedFile,
    cache_folder,
    cache_key,
    read_cache,
    write_cache,
)
from syndication.releases.model import Release
from syndication.releases.validate import read_release_file

_FILES_PER_WORKER = 400  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class LoadedReleases:
    """The valid releases (oldest first) and the problems of the invalid ones."""

    releases: tuple[Release, ...]
    problems: tuple[Problem, ...]


def load_releases(
    settings: Settings, *, known_lists: Collection[str] = (), use_cache: bool = True
) -> LoadedReleases:
    """Load every `*.toml` in the releases folder; lists known are config's plus `known_lists`."""
    folder = settings.releases_dir
    lists = frozenset(settings.lists) | frozenset(known_lists)
    if not folder.is_dir():
        return LoadedReleases((), (Problem(str(folder), "", "the releases folder does not exist"),))
    cache_dir = cache_folder(settings.data_dir)
    key = cache_key(settings, lists)
    cache = read_cache(cache_dir, key) if use_cache else {}
    results: dict[str, ParsedFile] = {}
    stale: list[tuple[Path, tuple[int, int]]] = []
    # os.scandir and name strings: sorting 10,000 Path objects alone took 0.2 s.
    links: list[Problem] = []
    with os.scandir(folder) as entries:
        found = [entry for entry in entries if entry.name.endswith(".toml")]
    for entry in found:
        if entry.is_symlink():  # it could point anywhere: outside the folder, at a secret
            links.append(Problem(str(folder / entry.name), "", "is a symbolic link: release "
                                 "files must be regular files in the releases folder"))
    files = sorted((entry.name, entry.stat(follow_symlinks=False)) for entry in found
                   if entry.is_file(follow_symlinks=False))
    for name, stat in files:
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = cache.get(name)
        if cached is not None and cached.stamp == stamp:
            results[name] = cached
        else:
            stale.append((folder / name, stamp))
    for result_path, result in _parse_files(stale, settings, lists, key):
        results[result_path.name] = result
    if use_cache and results != cache:
        write_cache(cache_dir, key, results, cache)
    loaded = _combine(results.values())
    return LoadedReleases(loaded.releases, (*links, *loaded.problems)) if links else loaded


def _parse_files(
    stale: Sequence[tuple[Path, tuple[int, int]]], settings: Settings,
    lists: frozenset[str], key: str,
) -> Iterable[tuple[Path, ParsedFile]]:
    """Parse files, spread over the CPUs when there are many (a cold cache, a new site)."""
    workers = min(worker_count(), len(stale) // _FILES_PER_WORKER)
    if workers < 2:
        return _parse_chunk(stale, settings, lists, key)
    chunks = [stale[index::workers] for index in range(workers)]
    parse = partial(_parse_chunk, settings=settings, lists=lists, key=key)
    with WorkerPool(parse, chunks, purpose="release-parsing") as pool:
        return [pair for parsed in pool.results() for pair in parsed]


def _parse_chunk(
    chunk: Sequence[tuple[Path, tuple[int, int]]], settings: Settings,
    lists: frozenset[str], key: str,
) -> list[tuple[Path, ParsedFile]]:
    return [(path, _parse_file(path, stamp, settings, lists, key)) for path, stamp in chunk]


def _parse_file(
    path: Path, stamp: tuple[int, int], settings: Settings, lists: Collection[str], key: str
) -> ParsedFile:
    problems: list[Problem] = []
    release = read_release_file(path, settings, lists, problems, key)
    return ParsedFile(stamp, release, tuple(problems))


def _combine(results: Collection[ParsedFile]) -> LoadedReleases:
    problems = [problem for result in results for problem in result.problems]
    by_id: dict[str, list[Release]] = {}
    for result in results:
        if result.release is not None:
            by_id.setdefault(result.release.id, []).append(result.release)
    releases = []
    for release_id, same in by_id.items():
        if len(same) == 1:
            releases.append(same[0])
            continue
        files = ", ".join(str(release.source) for release in same)
        problems.extend(
            Problem(str(release.source), "id", f"{release_id!r} is also the id of {files}")
            for release in same
        )
    releases.sort(key=lambda release: (release.published, release.id))
    return LoadedReleases(tuple(releases), tuple(problems))
