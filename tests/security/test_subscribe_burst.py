"""The sign-up rate limits hold under bursts of 1,000 requests to a real `syndication run`.

One client posting 1,000 sign-ups for 1,000 addresses gets `IP_LIMIT.count` through; 1,000
clients (distinct X-Forwarded-For, which uvicorn trusts from 127.0.0.1 only) posting for
one victim's address send it at most `ADDRESS_LIMIT.count` confirmations, and an active
subscriber's address the same. The rest are 429s with Retry-After, nothing is a 5xx, and
the confirmations counted are the ones in the service's Maildir.
"""

from __future__ import annotations

import json
import mailbox
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest

from harness.load_generator import Answer, load, post_json
from harness.mailing_site import MailingSite, prepare_mailing_site
from harness.ports import free_port
from subscribers.membership import add_subscriber
from syndication.web.context import ADDRESS_LIMIT, IP_LIMIT
from tests.security.conftest import GOOD, good_data

BURST = 1_000
CONNECTIONS = 100


@pytest.fixture
def service(tmp_path: Path) -> Iterator[MailingSite]:
    """A site with the two good subscribers, no mailing, confirmations to a Maildir."""
    site = prepare_mailing_site(
        tmp_path / "site", recipients=0, transport="maildir", web_port=free_port()
    )
    add_subscriber(site.engine, GOOD[0], languages=("nl", "fr"), lists=("press", "public"))
    add_subscriber(site.engine, GOOD[1], languages=("fr",), lists=("accredited",))
    yield site
    site.close()


def confirmations(site: MailingSite) -> Counter[str]:
    """Confirmation emails in the site's Maildir, by recipient (lower case)."""
    folder = site.settings.mail.maildir
    if not folder.exists():
        return Counter()
    box = mailbox.Maildir(folder, factory=None, create=False)
    try:
        messages = [message_from_bytes(box.get_bytes(key)) for key in box.keys()]
    finally:
        box.close()
    return Counter(  # the service may also have mailed an alert: count confirmations only
        str(message["To"]).lower() for message in messages
        if str(message["Message-ID"]).startswith("<confirm.")
    )


async def burst(site: MailingSite, requests: list[tuple[str, str | None]]) -> Counter[int]:
    """POST each (email, X-Forwarded-For) to /subscribe, CONNECTIONS at a time; statuses."""
    report = await load("127.0.0.1", site.web_port, [
        post_json("/subscribe", json.dumps({"email": email}),
                  headers={"X-Forwarded-For": forwarded} if forwarded else None)
        for email, forwarded in requests
    ], connections=CONNECTIONS, check=_retry_after_when_429)
    assert (report.errors, report.wrong) == (Counter(), 0), report.line()
    return report.statuses


def _retry_after_when_429(answer: Answer) -> bool:
    return answer.status != 429 or int(answer.headers["retry-after"]) > 0


def client_address(number: int) -> str:
    """A distinct documentation-range IPv4 address per number."""
    return f"198.51.{number // 250}.{number % 250 + 1}"


async def test_bursts_get_only_their_quota_and_bomb_no_inbox(service: MailingSite) -> None:
    before = good_data(service.engine)
    victim = "victim@example.org"
    with service.serving():
        one_client = await burst(service, [(f"burst{n}@example.org", None) for n in range(BURST)])
        one_victim = await burst(service, [
            (victim if n % 2 else victim.upper(), client_address(n)) for n in range(BURST)
        ])
        one_member = await burst(service, [
            (GOOD[0], client_address(BURST + n)) for n in range(BURST // 4)
        ])
    sent = confirmations(service)
    print(f"\none client, {BURST} addresses: {dict(one_client)}")
    print(f"{BURST} clients, one new address: {dict(one_victim)}")
    print(f"{BURST // 4} clients, one subscriber's address: {dict(one_member)}")
    print(f"confirmations sent: {sum(sent.values())} {dict(sent)}")

    assert one_client == {200: IP_LIMIT.count, 429: BURST - IP_LIMIT.count}
    assert one_victim == {200: ADDRESS_LIMIT.count, 429: BURST - ADDRESS_LIMIT.count}
    assert one_member == {200: ADDRESS_LIMIT.count, 429: BURST // 4 - ADDRESS_LIMIT.count}
    burst_mail = sum(count for address, count in sent.items() if address.startswith("burst"))
    assert burst_mail == IP_LIMIT.count
    # Sign-ups of one new address racing each other may send fewer, never more.
    assert 1 <= sent[victim] <= ADDRESS_LIMIT.count
    assert sent[GOOD[0]] == ADDRESS_LIMIT.count
    assert sum(sent.values()) == burst_mail + sent[victim] + sent[GOOD[0]]
    assert good_data(service.engine) == before  # an active subscriber's choices never change
