"""`publish --at` ahead of the clock: refused without --yes; with it, sent at the next `send`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from harness.sites import Site
from subscribers import Frequency
from syndication.delivery.outbox_schema import deliveries
from syndication.scheduler.tick_state import ticks
from tests.cli.conftest import Run, hours_from_now, rfc3339


def test_a_time_ahead_of_the_clock_is_refused_without_yes(site: Site, run: Run) -> None:
    site.add_subscriber("reader@example.org")
    site.add_release("tomorrow", rfc3339(hours_from_now(20)))

    result = run("publish", "--at", rfc3339(hours_from_now(21)))

    assert result.exit_code == 2
    assert "ahead of the clock" in result.output
    assert "would publish early, embargoes included" in result.output
    assert "Add --yes to do it anyway." in result.output
    assert site.mailings() == {}
    with site.engine.connect() as conn:
        assert conn.execute(select(ticks)).all() == []


def test_with_yes_the_early_tick_goes_out_at_the_next_send(site: Site, run: Run) -> None:
    site.add_subscriber("reader@example.org")
    site.add_release("tomorrow", rfc3339(hours_from_now(20)))

    early = run("publish", "--at", rfc3339(hours_from_now(21)), "--yes")
    sent = run("send")

    assert early.exit_code == 0, early.output
    assert "ahead of the clock (--yes): what it plans is due at once." in early.output
    assert "Alert of tomorrow: 1 delivery planned." in early.output
    assert sent.exit_code == 0, sent.output
    assert "Sent 1, failed 0" in sent.output
    assert len(list((site.settings.mail.maildir / "new").iterdir())) == 1


def test_ticks_at_the_real_time_after_an_early_one_act_at_their_own_time(
    site: Site, run: Run
) -> None:
    site.add_release("tomorrow", rfc3339(hours_from_now(20)))
    assert run("publish", "--at", rfc3339(hours_from_now(21)), "--yes").exit_code == 0

    later = [run("publish") for _ in range(2)]

    for result in later:
        assert result.exit_code == 0, result.output
        assert "made already" not in result.output
        assert "ahead of the clock" not in result.output
        assert result.output.endswith("0 deliveries planned in all.\n")
    with site.engine.connect() as conn:
        (kept,) = conn.scalars(select(ticks.c.latest_at)).all()
    assert kept <= datetime.now(UTC)  # the clock is never left ahead of the wall clock


def test_an_earlier_time_than_a_tick_made_says_it_acts_as_of_that_tick(run: Run) -> None:
    assert run("publish", "--at", "2026-03-29T07:00:00Z").exit_code == 0

    result = run("publish", "--at", "2026-03-29T06:00:00Z")

    assert result.exit_code == 0
    assert "A tick at 2026-03-29T09:00:00+02:00 was made already: acting as of then." in (
        result.output
    )


def test_nothing_planned_is_left_due_in_the_future_by_an_early_tick(site: Site, run: Run) -> None:
    site.add_subscriber("now@example.org")
    site.add_subscriber("daily@example.org", languages=("nl",), frequency=Frequency.DAILY)
    site.add_release("soon", rfc3339(hours_from_now(30)))

    early = run("publish", "--at", rfc3339(hours_from_now(50)), "--yes")

    assert early.exit_code == 0, early.output
    assert "Daily digest up to" in early.output
    with site.engine.connect() as conn:
        due = conn.scalars(select(deliveries.c.next_attempt_at)).all()
    assert len(due) == 2
    assert all(moment <= datetime.now(UTC) for moment in due)
    report = run("deliveries")
    assert "Not due yet" not in report.output
    assert run("send").output.startswith("Sent 2, failed 0")
