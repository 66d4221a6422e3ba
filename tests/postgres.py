"""A throw-away database on the real PostgreSQL server, for tests and benches alike."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

SERVER_URL = os.environ.get(
    "SYNDICATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432"
)


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create a uniquely named database, yield its URL, drop it (sessions included) after."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(f"{SERVER_URL}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield f"{SERVER_URL}/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
