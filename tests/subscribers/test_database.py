"""Opening the database: pragmas, migrations, concurrency, aware timestamps."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, select, text

from subscribers.schema import CHAIN, open_database, suppressions

MIGRATIONS, VERSION_TABLE, metadata = CHAIN.script_location, CHAIN.version_table, CHAIN.metadata
include_name = CHAIN.include_name

ROOT = Path(__file__).resolve().parents[2]


def test_schema_matches_the_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "version_table": VERSION_TABLE,
                "include_name": include_name,
                "compare_type": True,
            },
        )
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() is not None


def test_version_table_is_our_own(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    assert VERSION_TABLE in names
    assert "alembic_version" not in names
    assert {"subscribers", "lists", "subscriptions", "consents", "suppressions"} <= names


def test_opening_twice_is_harmless(database_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(suppressions).values(email_hash="h", reason="r", created_at=datetime.now(UTC))
        )
    again = open_database(database_url)
    try:
        with again.connect() as conn:
            assert conn.scalar(select(suppressions.c.email_hash)) == "h"
            assert conn.scalar(text(f"SELECT count(*) FROM {VERSION_TABLE}")) == 1
    finally:
        again.dispose()


def test_downgrade_then_upgrade(fresh_url: str) -> None:
    opened = open_database(fresh_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with opened.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert "subscribers" not in inspect(opened).get_table_names()
    finally:
        opened.dispose()
    reopened = open_database(fresh_url)
    try:
        assert "subscribers" in inspect(reopened).get_table_names()
    finally:
        reopened.dispose()


def test_two_processes_migrate_at_once(fresh_url: str) -> None:
    script = (
        "import sys; from subscribers.schema import open_database as o; o(sys.argv[1]).dispose()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, fresh_url], cwd=ROOT, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
    opened = open_database(fresh_url)
    try:
        with opened.connect() as conn:
            assert conn.scalar(text(f"SELECT count(*) FROM {VERSION_TABLE}")) == 1
    finally:
        opened.dispose()


def test_times_come_back_aware_and_in_utc(engine: Engine) -> None:
    brussels = datetime(2016, 8, 31, 15, 50, tzinfo=timezone(timedelta(hours=2)))
    with engine.begin() as conn:
        conn.execute(insert(suppressions).values(email_hash="h", reason="r", created_at=brussels))
        stored = conn.scalar(select(suppressions.c.created_at))
    assert stored == brussels
    assert stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)


def test_naive_times_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive"), engine.begin() as conn:
        conn.execute(
            insert(suppressions).values(email_hash="h", reason="r", created_at=datetime(2024, 1, 1))
        )


def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    opened = open_database(f"sqlite:///{tmp_path / 'a' / 'b' / 'site.db'}")
    try:
        assert (tmp_path / "a" / "b" / "site.db").exists()
        for _ in range(2):
            with opened.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        opened.dispose()


def test_sqlite_transactions_roll_back_ddl_and_savepoints(tmp_path: Path) -> None:
    opened = open_database(f"sqlite:///{tmp_path / 'site.db'}")
    try:
        with opened.connect() as conn:
            with conn.begin() as outer:
                with conn.begin_nested():
                    conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
                outer.rollback()
        assert "scratch" not in inspect(opened).get_table_names()
    finally:
        opened.dispose()
