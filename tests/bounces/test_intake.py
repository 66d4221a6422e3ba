"""The three ways in take one path: `listen` (SMTP, with its allow list), the leader's
Maildir, and the rules for soft bounces, oversized and hostile reports."""

from __future__ import annotations

import asyncio
import dataclasses
import smtplib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib
import pytest
from sqlalchemy import select, update

from harness.ports import free_port
from harness.sites import Site
from subscribers import Status, get_subscriber
from syndication.bounce_settings import MAX_REPORT_BYTES, BounceSettings
from syndication.bounces.intake import take_report
from syndication.bounces.schema import Source, delivery_reports, unmatched_reports
from syndication.bounces.service import BounceIntake
from syndication.delivery.outbox_schema import deliveries
from tests.bounces.conftest import CORPUS, Run, Sent, fill, send_to

ADDRESS = "reader@example.org"


def _sample(name: str, sent: Sent) -> bytes:
    return fill((CORPUS / f"{name}.eml").read_bytes(), sent)


def _status(site: Site, delivery_id: int) -> str:
    with site.engine.connect() as conn:
        return str(conn.scalar(select(deliveries.c.status).where(deliveries.c.id == delivery_id)))


def _unmatched(site: Site) -> list[str]:
    with site.engine.connect() as conn:
        return list(conn.scalars(select(unmatched_reports.c.reason)))


def _intake(site: Site, *, allow: tuple[str, ...] = ("127.0.0.0/8",),
            maildir: Path | None = None) -> BounceIntake:
    bounces = BounceSettings(listen=("127.0.0.1", free_port()), allow=allow, maildir=maildir)
    return BounceIntake(dataclasses.replace(site.settings, bounces=bounces), site.engine)


async def _send_to(site: Site, run: Run, addresses: list[str]) -> dict[str, Sent]:
    # `send` runs its own event loop: off this test's loop.
    return await asyncio.to_thread(send_to, site, run, addresses)


async def _hand_over(intake: BounceIntake, data: bytes, recipient: str) -> tuple[int, str]:
    listening = intake.listening
    assert listening is not None
    async with aiosmtplib.SMTP(hostname=listening[0], port=listening[1]) as client:
        try:  # a DSN's envelope sender is null (RFC 3464 §2, RFC 5321 §4.5.5)
            await client.sendmail("", [recipient], data)
        except aiosmtplib.SMTPResponseException as error:
            return error.code, error.message
    return 250, "ok"


async def test_listen_records_a_relays_dsn_and_refuses_a_host_not_allowed(
    bounce_site: Site, run: Run
) -> None:
    sent = (await _send_to(bounce_site, run, [ADDRESS]))[ADDRESS]
    report = _sample("rfc3464-failed", sent)
    stranger = _intake(bounce_site, allow=("192.0.2.0/24",))  # 127.0.0.1 is not a relay
    relay = _intake(bounce_site)
    await stranger.start()
    await relay.start()
    try:
        refused = await _hand_over(stranger, report, sent.verp)
        assert _status(bounce_site, sent.delivery_id) == "sent"
        accepted = await _hand_over(relay, report, sent.verp)
    finally:
        await stranger.stop()
        await relay.stop()

    assert refused[0] == 550
    assert _unmatched(bounce_site) == ["not-allowed"]
    assert accepted[0] == 250
    assert _status(bounce_site, sent.delivery_id) == "bounced"
    assert get_subscriber(bounce_site.engine, sent.subscriber_id).bounces == 1


async def test_listen_speaks_lmtp_when_asked(bounce_site: Site, run: Run) -> None:
    sent = (await _send_to(bounce_site, run, [ADDRESS]))[ADDRESS]
    bounces = BounceSettings(listen=("127.0.0.1", free_port()), lmtp=True)
    intake = BounceIntake(dataclasses.replace(bounce_site.settings, bounces=bounces),
                          bounce_site.engine)
    await intake.start()

    def hand_over() -> dict[str, tuple[int, bytes]]:
        with smtplib.LMTP("127.0.0.1", bounces.listen[1]) as client:  # type: ignore[index]
            data = _sample("rfc3464-failed", sent).replace(b"\n", b"\r\n")  # as on the wire
            return client.sendmail("", [sent.verp], data)

    try:
        refused = await asyncio.to_thread(hand_over)
    finally:
        await intake.stop()

    assert refused == {}
    assert _status(bounce_site, sent.delivery_id) == "bounced"


async def test_a_report_for_a_delivery_still_being_sent_is_deferred_with_451(
    bounce_site: Site, run: Run
) -> None:
    sent = (await _send_to(bounce_site, run, [ADDRESS]))[ADDRESS]
    with bounce_site.engine.begin() as conn:  # as if the sender had not yet written its result
        conn.execute(update(deliveries).values(status="sending"))
    relay = _intake(bounce_site)
    await relay.start()
    try:
        code, _message = await _hand_over(relay, _sample("rfc3464-failed", sent), sent.verp)
    finally:
        await relay.stop()

    assert code == 451
    with bounce_site.engine.connect() as conn:
        assert conn.execute(select(delivery_reports)).all() == []


