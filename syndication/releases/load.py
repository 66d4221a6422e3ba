"""Loading the releases folder: every file parsed and validated, every problem collected.

A bad file never hides the good ones: `load_releases` returns the valid releases beside the
problems of the others. Parsed files are cached in the data folder, keyed on each file's
size and modification time and on the config they were validated against, so a rebuild of
a site of thousands of releases only re-reads the files that changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import tomllib
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from importlib import metadata
from pathlib import Path

from syndication.atomic_files import write_bytes_atomic
from syndication.config import Settings
from syndication.contacts import Contact, read_contact
from syndication.errors import Problem
from syndication.pickling import PickledByFields
from syndication.process_pool import WorkerPool, worker_count
from syndication.releases.markdown import first_paragraph_text, render_markdown
from syndication.releases.model import Attachment, Embargo, LanguageVersion, Release
from syndication.tomlfields import Fields

RELEASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CACHE_VERSION = 4
_CACHE_SHARDS = 64
_FILES_PER_WORKER = 400  # below this, starting worker processes costs more than it saves
_MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class LoadedReleases:
    """The valid releases (oldest first) and the problems of the invalid ones."""

    releases: tuple[Release, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class _FileResult(PickledByFields):
    stamp: tuple[int, int]
    release: Release | None
    problems: tuple[Problem, ...]


def load_releases(
    settings: Settings, *, known_lists: Collection[str] = (), use_cache: bool = True
) -> LoadedReleases:
    """Load every `*.toml` in the releases folder; lists known are config's plus `known_lists`."""
    folder = settings.releases_dir
    lists = frozenset(settings.lists) | frozenset(known_lists)
    if not folder.is_dir():
        return LoadedReleases((), (Problem(str(folder), "", "the releases folder does not exist"),))
    cache_dir = settings.data_dir / "cache" / "releases"
    key = _settings_key(settings, lists)
    cache = _read_cache(cache_dir, key) if use_cache else {}
    results: dict[str, _FileResult] = {}
    stale: list[tuple[Path, tuple[int, int]]] = []
    # os.scandir and name strings: sorting 10,000 Path objects alone took 0.2 s.
    with os.scandir(folder) as entries:
        files = sorted((entry.name, entry.stat()) for entry in entries
                       if entry.name.endswith(".toml") and entry.is_file())
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
        _write_cache(cache_dir, key, results, cache)
    return _combine(results.values())


def _parse_files(
    stale: Sequence[tuple[Path, tuple[int, int]]], settings: Settings,
    lists: frozenset[str], key: str,
) -> Iterable[tuple[Path, _FileResult]]:
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
) -> list[tuple[Path, _FileResult]]:
    return [(path, _parse_file(path, stamp, settings, lists, key)) for path, stamp in chunk]


def _parse_file(
    path: Path, stamp: tuple[int, int], settings: Settings, lists: Collection[str], key: str
) -> _FileResult:
    problems: list[Problem] = []
    release = _load_file(path, settings, lists, problems, key)
    return _FileResult(stamp, release, tuple(problems))


def _combine(results: Collection[_FileResult]) -> LoadedReleases:
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


def _load_file(
    path: Path, settings: Settings, lists: Collection[str], problems: list[Problem], key: str
) -> Release | None:
    source = str(path)
    try:
        raw = path.read_bytes()
        if len(raw) > _MAX_FILE_BYTES:
            problems.append(Problem(source, "", f"is {len(raw)} bytes; the limit is "
                                    f"{_MAX_FILE_BYTES}"))
            return None
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        problems.append(Problem(source, "", f"is not UTF-8 text: {error}"))
        return None
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(source, "", f"is not valid TOML: {error}"))
        return None
    except OSError as error:
        problems.append(Problem(source, "", f"cannot be read: {error.strerror}"))
        return None
    before = len(problems)
    release = _read_release(Fields(data, source=source, problems=problems), path, settings, lists)
    if release is None or len(problems) > before:
        return None
    digest = hashlib.blake2b(raw, digest_size=16, key=key.encode()[:64]).hexdigest()
    return dataclasses.replace(release, digest=digest)


def _read_release(
    fields: Fields, path: Path, settings: Settings, lists: Collection[str]
) -> Release | None:
    languages = settings.languages
    release_id = fields.text("id", max_length=200) or path.stem
    if not RELEASE_ID.match(release_id):
        fields.problem("id", f"{release_id!r} must use only a-z, 0-9 and single hyphens "
                       "(rename the file or set id)")
    published = fields.aware_datetime("published", required=True)
    updated = fields.aware_datetime("updated")
    if published and updated and updated < published:
        fields.problem("updated", "is before published")
    themes = _read_names(fields, "themes", settings.themes, "theme", "[themes]")
    release_lists = _read_names(fields, "lists", lists, "list", "[lists]")
    embargo = _read_embargo(fields, lists, published)
    versions = {}
    for language in languages:
        table = fields.table(language)
        if table is not None:
            version = _read_version(table, language)
            if version is not None:
                versions[language] = version
    if not any(fields.has(language) for language in languages):
        choices = ", ".join(languages)
        fields.problem("", f"has no language version: add a table for one of {choices}")
    contacts = tuple(_read_contacts(fields, settings))
    attachments = tuple(_read_attachments(fields, languages))
    fields.finish()
    if published is None:
        return None
    return Release(
        id=release_id, source=str(path), published=published, updated=updated, themes=themes,
        lists=release_lists, embargo=embargo, versions=versions, contacts=contacts,
        attachments=attachments,
    )


