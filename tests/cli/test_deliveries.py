"""`deliveries [RELEASE]`: every exit status, and no planned delivery left unexplained."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from harness.sites import Site
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.releases.catalog import load_site_releases
from tests.cli.conftest import Run


def test_a_release_that_does_not_exist_exits_1_naming_it(site: Site, run: Run) -> None:
    result = run("deliveries", "nope")

    assert result.exit_code == 1
    assert "no release 'nope'" in result.output
    assert "no mailing carries it" in result.output


def test_a_release_with_no_mailing_yet_is_an_empty_report(site: Site, run: Run) -> None:
    site.add_release("quiet", "2026-03-29T09:00:00+02:00")

    result = run("deliveries", "quiet")

    assert (result.exit_code, result.output) == (0, "No mailings.\n")


def test_planned_deliveries_not_due_yet_say_when(site: Site, run: Run) -> None:
    site.add_subscriber("reader@example.org")
    site.add_release("later", "2026-03-29T09:00:00+02:00")
    (release,) = load_site_releases(site.engine, site.settings).releases
    # An alert dated ahead of the clock, as a tick of an older version left them.
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    plan_release_alert(site.engine, site.settings, release, at=release.published)
    with site.engine.begin() as conn:
        conn.execute(update(deliveries).values(next_attempt_at=due))

    table = run("deliveries")
    report = json.loads(run("deliveries", "later", "--format", "json").output)
    listed = run("mailings", "list")

    assert table.exit_code == 0
    local = due.astimezone(site.settings.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")
    assert f"Not due yet (planned):\n  alert:later: 1 due at {local}" in table.output
    assert report["waiting"] == [{"mailing": "alert:later", "count": 1, "due_at": due.isoformat()}]
    assert report["mailings"][0]["state"] == "not due yet"
    assert f"not due yet (due at {local})" in listed.output