async def test_the_leader_drains_the_bounce_maildir_and_leaves_what_must_wait(
    bounce_site: Site, run: Run, tmp_path: Path
) -> None:
    sent = await _send_to(bounce_site, run, ["a@example.org", "b@example.org"])
    folder = tmp_path / "bounces"
    for part in ("new", "cur", "tmp"):
        (folder / part).mkdir(parents=True)
    (folder / "new" / "1.a").write_bytes(_sample("rfc3464-failed", sent["a@example.org"]))
    (folder / "new" / "2.b").write_bytes(_sample("arf-abuse", sent["b@example.org"]))
    (folder / "cur" / "3.x:2,S").write_bytes(b"not a report at all")
    intake = _intake(bounce_site, maildir=folder)

    await intake.read_maildir()

    assert sorted(path.name for path in folder.rglob("*") if path.is_file()) == []
    assert _status(bounce_site, sent["a@example.org"].delivery_id) == "bounced"
    complained = get_subscriber(bounce_site.engine, sent["b@example.org"].subscriber_id)
    assert complained.status is Status.SUPPRESSED
    assert _status(bounce_site, sent["b@example.org"].delivery_id) == "sent"
    assert _unmatched(bounce_site) == ["unparseable"]


def test_soft_bounces_count_half_and_once_a_day(bounce_site: Site, run: Run) -> None:
    sent = send_to(bounce_site, run, [ADDRESS])[ADDRESS]
    soft = _sample("rfc3464-delayed", sent)
    start = datetime(2026, 12, 2, 8, tzinfo=UTC)

    def take(at: datetime) -> bool:
        outcome = take_report(bounce_site.engine, bounce_site.settings, soft,
                              source=Source.IMPORT, now=at)
        return outcome.applied is not None and outcome.applied.value == "counted"

    counted = [take(start), take(start + timedelta(hours=3)),  # the same day: once
               take(start + timedelta(days=1, minutes=1)),  # the second counted: one bounce
               take(start + timedelta(days=2, minutes=2))]

    assert counted == [True, False, True, True]
    held = get_subscriber(bounce_site.engine, sent.subscriber_id)
    assert held.bounces == 1  # three counted soft bounces: one and a half, rounded down
    assert held.status is Status.ACTIVE
    assert _status(bounce_site, sent.delivery_id) == "sent"


def test_a_hard_bounce_reported_twice_counts_once(bounce_site: Site, run: Run) -> None:
    sent = send_to(bounce_site, run, [ADDRESS])[ADDRESS]
    report = _sample("rfc3464-failed", sent)
    now = datetime.now(UTC)
    for _ in range(3):
        take_report(bounce_site.engine, bounce_site.settings, report, source=Source.IMPORT,
                    now=now)

    assert get_subscriber(bounce_site.engine, sent.subscriber_id).bounces == 1
    with bounce_site.engine.connect() as conn:
        assert list(conn.scalars(select(delivery_reports.c.counted))) == [True, False, False]


@pytest.mark.parametrize("data", [
    b"x" * (MAX_REPORT_BYTES + 1),
    b"Content-Type: multipart/report; boundary=\"" + b"a" * 5000 + b"\"\r\n\r\n" + b"\xff" * 9000,
    b"\x00" * 1000,
    b"",
    b"From: \r\n" * 5000,
])
def test_hostile_reports_are_kept_aside_never_a_suppression(
    bounce_site: Site, run: Run, data: bytes, tmp_path: Path
) -> None:
    sent = send_to(bounce_site, run, [ADDRESS])[ADDRESS]
    path = tmp_path / "hostile.eml"
    path.write_bytes(data + sent.verp.encode())

    result = run("bounces", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "1 report kept aside unmatched" in result.output
    assert _unmatched(bounce_site)[0] in ("too-large", "unparseable")
    assert _status(bounce_site, sent.delivery_id) == "sent"
    held = get_subscriber(bounce_site.engine, sent.subscriber_id)
    assert (held.status, held.bounces) == (Status.ACTIVE, 0)


def test_import_of_a_path_that_is_nothing_names_it(run: Run, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()

    missing = run("bounces", "import", str(tmp_path / "nope.eml"))
    folder = run("bounces", "import", str(tmp_path / "folder"))

    assert (missing.exit_code, folder.exit_code) == (1, 1)
    assert "nope.eml: no such file or folder" in missing.output
    assert "a folder that is not a Maildir" in folder.output
    assert "Traceback" not in missing.output + folder.output
