"""Fixtures of the delivery tests: a site with a database (SQLite or PostgreSQL), subscribers,
a real SMTP server.

PostgreSQL (`backend`, shared): one database for the session, made with `pg_databases`;
`store` empties its tables before each test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from harness.postgres import Databases
from subscribers.lists import create_list, list_lists
from subscribers.schema import metadata as subscriber_metadata
from syndication.config import Settings
from syndication.database import open_store
from syndication.delivery.outbox_schema import metadata as delivery_metadata
from syndication.releases import Release, load_releases
from tests.delivery.smtp_server import SmtpServer, running_smtp_server

SECRET = "delivery-tests-secret"


@pytest.fixture(scope="session")
def pg_shared_url(pg_databases: Databases) -> str:
    """One PostgreSQL database for the delivery tests of this session; `store` empties it."""
    return pg_databases.create("syndication_delivery")


@pytest.fixture(autouse=True)
def site_secret(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The token-signing secret, set in the environment variable the config names."""
    monkeypatch.setenv("SYNDICATION_SECRET", SECRET)
    return SECRET.encode()


@pytest.fixture
def settings(example_settings: Settings, tmp_path: Path) -> Settings:
    """The example site with its database and Maildir in this test's folder."""
    return dataclasses.replace(
        example_settings,
        database_url=f"sqlite:///{tmp_path / 'site.db'}",
        mail=dataclasses.replace(example_settings.mail, maildir=tmp_path / "outbox"),
    )


@pytest.fixture
def store(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The site's database, schema up to date, config lists created (SQLite by default)."""
    backend = request.getfixturevalue("backend") if "backend" in request.fixturenames else "sqlite"
    if backend == "postgresql":
        url = request.getfixturevalue("pg_shared_url")
        settings = dataclasses.replace(settings, database_url=url)
    engine = open_store(settings)
    try:
        if backend == "postgresql":
            _empty_tables(engine)
        existing = {mailing_list.name for mailing_list in list_lists(engine)}
        for name in settings.lists:
            if name not in existing:  # open_store creates them, but not after a TRUNCATE
                create_list(engine, name)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def releases(settings: Settings) -> dict[str, Release]:
    """The example releases, by id."""
    loaded = load_releases(settings, use_cache=False)
    assert not loaded.problems
    return {release.id: release for release in loaded.releases}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port."""
    with running_smtp_server() as server:
        yield server


def smtp_settings(
    settings: Settings,
    server: SmtpServer,
    *,
    rate: float = 10_000.0,
    concurrency: int = 3,
    **mail: Any,
) -> Settings:
    """`settings` sending through `server`, with `[mail]` and `[mail.smtp]` overrides."""
    smtp = dataclasses.replace(
        settings.mail.smtp, host=server.host, port=server.port, rate=rate, concurrency=concurrency
    )
    values: dict[str, Any] = {"transport": "smtp", "smtp": smtp, **mail}
    return dataclasses.replace(settings, mail=dataclasses.replace(settings.mail, **values))


def _empty_tables(engine: Engine) -> None:
    names = [*delivery_metadata.tables, *subscriber_metadata.tables]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
