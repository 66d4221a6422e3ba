"""The private Postfix of harness/postfix.py: accepts everyone, bounces later, by email."""

from __future__ import annotations

import smtplib
import time
from email import message_from_bytes

from harness.postfix import Sink, running_postfix
from harness.smtp import serving_smtp

MESSAGE = b"Subject: hello\r\nMessage-ID: <probe@press.test>\r\n\r\nbody\r\n"


def test_postfix_accepts_at_rcpt_then_bounces_by_dsn_to_the_envelope_sender() -> None:
    sink = Sink(refuse=frozenset({"refused@example.org"}))
    dsns = Sink()
    with serving_smtp(sink) as sink_port, serving_smtp(dsns) as dsn_port, running_postfix(
        sink_port=sink_port, dsn_port=dsn_port, bounce_domain="press.test",
        bounce={"gone@example.org": "5.1.1 mailbox does not exist"},
    ) as postfix:
        with smtplib.SMTP("127.0.0.1", postfix.port) as client:
            for recipient in ("ok@example.org", "gone@example.org", "refused@example.org"):
                assert client.sendmail("bounces+t@press.test", [recipient], MESSAGE) == {}
        postfix.wait_empty()
        deadline = time.monotonic() + 10
        while len(dsns.received()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [recipient for recipient, _ in sink.received()] == ["ok@example.org"]
    failed = set()
    for recipient, content in dsns.received():
        assert recipient == "bounces+t@press.test"
        report = message_from_bytes(content)
        assert report.get_content_type() == "multipart/report"
        status = next(part for part in report.walk()
                      if part.get_content_type() == "message/delivery-status")
        text = status.as_string()
        assert "Action: failed" in text
        assert "Status: 5.1.1" in text
        failed |= {line.split(";")[1].strip() for line in text.splitlines()
                   if line.startswith("Final-Recipient:")}
    assert failed == {"gone@example.org", "refused@example.org"}
