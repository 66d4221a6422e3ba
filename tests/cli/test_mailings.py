"""`mailings list|cancel|retry` through the real command line, database and Maildir."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from harness.sites import Site
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, mailings
from tests.cli.conftest import Run

ALERT = "alert:due"


@pytest.fixture
def planned(site: Site, run: Run) -> Site:
    """Two subscribers with the alert of `due` planned for them."""
    site.add_subscriber("one@example.org")
    site.add_subscriber("two@example.org")
    site.add_release("due", "2026-03-29T09:00:00+02:00")
    assert run("publish", "--at", "2026-03-29T07:30:00Z").exit_code == 0
    return site


def statuses(site: Site) -> list[str]:
    with site.engine.connect() as conn:
        return sorted(conn.scalars(select(deliveries.c.status)))


def sent_messages(site: Site) -> int:
    folder = site.settings.mail.maildir / "new"
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def test_list_shows_each_mailing_and_where_it_stands(planned: Site, run: Run) -> None:
    empty_digests_too = planned.mailings()
    table = run("mailings", "list")
    rows = json.loads(run("mailings", "list", "--format", "json").output)

    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["MAILING", "KIND", "PLANNED", "AT", "DONE",
                                                    "STATE"]
    assert f"{ALERT}  alert" in table.output
    assert table.output.rstrip().endswith("0/2  in progress")
    assert len(empty_digests_too) > 1  # digests with nothing in them are not listed
    assert [(row["key"], row["state"], row["done"], row["total"]) for row in rows] == [
        (ALERT, "in progress", 0, 2)
    ]


def test_list_of_no_mailing(run: Run) -> None:
    assert (run("mailings", "list").exit_code, run("mailings", "list").output) == (
        0, "No mailings.\n"
    )


def test_cancel_without_a_terminal_and_without_yes_refuses_and_says_how(
    planned: Site, run: Run
) -> None:
    result = run("mailings", "cancel", ALERT)

    assert result.exit_code == 2
    assert f"run `syndication mailings cancel {ALERT} --yes` to confirm" in result.output
    assert statuses(planned) == ["planned", "planned"]


def test_cancel_asks_on_a_terminal(
    planned: Site, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("subscribers.cli.confirmation.on_terminal", lambda: True)

    declined = run("mailings", "cancel", ALERT, input="n\n")
    assert declined.exit_code == 1
    assert f"Cancel mailing {ALERT}? Its planned deliveries will not be sent." in declined.output
    assert "Nothing cancelled." in declined.output
    assert statuses(planned) == ["planned", "planned"]

    accepted = run("mailings", "cancel", ALERT, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "2 planned deliveries will not be sent" in accepted.output


def test_a_cancelled_mailing_is_not_sent_and_what_was_sent_stays(planned: Site, run: Run) -> None:
    assert run("send", "--limit", "1").exit_code == 0

    cancelled = run("mailings", "cancel", ALERT, "--yes")
    sent = run("send")
    table = run("deliveries")
    again = run("mailings", "cancel", ALERT, "--yes")

    assert cancelled.exit_code == 0, cancelled.output
    assert "1 planned delivery will not be sent; 1 sent before stays recorded." in (
        cancelled.output
    )
    assert sent.exit_code == 0
    assert sent.output.startswith("Sent 0, failed 0")
    assert sent_messages(planned) == 1
    assert statuses(planned) == ["sent", "skipped"]
    assert "cancelled at " in table.output
    assert "its planned deliveries were skipped" in table.output
    assert again.exit_code == 0
    assert "0 planned deliveries will not be sent" in again.output
    assert "cancelled" in run("mailings", "list").output


def test_cancel_says_what_a_sender_still_holds(planned: Site, run: Run) -> None:
    with planned.engine.begin() as conn:
        first = conn.scalar(select(deliveries.c.id).order_by(deliveries.c.id))
        conn.execute(
            update(deliveries).where(deliveries.c.id == first)
            .values(status=DeliveryStatus.SENDING.value, claimed_by="elsewhere")
        )

    result = run("mailings", "cancel", ALERT, "--yes")

    assert result.exit_code == 0
    assert "1 delivery was in a sender's hands: what it sends is recorded" in result.output
    assert statuses(planned) == ["sending", "skipped"]


@pytest.mark.parametrize("command", ["cancel", "retry"])
def test_an_unknown_mailing_exits_1_naming_it(run: Run, command: str) -> None:
    confirmed = ("--yes",) if command == "cancel" else ()
    result = run("mailings", command, "alert:nope", *confirmed)

    assert result.exit_code == 1
    assert "no mailing 'alert:nope' (`mailings list` shows every key)" in result.output


def test_retry_plans_the_failed_deliveries_again(planned: Site, run: Run) -> None:
    with planned.engine.begin() as conn:
        first, second = conn.scalars(select(deliveries.c.id).order_by(deliveries.c.id))
        conn.execute(update(deliveries).where(deliveries.c.id == first).values(
            status=DeliveryStatus.FAILED.value, attempts=6, last_reply="421 try later (gave up)"
        ))
        conn.execute(update(deliveries).where(deliveries.c.id == second).values(
            status=DeliveryStatus.BOUNCED.value, attempts=1, last_reply="550 no such user"
        ))

    retried = run("mailings", "retry", ALERT)
    sent = run("send")

    assert retried.exit_code == 0, retried.output
    assert f"{ALERT}: 1 failed delivery planned again, due now." in retried.output
    assert "1 bounced delivery stays bounced: the address was refused." in retried.output
    assert sent.output.startswith("Sent 1, failed 0")
    assert sent_messages(planned) == 1
    assert statuses(planned) == ["bounced", "sent"]
    nothing = run("mailings", "retry", ALERT)
    assert (nothing.exit_code, nothing.output.splitlines()[0]) == (
        0, f"{ALERT}: 0 failed deliveries planned again, due now."
    )


def test_retry_of_a_paused_mailing_says_it_waits_for_resume(planned: Site, run: Run) -> None:
    with planned.engine.begin() as conn:
        conn.execute(update(mailings).values(paused_at=conn.scalar(select(mailings.c.planned_at)),
                                             pause_reason="10 errors in a row"))

    result = run("mailings", "retry", ALERT)

    assert result.exit_code == 0
    assert "The mailing is paused (10 errors in a row): `send --resume` resumes it." in (
        result.output
    )


def test_retry_of_a_cancelled_mailing_exits_1(planned: Site, run: Run) -> None:
    assert run("mailings", "cancel", ALERT, "--yes").exit_code == 0

    result = run("mailings", "retry", ALERT)

    assert result.exit_code == 1
    assert f"mailing '{ALERT}' was cancelled at " in result.output
    assert "nothing of it is retried" in result.output
