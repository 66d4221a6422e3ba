"""Fingerprints of what a built file depends on, so a rebuild renders only what changed.

Two levels: the site fingerprint covers what every file depends on (the config values the
output shows, the templates, the interface words, this code and the library versions that
shape the bytes) and is kept once in the build manifest; each file's own fingerprint covers
the releases it shows. Release fingerprints hash the release's content, not its file's
time, so they cannot race with an edit made between loading and building.
"""

from __future__ import annotations

import hashlib
import marshal
from importlib import metadata
from pathlib import Path

from syndication.config import Settings
from syndication.releases import Release
from syndication.site.templates import templates_fingerprint
from syndication.site.words import WORDS

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The code whose behaviour is visible in the output: editing it re-renders the site.
_OUTPUT_CODE = (
    "feeds/definitions.py", "feeds/jsonfeed.py", "feeds/model.py", "feeds/opml.py",
    "feeds/atom_rss.py", "site/fingerprints.py", "localdates.py", "pages/frame.py",
    "pages/jsonld.py", "pages/listing.py", "pages/release.py", "site/release_views.py",
    "site/build.py", "site/paths.py", "site/templates.py", "site/words.py",
)
_LIBRARIES = ("babel", "feedgen", "jinja2", "lxml", "markupsafe", "phonenumbers")


def combine(*parts: str) -> str:
    """One fingerprint for several (order matters)."""
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def site_fingerprint(settings: Settings) -> str:
    """What every output file depends on besides its releases."""
    config = (
        settings.base_url, settings.languages, settings.timezone.key,
        sorted(settings.title.items()), sorted(settings.organisation_name.items()),
        settings.organisation_website or "",
        [(slug, sorted(theme.label.items())) for slug, theme in settings.themes.items()],
        settings.feed_items,
    )
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(config).encode())
    digest.update(templates_fingerprint().encode())
    digest.update(repr(sorted((key, sorted(table.items())) for key, table in WORDS.items()))
                  .encode())
    for name in _OUTPUT_CODE:
        digest.update((_PACKAGE_DIR / name).read_bytes())
    for library in _LIBRARIES:
        digest.update(metadata.version(library).encode())
    return digest.hexdigest()


def release_fingerprint(release: Release) -> str:
    """A hash of everything about a release that a page or feed can show."""
    if release.digest:  # the loader's hash of the file and the config: already unique
        return release.digest
    parts: list[object] = [
        release.id, str(release.published), str(release.updated), release.themes,
    ]
    for language, version in release.versions.items():
        parts.append((language, version.title, version.summary, version.body_html,
                      version.more_info_html))
    for contact in release.contacts:
        parts.append((contact.name, contact.phone, contact.email, tuple(contact.role.items())))
    for attachment in release.attachments:
        parts.append((attachment.url, attachment.type, tuple(attachment.title.items())))
    # marshal: one C call serialising nested tuples of str/None (stable for a Python
    # version; a new Python re-renders once, which is harmless).
    return hashlib.blake2b(marshal.dumps(parts), digest_size=16).hexdigest()
