"""Private sites for tests and benches: a config copy with releases, lists and subscribers."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from subscribers import DuplicateList, Frequency, add_subscriber, create_list
from syndication.config import Settings, load_settings
from syndication.database import open_store
from syndication.delivery.outbox_schema import deliveries, mailings
from syndication.releases.catalog import load_site_releases
from syndication.resources import EXAMPLE_SITE_DIR
from syndication.site.build import build_site

SECRET = "service-test-secret-Vq3hK8xZr2Lm9PfW4tYc7NbJ"
ADMIN_TOKEN = "service-test-admin-token-Hs6Dk2Qw9Xe4Rn8Uj3Ta"
LISTS = ("press", "accredited", "public")
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)

RELEASE = """id = "{id}"
published = {published}
themes = ["international"]
lists = [{lists}]
{embargo}
[fr]
title = "Titre {id}"
body = "Corps du communiqué {id}."

[nl]
title = "Titel {id}"
body = "Tekst van persbericht {id}."
"""


@dataclass
class Site:
    """A private site: config, releases folder, database with lists."""

    config: Path
    settings: Settings
    engine: Engine

    def add_release(
        self, release_id: str, published: str, *, lists: Sequence[str] = ("press",),
        embargo: tuple[str, str] | None = None,
    ) -> Path:
        """Write a release file (embargo: (list, notify_at))."""
        block = ""
        if embargo is not None:
            block = f'[embargo]\nlists = ["{embargo[0]}"]\nnotify_at = {embargo[1]}\n'
        path = self.settings.releases_dir / f"{release_id}.toml"
        path.write_text(RELEASE.format(
            id=release_id, published=published, embargo=block,
            lists=", ".join(f'"{name}"' for name in lists),
        ), encoding="utf-8")
        return path

    def add_subscriber(
        self, email: str, *, languages: Sequence[str] = ("fr",), lists: Sequence[str] = ("press",),
        frequency: Frequency = Frequency.IMMEDIATE,
    ) -> int:
        """An active subscriber, subscribed long ago."""
        return add_subscriber(
            self.engine, email, languages=languages, lists=lists, frequency=frequency,
            now=LONG_AGO,
        ).id

    def mailings(self) -> dict[str, int]:
        """Every mailing key with its number of deliveries."""
        with self.engine.connect() as conn:
            keys = dict(conn.execute(select(mailings.c.id, mailings.c.key)).all())
            counts = {key: 0 for key in keys.values()}
            for mailing_id, in conn.execute(select(deliveries.c.mailing_id)):
                counts[keys[mailing_id]] += 1
        return counts

    def recipients(self, key: str) -> list[tuple[int, str]]:
        """(subscriber id, release ids) of each delivery of a mailing."""
        query = (
            select(deliveries.c.subscriber_id, deliveries.c.releases)
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .where(mailings.c.key == key)
            .order_by(deliveries.c.subscriber_id)
        )
        with self.engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(query)]


def make_site(folder: Path, *, database_url: str | None = None) -> Path:
    """Copy the example config into `folder` with an empty releases folder; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (EXAMPLE_SITE_DIR / "config.toml").read_text(encoding="utf-8")
    if database_url is not None:
        text = text.replace('url = "sqlite:///var/syndication.db"', f'url = "{database_url}"')
    (folder / "config.toml").write_text(text, encoding="utf-8")
    (folder / "releases").mkdir(exist_ok=True)
    return folder / "config.toml"


def open_site(config: Path) -> Site:
    """Load the settings, open the database, create the lists."""
    settings = load_settings(config)
    engine = open_store(settings)
    for name in LISTS:
        with contextlib.suppress(DuplicateList):
            create_list(engine, name)
    return Site(config, settings, engine)


def copy_examples(folder: Path) -> None:
    """Put the example releases into a site's releases folder."""
    shutil.copytree(EXAMPLE_SITE_DIR / "releases", folder, dirs_exist_ok=True)


def copy_example_site(folder: Path) -> Path:
    """The example config and releases copied into `folder`; return the config's path."""
    config = make_site(folder)
    copy_examples(config.parent / "releases")
    return config


def open_built_example(folder: Path) -> Site:
    """A private SQLite site holding the example releases, built as of the second newest."""
    opened = open_site(copy_example_site(folder))
    loaded = load_site_releases(opened.engine, opened.settings)
    build_site(opened.settings, loaded.releases, now=loaded.releases[-2].published)
    return opened
