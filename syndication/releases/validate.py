"""Reading one release file: TOML parsed, every field validated, every problem named.

A release file is checked against the config (languages, themes, lists, contacts) and its
Markdown rendered to sanitised HTML; each problem names the file, the field and the reason,
and reading goes on to find the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from syndication.config import Settings
from syndication.contacts import Contact, read_contact
from syndication.errors import Problem, UnreadableFile
from syndication.releases.markdown import first_paragraph_text, render_markdown
from syndication.releases.model import (
    Attachment,
    Correction,
    Embargo,
    LanguageVersion,
    Release,
)
from syndication.tomlfields import Fields
from syndication.tomlfiles import read_toml_file

_URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%~-._"  # RFC 3986 reserved and unreserved, and %
RELEASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_RELEASE_BYTES = 2_000_000


def read_release_file(
    path: Path, settings: Settings, lists: Collection[str], problems: list[Problem], key: str
) -> Release | None:
    """The release of one file, or None with its problems appended to `problems`.

    Its `digest` hashes the file's bytes under `key` (the cache key: the config and the code
    it was validated with), so equal digests mean equal releases.
    """
    source = str(path)
    try:
        raw, data = read_toml_file(path, max_bytes=MAX_RELEASE_BYTES)
    except UnreadableFile as error:
        problems.append(Problem(source, "", str(error)))
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
    correction = _read_correction(fields, languages, updated)
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
    if correction is not None:
        missing = [language for language in versions if language not in correction.note]
        if missing:
            fields.problem("correction.note", "has no note in " + ", ".join(missing)
                           + " (the release has that version: say what changed in it)")
    contacts = tuple(_read_contacts(fields, settings))
    attachments = tuple(_read_attachments(fields, languages))
    fields.finish()
    if published is None:
        return None
    return Release(
        id=release_id, source=str(path), published=published, updated=updated, themes=themes,
        lists=release_lists, embargo=embargo, versions=versions, contacts=contacts,
        attachments=attachments, correction=correction,
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


def _read_correction(
    fields: Fields, languages: Sequence[str], updated: datetime | None
) -> Correction | None:
    table = fields.table("correction")
    if table is None:
        return None
    note = table.localized("note", languages, required=True)
    for language, text in (note or {}).items():
        if not text.strip():
            table.problem(f"note.{language}", "is empty")
    notify = table.boolean("notify", default=False)
    table.finish()
    if not fields.has("updated"):
        fields.problem("correction", "needs `updated`: a correction note says what the "
                       "correction made at that time changed")
        return None
    if updated is None or note is None:
        return None
    return Correction({language: " ".join(text.split()) for language, text in note.items()},
                      notify=notify)


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
        elif url is not None:
            # Characters no URI may hold (RFC 3986: <, >, ", spaces, non-ASCII...) are
            # percent-encoded, so feeds' enclosure links stay valid; the others are kept.
            url = quote(url, safe=_URI_CHARACTERS)
        kind = table.text("type", max_length=200)
        size = table.integer("size", default=0, minimum=1) or None  # bytes
        table.finish()
        if title and url:
            attachments.append(Attachment(title=title, url=url, type=kind, size=size))
    return attachments
