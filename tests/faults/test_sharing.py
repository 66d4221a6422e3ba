"""Two `send` processes draining one mailing on PostgreSQL: each recipient exactly once.

Claims are `FOR UPDATE SKIP LOCKED`, so the two share the rows without waiting on each
other or taking the same ones. 20,000 recipients run in `bench/faults.py`; here 4,000.
When one of the two is killed, the other takes back what it held (its advisory lock is
free at once) and finishes, within seconds and without a lease running out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.mailing_site import prepare_mailing_site
from harness.recorder import recording_server
from harness.sharing import share_mailing, share_with_a_kill
from syndication.delivery.workers import RECORD_LIMIT

RECIPIENTS = 4_000
KILLED_MAILING = 1_500


@pytest.mark.postgres
def test_two_senders_on_postgresql_deliver_each_recipient_exactly_once(
    tmp_path: Path, pg_url: str
) -> None:
    site = prepare_mailing_site(
        tmp_path / "site", recipients=RECIPIENTS, transport="maildir", database_url=pg_url
    )
    try:
        report = share_mailing(site, senders=2)
    finally:
        site.close()
    print("\n".join(report.lines()))

    assert report.exit_codes == [0, 0]
    assert (report.delivered, report.missing, report.duplicates) == (RECIPIENTS, 0, 0)
    assert sum(report.sent_by_sender) == RECIPIENTS
    assert min(report.sent_by_sender) > 0  # both really sent: the mailing was shared
    assert report.statuses == {"sent": RECIPIENTS}


@pytest.mark.postgres
def test_when_one_of_two_senders_is_killed_the_other_takes_its_claims_and_finishes(
    tmp_path: Path, pg_url: str
) -> None:
    with recording_server() as (port, recorder):
        site = prepare_mailing_site(
            tmp_path / "site", recipients=KILLED_MAILING, smtp_port=port, rate=600,
            database_url=pg_url,
        )
        try:
            report = share_with_a_kill(site, recorder, kill_after=KILLED_MAILING // 4)
        finally:
            site.close()
    print("\n".join(report.lines()))

    assert report.held_by_dead > 0  # the kill left claims behind
    assert report.taken_back_after is not None
    assert report.taken_back_after <= 10
    assert report.last_delivery_after is not None
    assert report.last_delivery_after <= 10
    assert report.survivor_exit == 0
    assert any(line.startswith("Reclaimed ") for line in report.survivor_said)
    assert (report.missing, report.changed_message_ids) == (0, 0)
    assert report.duplicates <= RECORD_LIMIT + site.settings.mail.smtp.concurrency
    assert report.statuses == {"sent": KILLED_MAILING}
