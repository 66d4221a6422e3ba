"""Every table matches its migrations, on SQLite and PostgreSQL, and belongs to one chain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, String, inspect

from harness.postgres import throwaway_database
from storage import MigrationChain, chain_metadata, schema_drift
from subscribers import open_database
from subscribers.schema import CHAIN as SUBSCRIBERS_CHAIN
from syndication.database import upgrade_schema
from syndication.migrations import CHAIN as SYNDICATION_CHAIN

CHAINS = (SUBSCRIBERS_CHAIN, SYNDICATION_CHAIN)


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with both chains run to head, on each backend."""
    if request.param == "sqlite":
        yield from _migrated(f"sqlite:///{tmp_path / 'site.db'}")
    else:
        with throwaway_database("storage_drift") as url:
            yield from _migrated(url)


def _migrated(url: str) -> Iterator[Engine]:
    engine = open_database(url)
    try:
        upgrade_schema(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.version_table)
def test_each_chain_matches_its_migrations(migrated: Engine, chain: MigrationChain) -> None:
    with migrated.connect() as conn:
        assert schema_drift(conn, chain) == []


def test_every_table_belongs_to_one_chain(migrated: Engine) -> None:
    tables = set(inspect(migrated).get_table_names())
    declared = [set(chain.metadata.tables) for chain in CHAINS]
    assert not declared[0] & declared[1]
    assert tables == {*declared[0], *declared[1], *(chain.version_table for chain in CHAINS)}
    assert {"ticks", "release_seen", "digest_runs", "mailings", "deliveries"} <= declared[1]


def test_a_table_that_drifted_from_its_migrations_is_caught(migrated: Engine) -> None:
    drifted = chain_metadata()
    ticks = SYNDICATION_CHAIN.metadata.tables["ticks"].to_metadata(drifted)
    ticks.append_column(Column("note", String(20), nullable=True))
    chain = MigrationChain(
        script_location=SYNDICATION_CHAIN.script_location,
        version_table=SYNDICATION_CHAIN.version_table,
        lock_key=SYNDICATION_CHAIN.lock_key,
        metadata=drifted,
    )
    with migrated.connect() as conn:
        differences = schema_drift(conn, chain)
    assert [difference[0] for difference in differences] == ["add_column"]  # type: ignore[index]

