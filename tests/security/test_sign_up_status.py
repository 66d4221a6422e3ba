"""The sign-up answer tells nothing of an address's status (issue 11, item 5).

Every status (unknown, pending, active, unsubscribed, suppressed after bounces, erased)
gets the same answer, byte for byte, in HTML and in JSON; the work that differs (record,
mail a confirmation, or nothing) happens after the answer, as its background task, and
is checked here by its effects. `bench/signup_timing.py` measures the times.
"""

from __future__ import annotations

import httpx
import pytest

from harness.sites import Site
from subscribers import (
    ConsentSource,
    Status,
    UnknownSubscriber,
    add_subscriber,
    erase_person,
    find_subscriber,
    record_hard_bounce,
    remove_subscriber,
)
from syndication.web.app import create_app
from tests.delivery.conftest import smtp_settings
from tests.delivery.smtp_server import running_smtp_server
from tests.web.conftest import maildir_messages

SECRET = b"security-test-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# One address per status, all of one length, so that nothing but the status differs.
ADDRESSES = {
    "unknown": "unknown01@example.org",
    "pending": "pending01@example.org",
    "active": "active001@example.org",
    "unsubscribed": "unsubscr1@example.org",
    "suppressed": "suppress1@example.org",
    "erased": "erased001@example.org",
}


def give_statuses(site: Site) -> None:
    """Put each address but the unknown one in its status."""
    add_subscriber(site.engine, ADDRESSES["pending"], languages=("fr",), lists=("press",),
                   source=ConsentSource.WEB)
    site.add_subscriber(ADDRESSES["active"])
    site.add_subscriber(ADDRESSES["unsubscribed"])
    remove_subscriber(site.engine, ADDRESSES["unsubscribed"])
    bounced = site.add_subscriber(ADDRESSES["suppressed"])
    record_hard_bounce(site.engine, bounced, suppress_after=1)
    site.add_subscriber(ADDRESSES["erased"])
    erase_person(site.engine, ADDRESSES["erased"], SECRET)


def comparable(answer: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((name, value) for name, value in answer.headers.items() if name != "date")
    return answer.status_code, headers, answer.content


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
async def test_every_status_gets_the_same_answer_and_its_own_outcome(
    site: Site, client: httpx.AsyncClient, accept: str
) -> None:
    give_statuses(site)
    answers = {}
    for status, address in ADDRESSES.items():
        answer = await client.post(
            "/subscribe", content=f"email={address}&lists=press&languages=nl",
            headers=FORM | {"Accept": accept},
        )
        answers[status] = comparable(answer)
    assert answers["unknown"][0] == 200
    assert all(answer == answers["unknown"] for answer in answers.values()), {
        status: answer[0] for status, answer in answers.items()}

    mailed = sorted(message["To"] for message in maildir_messages(site))
    assert mailed == sorted(ADDRESSES[s] for s in ("unknown", "pending", "active", "unsubscribed"))
    after = {status: find_subscriber(site.engine, address).status
             for status, address in ADDRESSES.items() if status != "erased"}
    assert after == {"unknown": Status.PENDING, "pending": Status.PENDING,
                     "active": Status.ACTIVE, "unsubscribed": Status.PENDING,
                     "suppressed": Status.SUPPRESSED}
    with pytest.raises(UnknownSubscriber):
        find_subscriber(site.engine, ADDRESSES["erased"])


async def test_a_confirmation_the_mail_server_refuses_changes_no_answer(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    with running_smtp_server() as server:
        server.handler.refuse("refused1@example.org")
        app = create_app(smtp_settings(site.settings, server), site.engine)
        transport = httpx.ASGITransport(app=app, client=("192.0.2.40", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            refused = await web.post("/subscribe", content="email=refused1@example.org",
                                     headers=FORM)
            fine = await web.post("/subscribe", content="email=accepted@example.org",
                                  headers=FORM)
        assert server.handler.recipients() == ["accepted@example.org"]
    assert comparable(refused) == comparable(fine)
    assert "confirmation could not be sent: 550" in caplog.text
    assert "refused1" not in caplog.text  # the log names no address
