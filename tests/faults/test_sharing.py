"""Two `send` processes draining one mailing on PostgreSQL: each recipient exactly once.

Claims are `FOR UPDATE SKIP LOCKED`, so the two share the rows without waiting on each
other or taking the same ones. 20,000 recipients run in `bench/faults.py`; here 4,000.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.mailing_site import prepare_mailing_site
from harness.sharing import share_mailing

RECIPIENTS = 4_000


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
