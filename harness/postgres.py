"""Throw-away databases on the real PostgreSQL server, for tests and benches alike.

The server is `SYNDICATION_TEST_PG` (a SQLAlchemy URL without a database name), by
default the local one with trust authentication. Every database gets a unique name, is
created through the `postgres` maintenance database and dropped with its sessions.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

SERVER_URL = os.environ.get(
    "SYNDICATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432"
)


class Databases:
    """Creates uniquely named databases; `drop_all` drops every one of them."""

    def __init__(self) -> None:
        self._admin: Engine | None = None
        self._names: list[str] = []

    def create(self, prefix: str) -> str:
        """Create an empty database named `prefix_<random hex>`; return its URL."""
        if self._admin is None:  # connect at first use: no server needed until then
            self._admin = create_engine(f"{SERVER_URL}/postgres", isolation_level="AUTOCOMMIT")
        name = f"{prefix}_{secrets.token_hex(4)}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._names.append(name)
        return f"{SERVER_URL}/{name}"

    def drop_all(self) -> None:
        """Drop every database this object created, closing their sessions."""
        if self._admin is None:
            return
        try:
            with self._admin.connect() as conn:
                for name in reversed(self._names):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self._names.clear()
        finally:
            self._admin.dispose()
            self._admin = None


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create a uniquely named database, yield its URL, drop it (sessions included) after."""
    databases = Databases()
    try:
        yield databases.create(prefix)
    finally:
        databases.drop_all()
