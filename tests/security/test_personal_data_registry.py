"""Every table, column and data-folder entry the product writes is in the personal-data registry.

Issue 11, "Personal data, everywhere it lives": a place nobody classified is a place erase
forgets. The tables come from both migration chains; the files from a real site that was
initialised, imported into, published, mailed (to the Maildir) and built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect

from harness.sites import Site
from subscribers.schema import CHAIN as SUBSCRIBERS_CHAIN
from syndication.cli import cli
from syndication.delivery.sender import send_due
from syndication.migrations import CHAIN as SYNDICATION_CHAIN
from syndication.personal_data import COLUMNS, DATA_FILES, Holds, places
from syndication.releases.catalog import load_site_releases
from syndication.scheduler.tick import publish_tick


def _unregistered(found: dict[str, set[str]]) -> list[str]:
    return sorted(f"{table}.{column}" for table, columns in found.items()
                  for column in columns if column not in COLUMNS.get(table, {}))


def test_every_column_of_both_chains_is_classified() -> None:
    found = {table.name: {column.name for column in table.columns}
             for chain in (SUBSCRIBERS_CHAIN, SYNDICATION_CHAIN)
             for table in chain.metadata.sorted_tables}
    assert len(found) >= 13
    assert _unregistered(found) == []


def test_every_table_of_a_real_database_is_classified(site: Site) -> None:
    # The migrated database, Alembic's version tables included.
    database = inspect(site.engine)
    found = {name: {column["name"] for column in database.get_columns(name)}
             for name in database.get_table_names()}
    assert {"deliveries", "subscribers"} <= found.keys()
    assert _unregistered(found) == []


async def test_every_data_file_a_real_site_writes_is_classified(
    site: Site, tmp_path: Path
) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(tmp_path / "fresh")])
    assert made.exit_code == 0, made.output
    people = tmp_path / "people.csv"
    people.write_text("email,name,lists\nann@example.org,Ann,\n", encoding="utf-8")
    config = ["--config", str(site.config)]
    imported = runner.invoke(cli, [*config, "subscribers", "import", str(people)])
    assert imported.exit_code == 0, imported.output
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    loaded = load_site_releases(site.engine, site.settings)
    summary = await send_due(site.engine, site.settings,
                             {release.id: release for release in loaded.releases})
    assert summary.sent >= 1  # the Maildir outbox is written
    built = runner.invoke(cli, [*config, "build"])
    assert built.exit_code == 0, built.output

    written = {entry.name for folder in (site.settings.data_dir, tmp_path / "fresh" / "var")
               if folder.is_dir() for entry in folder.iterdir()}
    assert "outbox" in written
    assert sorted(written - DATA_FILES.keys()) == []


def test_erase_acts_on_every_place_that_can_hold_the_address() -> None:
    # The subscribers tables are deleted by erase_person; every other place needs a scrub.
    own = {"subscribers", "subscriptions", "consents"}
    for name, place in places().items():
        if place.holds is Holds.ADDRESS and name.split(".")[0] not in own:
            assert place.scrub is not None or name.startswith("data/syndication.db"), name