def _read_names(
    fields: Fields, key: str, known: Collection[str], kind: str, where: str
) -> tuple[str, ...]:
    names = fields.text_list(key) or []
    for name in names:
        if name not in known:
            choices = ", ".join(sorted(known)) or "none declared"
            fields.problem(key, f"unknown {kind} {name!r} (declared in config {where}: {choices})")
    if len(set(names)) != len(names):
        fields.problem(key, f"lists a {kind} twice")
    return tuple(dict.fromkeys(name for name in names if name in known))


def _read_embargo(
    fields: Fields, lists: Collection[str], published: datetime | None
) -> Embargo | None:
    table = fields.table("embargo")
    if table is None:
        return None
    embargo_lists = _read_names(table, "lists", lists, "list", "[lists]")
    if table.has("lists") and not embargo_lists:
        table.problem("lists", "needs at least one list to send the advance copy to")
    notify_at = table.aware_datetime("notify_at", required=True)
    table.finish()
    if notify_at is None:
        return None
    if published is not None and notify_at >= published:
        table.problem("notify_at", "must be before published (an embargo notice comes first)")
    return Embargo(embargo_lists, notify_at)


def _read_version(table: Fields, language: str) -> LanguageVersion | None:
    title = table.text("title", required=True, max_length=500)
    if title is not None and not title.strip():
        table.problem("title", "is empty")
    summary = table.text("summary", max_length=5_000)
    body = table.text("body", required=True)
    more_info = table.text("more_info")
    table.finish()
    if title is None or body is None:
        return None
    body_html = render_markdown(body)
    return LanguageVersion(
        language=language,
        title=" ".join(title.split()),
        summary=" ".join(summary.split()) if summary else first_paragraph_text(body_html),
        body_html=body_html,
        summary_in_body=not summary,
        more_info_html=render_markdown(more_info) if more_info else None,
    )


def _read_contacts(fields: Fields, settings: Settings) -> list[Contact]:
    contacts = []
    for table in fields.tables("contacts"):
        if table.has("ref"):
            ref = table.text("ref")
            if len(table.data) > 1:
                table.problem("", "a contact with ref takes no other field")
            elif ref is not None and ref not in settings.contacts:
                known = ", ".join(sorted(settings.contacts)) or "none declared"
                table.problem("ref", f"unknown contact {ref!r} (config [contacts]: {known})")
            elif ref is not None:
                contacts.append(settings.contacts[ref])
            continue
        contact = read_contact(table, settings.languages)
        if contact is not None:
            contacts.append(contact)
    return contacts


def _read_attachments(fields: Fields, languages: Sequence[str]) -> list[Attachment]:
    attachments = []
    for table in fields.tables("attachments"):
        title = table.localized("title", languages, required=True)
        url = table.text("url", required=True, max_length=2_000)
        if url is not None and not re.match(r"^https?://[^\s/]+", url):
            table.problem("url", f"must be an absolute http(s) URL, not {url!r}")
            url = None
        kind = table.text("type", max_length=200)
        table.finish()
        if title and url:
            attachments.append(Attachment(title=title, url=url, type=kind))
    return attachments


def _settings_key(settings: Settings, lists: Collection[str]) -> str:
    parts = (
        _CACHE_VERSION, settings.languages, sorted(settings.themes), sorted(lists),
        sorted((key, repr(contact)) for key, contact in settings.contacts.items()),
        str(settings.releases_dir),
        # what turns the same file into different HTML or numbers
        [metadata.version(library) for library in ("cmarkgfm", "nh3", "phonenumbers")],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# The cache is split in shards by file name, so an edit to one release rewrites one shard
# (a few hundred KB) rather than the whole site's.
def _shard_of(name: str) -> int:
    return zlib.crc32(name.encode()) % _CACHE_SHARDS


def _read_cache(folder: Path, key: str) -> dict[str, _FileResult]:
    results: dict[str, _FileResult] = {}
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


def _write_cache(
    folder: Path, key: str, results: dict[str, _FileResult], before: dict[str, _FileResult]
) -> None:
    shards: dict[int, dict[str, _FileResult]] = {shard: {} for shard in range(_CACHE_SHARDS)}
    for name, result in results.items():
        shards[_shard_of(name)][name] = result
    changed = {_shard_of(name) for name in results.keys() ^ before.keys()}
    changed |= {_shard_of(name) for name in results.keys() & before.keys()
                if results[name] is not before[name]}
    for shard in changed:
        write_bytes_atomic(
            folder / f"{shard:02d}.pickle",
            pickle.dumps((key, shards[shard]), protocol=pickle.HIGHEST_PROTOCOL),
        )
