"""Digests: each daily or weekly subscriber gets, once, what became public since their last one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from subscribers import Frequency, set_preferences
from syndication.config import Settings
from syndication.delivery.outbox_schema import digest_key
from syndication.delivery.planner import plan_digest, plan_release_alert
from syndication.releases import Release
from tests.delivery.people import add, hours, rows, variant

START = datetime(2030, 1, 7, 7, 0, tzinfo=UTC)
CHINA = "2016-08-31-belincosoc-china"  # fr + nl, list press
SENEGAL = "2026-02-10-belincosoc-senegal"  # fr only, list press


def digests(engine: Engine) -> dict[tuple[str, int | None], tuple[str, set[str]]]:
    """Digest deliveries: (mailing key, subscriber) → (languages, release ids)."""
    return {
        (key, subscriber): (languages, set(ids.split(",")))
        for key, subscriber, languages, ids, _status in rows(engine)
        if key.startswith("digest:")
    }


def news(releases: dict[str, Release]) -> dict[str, Release]:
    """Three releases of the same week: two in French and Dutch, one in French only."""
    return {
        "monday": variant(releases[CHINA], "monday", START + hours(2)),
        "tuesday": variant(releases[SENEGAL], "tuesday", START + hours(26)),
        "wednesday": variant(releases[CHINA], "wednesday", START + hours(50)),
    }


def test_a_digest_carries_every_release_since_the_previous_one_once(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    week = news(releases)
    reader = add(store, "daily@example.org", languages=["nl", "fr"], frequency=Frequency.DAILY)
    add(store, "weekly@example.org", frequency=Frequency.WEEKLY)
    add(store, "immediate@example.org")
    day_two, day_three = START + hours(48), START + hours(72)
    everything = list(week.values())

    first = plan_digest(
        store, settings, frequency=Frequency.DAILY, period_end=day_two, releases=everything
    )
    again = plan_digest(
        store, settings, frequency=Frequency.DAILY, period_end=day_two, releases=everything
    )
    second = plan_digest(
        store, settings, frequency=Frequency.DAILY, period_end=day_three, releases=everything
    )
    nothing_new = plan_digest(
        store,
        settings,
        frequency=Frequency.DAILY,
        period_end=START + hours(96),
        releases=everything,
    )

    assert (first, again, second, nothing_new) == (1, 0, 1, 0)
    assert digests(store) == {
        (digest_key(Frequency.DAILY, day_two), reader): ("nl,fr", {"monday", "tuesday"}),
        (digest_key(Frequency.DAILY, day_three), reader): ("nl,fr", {"wednesday"}),
    }


def test_a_digest_starts_at_the_subscription_and_skips_what_came_as_an_alert(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    week = news(releases)
    late = add(
        store,
        "late@example.org",
        languages=["fr"],
        frequency=Frequency.DAILY,
        since=START + hours(10),
    )
    switcher = add(store, "switcher@example.org", languages=["nl", "fr"], lists=["press"])
    plan_release_alert(store, settings, week["monday"], at=week["monday"].published)
    set_preferences(
        store,
        switcher,
        languages=["nl", "fr"],
        lists=["press"],
        themes=[],
        frequency=Frequency.DAILY,
    )
    period_end = START + hours(48)

    plan_digest(
        store,
        settings,
        frequency=Frequency.DAILY,
        period_end=period_end,
        releases=list(week.values()),
    )

    key = digest_key(Frequency.DAILY, period_end)
    # Only French was on offer to both (Tuesday's release is French only).
    assert digests(store) == {
        (key, late): ("fr", {"tuesday"}),
        (key, switcher): ("fr", {"tuesday"}),
    }


def test_nobody_gets_an_empty_digest(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    add(store, "dutch@example.org", languages=["nl"], frequency=Frequency.WEEKLY)
    french_only = variant(releases[SENEGAL], "french-only", START + hours(2))

    planned = plan_digest(
        store,
        settings,
        frequency=Frequency.WEEKLY,
        period_end=START + hours(24 * 7),
        releases=[french_only],
    )

    assert planned == 0
    assert rows(store) == []
