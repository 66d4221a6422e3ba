"""Cancel, retry and an early tick's plans on PostgreSQL, through the real command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from harness.sites import Site, make_site, open_site
from syndication.cli import cli
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries
from tests.cli.conftest import hours_from_now, rfc3339

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_site(tmp_path: Path, secrets_env: None, pg_url: str) -> Iterator[Site]:
    """A private site on its own PostgreSQL database."""
    opened = open_site(make_site(tmp_path / "site", database_url=pg_url))
    yield opened
    opened.engine.dispose()


def run(site: Site, *arguments: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(site.config), *arguments])


def statuses(site: Site) -> list[str]:
    with site.engine.connect() as conn:
        return sorted(conn.scalars(select(deliveries.c.status)))


def test_early_tick_cancel_and_retry(pg_site: Site) -> None:
    for address in ("one@example.org", "two@example.org", "three@example.org"):
        pg_site.add_subscriber(address)
    pg_site.add_release("soon", rfc3339(hours_from_now(2)))
    pg_site.add_release("later", rfc3339(hours_from_now(3)))

    early = run(pg_site, "publish", "--at", rfc3339(hours_from_now(4)), "--yes")
    assert early.exit_code == 0, early.output
    assert "6 deliveries planned in all." in early.output
    cancelled = run(pg_site, "mailings", "cancel", "alert:later", "--yes")
    assert "3 planned deliveries will not be sent" in cancelled.output
    with pg_site.engine.begin() as conn:
        conn.execute(update(deliveries).where(deliveries.c.status == "planned")
                     .values(status=DeliveryStatus.FAILED.value, last_reply="421 later"))
    retried = run(pg_site, "mailings", "retry", "alert:soon")
    sent = run(pg_site, "send")

    assert retried.exit_code == 0
    assert "alert:soon: 3 failed deliveries planned again, due now." in retried.output
    assert sent.output.startswith("Sent 3, failed 0"), sent.output
    assert statuses(pg_site) == ["sent"] * 3 + ["skipped"] * 3
