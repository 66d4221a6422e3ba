"""Erase leaves no trace of the address in the outbox's replies or the Maildir copies.

Issue 11, item 7: after `subscribers erase`, `deliveries.last_reply` still read
"550 5.1.1 <address>: …" (shown by `deliveries` and `/api/deliveries`) and the Maildir
transport's copies stayed in the outbox. The bounce is stored as the sender stores a
refusal (status bounced, the server's reply kept), quoting the address in another letter
case and, on a second delivery, in its punycode spelling.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from click.testing import CliRunner
from sqlalchemy import Engine, insert, select, update

from harness.sites import Site
from subscribers.schema import subscribers
from syndication.cli import cli
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.sender import send_due
from syndication.releases.catalog import load_site_releases
from syndication.scheduler.tick import publish_tick
from tests.security.conftest import GOOD

PERSON = GOOD[0]
ADMIN = {"Authorization": "Bearer security-test-admin-token"}


async def _mail_and_bounce(site: Site) -> None:
    """Send the Senegal alert to the Maildir, then store a 550 quoting the person."""
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    loaded = load_site_releases(site.engine, site.settings)
    summary = await send_due(site.engine, site.settings,
                             {release.id: release for release in loaded.releases})
    assert summary.sent >= 1
    assert _traces(site)  # the Maildir copy names them
    with site.engine.begin() as conn:
        mine = conn.scalar(select(subscribers.c.id).where(subscribers.c.email == PERSON))
        other = conn.scalar(select(subscribers.c.id).where(subscribers.c.email == GOOD[1]))
        conn.execute(update(deliveries).where(deliveries.c.subscriber_id == mine).values(
            status="bounced", last_reply=f"550 5.1.1 <{PERSON.upper()}>: no such user"))
        # Another person's delivery whose reply quotes them (a forward, a shared mailbox).
        row = conn.execute(select(deliveries).where(deliveries.c.subscriber_id == mine)).one()
        copy = {**row._mapping, "subscriber_id": other, "status": "failed",
                "last_reply": f"554 forwarded to {PERSON}: refused"}
        del copy["id"]
        conn.execute(insert(deliveries).values(copy))
    assert PERSON in _replies(site.engine).lower()


def _replies(engine: Engine) -> str:
    with engine.connect() as conn:
        return " ".join(reply or "" for reply in conn.scalars(select(deliveries.c.last_reply)))


def _traces(site: Site) -> list[Path]:
    """The Maildir files that still hold the address, in any letter case."""
    return [path for path in site.settings.mail.maildir.rglob("*")
            if path.is_file() and PERSON in path.read_bytes().decode(errors="replace").lower()]


async def test_cli_erase_scrubs_replies_and_the_maildir(
    site: Site, client: httpx.AsyncClient
) -> None:
    await _mail_and_bounce(site)
    runner = CliRunner()
    erased = runner.invoke(cli, ["--config", str(site.config), "subscribers", "erase",
                                 PERSON, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "also removed: 2 stored server replies scrubbed" in erased.stdout
    assert "Maildir copies deleted" in erased.stdout

    report = runner.invoke(cli, ["--config", str(site.config), "deliveries",
                                 "--format", "json"])
    assert report.exit_code == 0, report.output
    assert PERSON not in report.stdout.lower()
    answer = await client.get("/api/deliveries", headers=ADMIN)
    assert answer.status_code == 200
    assert PERSON not in answer.text.lower()
    assert PERSON not in _replies(site.engine).lower()
    assert "<erased address>" in _replies(site.engine)
    assert _traces(site) == []


async def test_api_erase_scrubs_them_too(site: Site, client: httpx.AsyncClient) -> None:
    await _mail_and_bounce(site)
    erased = await client.delete(f"/api/subscribers/{PERSON}", headers=ADMIN)
    assert erased.status_code == 200
    assert erased.json()["held"] is True
    assert any("Maildir" in line for line in erased.json()["removed"])
    answer = await client.get("/api/deliveries", headers=ADMIN)
    assert PERSON not in answer.text.lower()
    assert PERSON not in _replies(site.engine).lower()
    assert _traces(site) == []


async def test_the_punycode_spelling_is_scrubbed_too(
    site: Site, client: httpx.AsyncClient
) -> None:
    await _mail_and_bounce(site)
    with site.engine.begin() as conn:
        conn.execute(update(deliveries).where(deliveries.c.status == "failed").values(
            last_reply="550 5.1.1 <Ann@XN--BCHER-KVA.example>: no such user"))
    erased = await client.delete("/api/subscribers/ann@b%C3%BCcher.example", headers=ADMIN)
    assert erased.status_code == 200
    assert erased.json()["removed"] == ["1 stored server replies scrubbed"]
    assert "bcher" not in _replies(site.engine).lower()


async def test_a_longer_address_that_contains_it_is_left_alone(
    site: Site, client: httpx.AsyncClient
) -> None:
    await _mail_and_bounce(site)
    kept = f"550 5.1.1 <not{PERSON}>, <{PERSON}.uk>: no such user"
    with site.engine.begin() as conn:
        conn.execute(update(deliveries).where(deliveries.c.status == "failed")
                     .values(last_reply=kept))
    erased = await client.delete(f"/api/subscribers/{PERSON}", headers=ADMIN)
    assert erased.status_code == 200
    assert kept in _replies(site.engine)
