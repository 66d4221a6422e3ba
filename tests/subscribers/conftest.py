"""Fixtures: every database test runs on SQLite and on the real PostgreSQL server.

PostgreSQL tests use databases of their own, ``subs_test_<random hex>``, made with the
shared ``pg_databases`` and dropped at the end of the session, so other suites sharing
the server (or this pytest process) never see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text

from harness.postgres import Databases
from subscribers.cli import CONTEXT_KEY, SubscribersContext, lists_group, subscribers_group
from subscribers.schema import open_database

SECRET = b"test-site-secret"
LANGUAGES = ("fr", "nl")
THEMES = frozenset({"international", "social-protection", "health"})
OUR_TABLES = ("subscriptions", "consents", "suppressions", "lists", "subscribers")


@pytest.fixture(scope="session")
def pg_shared_url(pg_databases: Databases) -> str:
    """One migrated PostgreSQL database, emptied before each test that uses it."""
    url = pg_databases.create("subs_test")
    open_database(url).dispose()
    return url


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'subscribers.db'}"
    url: str = request.getfixturevalue("pg_shared_url")
    cleaner = create_engine(url)
    with cleaner.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(OUR_TABLES)} RESTART IDENTITY CASCADE"))
    cleaner.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    opened = open_database(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL for a database nobody has opened yet (for migration tests)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh' / 'db.sqlite'}"
    databases: Databases = request.getfixturevalue("pg_databases")
    return databases.create("subs_test")


def site(
    database_url: str,
    *,
    secret: bytes | None = SECRET,
    history: Callable[..., list[dict[str, str]]] | None = None,
) -> SubscribersContext:
    """The environment the CLI tests run in."""
    return SubscribersContext(
        database_url=database_url,
        languages=LANGUAGES,
        themes=THEMES,
        secret=secret,
        secret_env="SYNDICATION_SECRET",
        access_hook=None if history is None else lambda conn, _address, ids: {
            "deliveries": [row for one in ids for row in history(conn, one)]},
    )


def make_root(env: SubscribersContext) -> click.Group:
    """A small root command mounting both groups, as the syndication CLI does."""

    @click.group()
    @click.pass_context
    def root(ctx: click.Context) -> None:
        ctx.meta[CONTEXT_KEY] = lambda: env

    root.add_command(subscribers_group)
    root.add_command(lists_group)
    return root


Invoke = Callable[..., Result]


@pytest.fixture
def cli(engine: Engine, database_url: str) -> Invoke:
    """Run a command line against the test database, with the site secret set."""

    def invoke(*args: str, env: SubscribersContext | None = None) -> Result:
        root = make_root(env or site(database_url))
        return CliRunner().invoke(root, list(args), catch_exceptions=False)

    return invoke
