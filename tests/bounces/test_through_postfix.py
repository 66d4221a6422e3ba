"""A real mailing through a real relay: Postfix accepts everyone, bounces later, by DSN.

`syndication run` sends through a private Postfix (harness/postfix.py) with VERP return
paths; Postfix delivers one address to the sink, bounces one itself after accepting it
(its `error` transport: "unknown user") and one because the sink refuses it at RCPT
(a remote 550). Its DSNs go to `run`'s `[bounces] listen` server. With `suppress_after = 2`,
the second mailing's bounces suppress both addresses, and the third is not sent to them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from harness.ports import free_port
from harness.postfix import Postfix, Sink, running_postfix
from harness.processes import RunningService
from harness.sites import Site, make_site, open_site
from harness.smtp import serving_smtp
from subscribers import Status, get_subscriber
from syndication.bounces.schema import delivery_reports
from syndication.delivery.outbox_schema import deliveries, mailings
from tests.bounces.conftest import RETURN_PATH, configure

OK, GONE, REFUSED = "ok@example.org", "gone@example.org", "refused@example.org"
WAIT = 60.0  # seconds for a round: tick, send, Postfix's bounce, its DSN to `listen`


@pytest.fixture
def relay() -> Iterator[tuple[Postfix, Sink, int]]:
    """A private Postfix in front of a sink, sending its DSNs to a port `run` will listen on."""
    sink = Sink(refuse=frozenset({REFUSED}))
    listen_port = free_port()
    with serving_smtp(sink) as sink_port, running_postfix(
        sink_port=sink_port, dsn_port=listen_port, bounce_domain=RETURN_PATH.split("@")[1],
        bounce={GONE: "5.1.1 unknown user: \"gone\""},
    ) as postfix:
        yield postfix, sink, listen_port


def _site(folder: Path, *, smtp_port: int, listen_port: int) -> Site:
    config = make_site(folder)
    configure(config, bounces=f'listen = "127.0.0.1:{listen_port}"')
    text = config.read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", f"port = {smtp_port} ")
    text = text.replace("port = 8080 ", f"port = {free_port()} ")
    text = text.replace("suppress_after = 3 ", "suppress_after = 2 ")
    text = text.replace('scan_every = "30s"', 'scan_every = "1s"')
    config.write_text(text, encoding="utf-8")
    return open_site(config)


def _wait(what: str, done: object, postfix: Postfix, service: RunningService) -> None:
    deadline = time.monotonic() + WAIT
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\nPostfix:\n{postfix.log_tail()}"
                                 f"\nrun:\n{''.join(service.output[-40:])}")
        time.sleep(0.2)


def _reports(site: Site, key: str) -> dict[int, list[str]]:
    with site.engine.connect() as conn:
        rows = conn.execute(
            select(deliveries.c.subscriber_id, delivery_reports.c.kind)
            .join(deliveries, deliveries.c.id == delivery_reports.c.delivery_id)
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .where(mailings.c.key == key)
        ).all()
    found: dict[int, list[str]] = {}
    for subscriber_id, kind in rows:
        found.setdefault(subscriber_id, []).append(kind)
    return found


def _statuses(site: Site, key: str) -> dict[int, str]:
    with site.engine.connect() as conn:
        return dict(conn.execute(
            select(deliveries.c.subscriber_id, deliveries.c.status)
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .where(mailings.c.key == key)
        ).all())


def test_real_dsns_are_matched_and_suppress_after_two_bounces(
    tmp_path: Path, secrets_env: None, relay: tuple[Postfix, Sink, int]
) -> None:
    postfix, sink, listen_port = relay
    site = _site(tmp_path / "site", smtp_port=postfix.port, listen_port=listen_port)
    ids = {address: site.add_subscriber(address) for address in (OK, GONE, REFUSED)}
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    service = RunningService(site.config)
    try:
        for number in (1, 2):
            site.add_release(f"round-{number}", published.isoformat())
            key = f"alert:round-{number}"
            _wait(f"the DSNs of {key}", lambda key=key: set(_reports(site, key)) == {
                ids[GONE], ids[REFUSED]}, postfix, service)
            assert _reports(site, key) == {ids[GONE]: ["hard"], ids[REFUSED]: ["hard"]}
            assert _statuses(site, key) == {
                ids[OK]: "sent", ids[GONE]: "bounced", ids[REFUSED]: "bounced"}
            for address in (GONE, REFUSED):
                held = get_subscriber(site.engine, ids[address])
                assert held.bounces == number
                assert held.status is (Status.SUPPRESSED if number == 2 else Status.ACTIVE)
        site.add_release("round-3", published.isoformat())
        _wait("the third mailing", lambda: _statuses(site, "alert:round-3").get(ids[OK]) == "sent",
              postfix, service)
        postfix.wait_empty()
    finally:
        code = service.stop()
        site.engine.dispose()
    assert code == 0, "".join(service.output)

    # Suppressed after two hard bounces: the third mailing was not planned for them.
    assert _statuses(site, "alert:round-3") == {ids[OK]: "sent"}
    assert [recipient for recipient, _ in sink.received()] == [OK, OK, OK]
    # Every message went out with its own VERP envelope sender, kept by Postfix.
    assert len(set(sink.envelope_senders)) == 3
    assert all(sender.startswith("bounces+") and sender.endswith("@press.example.be")
               for sender in sink.envelope_senders)
