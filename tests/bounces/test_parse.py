"""Parsing alone (no database): kinds, details, and hostile input that never shows a traceback."""

from __future__ import annotations

import logging

import pytest

from syndication.bounces.parse import parse_report
from syndication.bounces.schema import ReportKind
from tests.bounces.conftest import CORPUS

QMAIL_WITHOUT_FROM = (
    b"Subject: failure notice\r\n\r\n"
    b"Hi. This is the qmail-send program at mail.example.com.\r\n"
    b"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n\r\n"
    b"<ann@example.org>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
    b"--- Below this line is a copy of the message.\r\n"
)


def test_a_dsn_gives_its_kind_recipient_status_and_diagnostic() -> None:
    data = (CORPUS / "rfc3464-failed.eml").read_bytes().replace(b"@@ADDRESS@@", b"ann@example.org")

    report = parse_report(data)

    assert report.kind is ReportKind.HARD
    assert report.recipients == ("ann@example.org",)
    assert report.status == "5.1.1"
    assert report.diagnostic == "SMTP; 550 5.1.1 <ann@example.org>... User unknown"


def test_a_detector_that_trips_does_not_hide_the_others(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    # flufl.bounce's Yale detector raises on a report without From; qmail's still reads it.
    with caplog.at_level(logging.WARNING):
        report = parse_report(QMAIL_WITHOUT_FROM)

    assert (report.kind, report.recipients) == (ReportKind.HARD, ("ann@example.org",))
    assert caplog.records == []
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("data", [
    b"", b"\x00" * 100, b"\xff\xfe" * 5000, b"From: \r\n" * 3000,
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"",
    b"Content-Type: multipart/report; report-type=feedback-report; boundary=b\r\n\r\n"
    b"--b\r\nContent-Type: message/feedback-report\r\n\r\n\xff\xff: \x00\r\n--b--",
    b"Content-Type: message/delivery-status\r\n\r\nAction: failed\r\nFinal-Recipient: \xff@\r\n",
])
def test_garbage_is_nothing_and_says_nothing(
    data: bytes, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.WARNING):
        report = parse_report(data)

    assert report.kind is None or report.recipients
    assert caplog.records == []
    assert capsys.readouterr().err == ""
