"""What people read and what erase forgets: `deliveries`, `subscribers show`, the API, erase."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from harness.sites import ADMIN_TOKEN, Site
from syndication.bounces.intake import take_report
from syndication.bounces.schema import Source, delivery_reports, unmatched_reports
from syndication.web.app import create_app
from tests.bounces.conftest import CORPUS, Run, fill, send_to

ANN, BOB = "ann@example.org", "bob@example.org"


def _take(site: Site, data: bytes) -> None:
    take_report(site.engine, site.settings, data, source=Source.IMPORT, now=datetime.now(UTC))


def _reports(site: Site, run: Run) -> None:
    """Ann's delivery hard-bounced, Bob complained, one forged report kept aside (naming Ann)."""
    sent = send_to(site, run, [ANN, BOB])
    _take(site, fill((CORPUS / "rfc3464-failed.eml").read_bytes(), sent[ANN]))
    _take(site, fill((CORPUS / "arf-abuse.eml").read_bytes(), sent[BOB]))
    _take(site, fill((CORPUS / "forged-message-id.eml").read_bytes(), sent[ANN]))


def test_deliveries_shows_what_came_back_after_sending(bounce_site: Site, run: Run) -> None:
    _reports(bounce_site, run)

    table = run("deliveries")
    report = json.loads(run("deliveries", "alert-1", "--format", "json").output)

    assert table.exit_code == 0, table.output
    assert "Bounces and complaints after sending:\n  alert:alert-1: 1 hard, 0 soft, 1 complaint" \
        in table.output
    assert "Reports kept aside unmatched: 1 (1 unsigned)" in table.output
    assert report["after_sending"] == {
        "mailings": [{"mailing": "alert:alert-1", "hard": 1, "soft": 0, "complaint": 1}],
        "unmatched": {"unsigned": 1},
    }


def test_subscribers_show_lists_a_persons_reports(bounce_site: Site, run: Run) -> None:
    _reports(bounce_site, run)

    shown = run("subscribers", "show", BOB, "--format", "json")

    assert shown.exit_code == 0, shown.output
    (delivery,) = json.loads(shown.output)["deliveries"]
    assert delivery["status"] == "sent"
    assert delivery["reports"].startswith("complaint at ")


async def test_the_api_shows_reports_beside_deliveries(bounce_site: Site, run: Run) -> None:
    await asyncio.to_thread(_reports, bounce_site, run)
    app = create_app(bounce_site.settings, bounce_site.engine)
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver", headers=headers) as client:
        person = (await client.get(f"/api/subscribers/{ANN}")).json()
        index = (await client.get("/api/deliveries")).json()

    assert person["deliveries"][0]["status"] == "bounced"
    assert person["deliveries"][0]["reports"].startswith("hard 5.1.1 at ")
    assert index["after_sending"]["unmatched"] == {"unsigned": 1}


def test_erase_scrubs_the_address_from_the_bounce_store(bounce_site: Site, run: Run) -> None:
    _reports(bounce_site, run)
    with bounce_site.engine.connect() as conn:
        before = conn.scalar(select(delivery_reports.c.diagnostic)
                             .where(delivery_reports.c.kind == "hard"))
    assert ANN in (before or "")

    erased = run("subscribers", "erase", ANN, "--yes")

    assert erased.exit_code == 0, erased.output
    assert "bounce diagnostics scrubbed" in erased.output
    assert "unmatched bounce reports deleted" in erased.output
    with bounce_site.engine.connect() as conn:
        diagnostics = list(conn.scalars(select(delivery_reports.c.diagnostic)))
        kept = list(conn.scalars(select(unmatched_reports.c.content)))
    assert all(ANN not in (text or "") for text in diagnostics)
    assert "<erased address>" in " ".join(text or "" for text in diagnostics)
    assert kept == []
    assert len(diagnostics) == 2  # the reports stay, as counts: Bob's complaint untouched
