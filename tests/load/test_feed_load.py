"""`run` answers every conditional GET of a feed with a right 304 while sending a mailing.

200 connections at once, 1,000 requests, during an alert to 3,000 readers at 300 msgs/s;
`bench/load.py` runs 1,000 connections and reports requests per second.
"""

from __future__ import annotations

from pathlib import Path

from harness.feeds_under_load import feeds_under_load

RECIPIENTS = 3_000
REQUESTS = 1_000


def test_conditional_gets_all_get_304_while_a_mailing_is_sent(tmp_path: Path) -> None:
    result = feeds_under_load(
        tmp_path / "site", recipients=RECIPIENTS, rate=300, connections=200, requests=REQUESTS
    )
    print("\n" + "\n".join(result.lines()))

    report = result.load
    assert report.requests == REQUESTS
    assert sum(report.errors.values()) == 0
    assert report.statuses == {304: REQUESTS}
    assert report.wrong == 0
    assert 0 < result.sent_before <= result.sent_after < RECIPIENTS  # sending all along
