"""Fingerprints of what a built file depends on, so a rebuild renders only what changed.

Two levels: the site fingerprint covers what every file depends on (the config values the
output shows, the templates, the interface words and catalogs, the code and the library
versions that shape the bytes) and is kept once in the build manifest; each file's own
fingerprint covers the releases it shows. The code is the build module and all it imports,
found by following the imports (`code_fingerprint`), so no list of files can miss one.
Release fingerprints hash the release's content, not its file's time, so they cannot race
with an edit made between loading and building.
"""

from __future__ import annotations

import hashlib
import marshal

from syndication.code_fingerprint import code_fingerprint
from syndication.config import Settings
from syndication.releases import Release
from syndication.site.templates import templates_fingerprint
from syndication.translations import catalog_search_path

# The module whose import closure renders the site: feeds, pages, templates, writer.
BUILD = "syndication.site.build"
# Libraries whose version can change the bytes written (lxml and markupsafe serialise for
# feedgen and Jinja2); a test checks every library the build imports is here.
LIBRARIES = (
    "babel", "cmarkgfm", "email-validator", "feedgen", "jinja2", "lxml", "markupsafe", "nh3",
    "phonenumbers",
)


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
        settings.feed_items, settings.branding.accent,
        sorted(settings.branding.name_in_sentence.items()),
        [(key, repr(contact)) for key, contact in sorted(settings.contacts.items())],
        settings.websub_hubs,
    )
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(config).encode())
    digest.update(templates_fingerprint(settings.branding.template_roots).encode())
    logo = settings.branding.logo
    if logo is not None:  # its bytes: a new logo under the same name is a new site
        digest.update(logo.suffix.encode() + b"\0" + logo.read_bytes())
    digest.update(_catalogs_fingerprint().encode())
    digest.update(code_fingerprint(BUILD, libraries=LIBRARIES).encode())
    return digest.hexdigest()


def _catalogs_fingerprint() -> str:
    """A hash of the gettext catalogs the pages read, every folder of the search path."""
    digest = hashlib.blake2b(digest_size=16)
    for rank, folder in enumerate(catalog_search_path()):
        # The rank: a catalog moved in front of another changes which words win.
        for path in sorted(folder.rglob("*.[mp]o")):
            name = f"{rank}/{path.relative_to(folder).as_posix()}"
            digest.update(name.encode() + b"\0")
            digest.update(path.read_bytes())
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
        parts.append((attachment.url, attachment.type, attachment.size,
                      tuple(attachment.title.items())))
    if release.correction is not None:
        parts.append((tuple(release.correction.note.items()), release.correction.notify))
    # marshal: one C call serialising nested tuples of str/None (stable for a Python
    # version; a new Python re-renders once, which is harmless).
    return hashlib.blake2b(marshal.dumps(parts), digest_size=16).hexdigest()
