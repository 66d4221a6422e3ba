"""The outbox schema: migrations match the tables, run twice safely, use their own version table."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from syndication.config import Settings
from syndication.database import open_store
from syndication.migrations import CHAIN

VERSION_TABLE, include_name, metadata = CHAIN.version_table, CHAIN.include_name, CHAIN.metadata


def test_migrations_create_exactly_the_declared_tables(backend: str, store: Engine) -> None:
    with store.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        assert compare_metadata(context, metadata) == []
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one()


def test_opening_the_store_again_changes_nothing(store: Engine, settings: Settings) -> None:
    before = sorted(inspect(store).get_table_names())
    again = open_store(settings)
    try:
        assert sorted(inspect(again).get_table_names()) == before
    finally:
        again.dispose()
    assert {"alembic_version_subscribers", VERSION_TABLE, "deliveries", "mailings"} <= set(before)


def test_deliveries_hold_no_address_name_or_organisation() -> None:
    columns = set(metadata.tables["deliveries"].columns.keys())
    assert not columns & {"email", "address", "name", "organisation"}
