"""Fixtures of the bounce tests: a site whose deliveries carry VERP return paths, sent for real.

`bounce_site` is a private SQLite site with `[mail] return_path` set; `send_to` subscribes
addresses, plans one release alert and sends it through the site's transport (the Maildir
unless a test points it at SMTP), and hands back each delivery's id, VERP address and
Message-ID as the message really carried them.
"""

from __future__ import annotations

import email.parser
import email.policy
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from harness.sites import Site, make_site, open_site
from subscribers import subscribers_table
from syndication.cli import cli
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.releases.catalog import load_site_releases

RETURN_PATH = "bounces@press.example.be"
CORPUS = Path(__file__).parent / "corpus"

Run = Callable[..., Result]


@dataclass(frozen=True)
class Sent:
    """One delivery as it went out."""

    delivery_id: int
    subscriber_id: int
    address: str
    verp: str  # the envelope sender (Return-Path) the message carried
    message_id: str


def configure(config: Path, *, bounces: str = "") -> None:
    """Set return_path in a site's config, and `bounces` lines in its [bounces] table."""
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "suppress_after = 3 ", f'return_path = "{RETURN_PATH}"\nsuppress_after = 3 ', 1
    )
    head, _, rest = text.partition("\n[bounces]")
    line, _, rest = rest.partition("\n")
    config.write_text(f"{head}\n[bounces]{line}\n{bounces}\n{rest}", encoding="utf-8")


@pytest.fixture
def bounce_site(tmp_path: Path, secrets_env: None) -> Iterator[Site]:
    """A private SQLite site whose deliveries get VERP return paths; Maildir transport."""
    config = make_site(tmp_path / "site")
    configure(config)
    opened = open_site(config)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def run(bounce_site: Site) -> Run:
    """Run `syndication --config SITE ARGUMENTS...` in this process."""

    def invoke(*arguments: str) -> Result:
        return CliRunner().invoke(cli, ["--config", str(bounce_site.config), *arguments])

    return invoke


def plan_alert(site: Site, release_id: str) -> None:
    """Write a release and plan its alert to everyone subscribed to `press`."""
    site.add_release(release_id, "2026-03-29T09:00:00+02:00")
    (release,) = [found for found in load_site_releases(site.engine, site.settings).releases
                  if found.id == release_id]
    plan_release_alert(site.engine, site.settings, release, at=release.published)


def sent_from_maildir(site: Site) -> dict[str, Sent]:
    """Every delivery the Maildir transport wrote, by address: ids, VERP, Message-ID."""
    box = mailbox.Maildir(site.settings.mail.maildir, factory=None, create=False)
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    found: dict[str, Sent] = {}
    with site.engine.connect() as conn:
        for key in box.iterkeys():
            headers = parser.parsebytes(box.get_bytes(key))
            address = str(headers["Delivered-To"])
            subscriber_id, delivery_id = conn.execute(
                select(subscribers_table.c.id, deliveries.c.id)
                .join(deliveries, deliveries.c.subscriber_id == subscribers_table.c.id)
                .where(subscribers_table.c.email == address)
                .order_by(deliveries.c.id.desc())
            ).one()
            found[address] = Sent(
                delivery_id=delivery_id, subscriber_id=subscriber_id, address=address,
                verp=str(headers["Return-Path"]).strip("<>"),
                message_id=str(headers["Message-ID"]),
            )
    return found


def send_to(
    site: Site, run: Run, addresses: list[str], *, release_id: str = "alert-1"
) -> dict[str, Sent]:
    """Subscribe `addresses`, plan one alert, send it; what went out, by address."""
    for address in addresses:
        site.add_subscriber(address)
    plan_alert(site, release_id)
    result = run("send")
    assert result.exit_code == 0, result.output
    return sent_from_maildir(site)


_SIGNED = re.compile(r"<(mailing-\d+\.subscriber-\d+)\.([a-z2-7]{16})@(.+)>")


def fill(template: bytes, sent: Sent) -> bytes:
    """A corpus sample made to name `sent`: its address, VERP and Message-ID (and forgeries)."""
    found = _SIGNED.fullmatch(sent.message_id)
    assert found is not None, sent.message_id
    ids, signature, host = found.groups()
    token = sent.verp.split("+", 1)[1].split("@", 1)[0]
    changed = ("b" if token[0] != "b" else "c") + token[1:]
    for name, value in (
        ("VERP", sent.verp), ("ADDRESS", sent.address), ("MESSAGE_ID", sent.message_id),
        ("FORGED_MESSAGE_ID", f"<{ids}.{'a' * 16 if signature != 'a' * 16 else 'b' * 16}@{host}>"),
        ("GUESSABLE_MESSAGE_ID", f"<{ids}@{host}>"),
        ("TAMPERED_VERP", sent.verp.replace(token, changed)),
    ):
        template = template.replace(f"@@{name}@@".encode(), value.encode())
    return template
