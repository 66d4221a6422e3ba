"""GDPR access is complete: `subscribers show` and the API list the person's deliveries.

Issue 11, item 12: `subscribers show` always printed "deliveries (none)" (the history was
wired only in tests) and `GET /api/subscribers/{email}` left deliveries out. Both now walk
the registry of personal data (`syndication/personal_data.py`): every place with a
`gather` adds its section, the Maildir outbox's copies included.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
from click.testing import CliRunner

from harness.sites import Site
from syndication.cli import cli
from syndication.delivery.sender import send_due
from syndication.releases.catalog import load_site_releases
from syndication.scheduler.tick import publish_tick
from tests.security.conftest import GOOD

SENEGAL = "alert:2026-02-10-belincosoc-senegal"


async def test_the_person_s_deliveries_are_part_of_what_is_held(
    site: Site, client: httpx.AsyncClient
) -> None:
    person = GOOD[0]  # on press: the Senegal release (FR, list press) is mailed to them
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    loaded = load_site_releases(site.engine, site.settings)
    summary = await send_due(site.engine, site.settings,
                             {release.id: release for release in loaded.releases})
    assert summary.sent == 1

    shown = CliRunner().invoke(cli, ["--config", str(site.config), "subscribers", "show",
                                     person, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    deliveries = json.loads(shown.stdout)["deliveries"]
    assert [(item["mailing"], item["status"]) for item in deliveries] == [(SENEGAL, "sent")]
    assert deliveries[0]["sent_at"].startswith("20")
    [copy] = json.loads(shown.stdout)["outbox"]  # the Maildir transport's copy of it
    assert copy["file"].startswith("new/")
    assert copy["subject"]
    table = CliRunner().invoke(cli, ["--config", str(site.config), "subscribers", "show", person])
    assert "outbox" in table.stdout
    assert copy["file"] in table.stdout

    answer = await client.get(f"/api/subscribers/{person}",
                              headers={"Authorization": "Bearer security-test-admin-token"})
    assert answer.status_code == 200
    assert [(item["mailing"], item["status"]) for item in answer.json()["deliveries"]] == [
        (SENEGAL, "sent")]
    assert answer.json()["outbox"] == [copy]


def test_every_place_that_holds_an_address_or_a_link_can_be_shown() -> None:
    from syndication.personal_data import Holds, places

    for name, place in places().items():
        if place.scrub is not None or (place.holds is Holds.PERSONAL
                                       and not name.startswith(("subscribers.", "subscriptions.",
                                                                "consents."))):
            assert place.gather is not None, f"{name}: GDPR access cannot show it"
