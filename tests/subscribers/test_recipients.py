"""Recipient selection: who gets a mailing, once each, with the languages they read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select

from subscribers.lifecycle import record_hard_bounce
from subscribers.lists import create_list
from subscribers.membership import add_subscriber, remove_subscriber
from subscribers.model import ConsentSource, Frequency, Recipient
from subscribers.recipients import recipients_query, select_recipients

ALL = (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY)


@pytest.fixture
def site(engine: Engine) -> Engine:
    for name in ("press", "accredited", "health-desk"):
        create_list(engine, name)
    return engine


def _emails(engine: Engine, **mailing: object) -> list[str]:
    options: dict[str, object] = {
        "lists": ["press"],
        "themes": ["international"],
        "languages": ["fr", "nl"],
        "frequencies": [Frequency.IMMEDIATE],
    }
    options.update(mailing)
    with engine.connect() as conn:
        return [recipient.email for recipient in select_recipients(conn, **options)]  # type: ignore[arg-type]


def _add(engine: Engine, email: str, **options: object) -> int:
    defaults: dict[str, object] = {"languages": ["fr"], "lists": ["press"]}
    defaults.update(options)
    return add_subscriber(engine, email, **defaults).id  # type: ignore[arg-type]


def test_one_row_per_subscriber_on_several_lists(site: Engine) -> None:
    _add(site, "both@example.be", lists=["press", "accredited"])
    assert _emails(site, lists=["press", "accredited"]) == ["both@example.be"]


def test_only_the_mailing_lists(site: Engine) -> None:
    _add(site, "press@example.be", lists=["press"])
    _add(site, "health@example.be", lists=["health-desk"])
    assert _emails(site, lists=["press"]) == ["press@example.be"]
    assert _emails(site, lists=["health-desk", "accredited"]) == ["health@example.be"]
    assert _emails(site, lists=[]) == []
    assert _emails(site, lists=["no-such-list"]) == []


def test_only_active_subscribers(site: Engine) -> None:
    _add(site, "active@example.be")
    _add(site, "pending@example.be", source=ConsentSource.WEB)
    _add(site, "gone@example.be")
    remove_subscriber(site, "gone@example.be")
    bounced = _add(site, "bounced@example.be")
    record_hard_bounce(site, bounced, suppress_after=1)
    assert _emails(site) == ["active@example.be"]


def test_theme_filter(site: Engine) -> None:
    _add(site, "all@example.be")
    _add(site, "intl@example.be", themes=["international", "health"])
    _add(site, "health@example.be", themes=["health"])
    assert _emails(site, themes=["international"]) == ["all@example.be", "intl@example.be"]
    assert _emails(site, themes=["social-protection", "health"]) == [
        "all@example.be",
        "intl@example.be",
        "health@example.be",
    ]
    assert _emails(site, themes=[]) == ["all@example.be"]


def test_theme_and_language_match_whole_values(site: Engine) -> None:
    _add(site, "fr-be@example.be", themes=["health-care"], languages=["fr-be"])
    assert _emails(site, themes=["health"], languages=["fr-be"]) == []
    assert _emails(site, themes=["health-care"], languages=["fr"]) == []
    # LIKE wildcards in values are escaped: "_" does not stand for "-".
    assert _emails(site, themes=["health_care"], languages=["fr-be"]) == []
    assert _emails(site, themes=["health-care"], languages=["fr_be"]) == []
    assert _emails(site, themes=["health-care"], languages=["fr-be"]) == ["fr-be@example.be"]


def test_languages_read(site: Engine) -> None:
    _add(site, "nl@example.be", languages=["nl"])
    _add(site, "both@example.be", languages=["nl", "fr"])
    _add(site, "fr@example.be", languages=["fr"])
    with site.connect() as conn:
        found = list(
            select_recipients(conn, lists=["press"], themes=[], languages=["fr"], frequencies=ALL)
        )
        assert [(r.email, r.languages) for r in found] == [
            ("both@example.be", ("fr",)),
            ("fr@example.be", ("fr",)),
        ]
        both = list(
            select_recipients(
                conn, lists=["press"], themes=[], languages=["fr", "nl"], frequencies=ALL
            )
        )
    assert both[1] == Recipient(both[1].subscriber_id, "both@example.be", ("nl", "fr"))
    assert [r.email for r in both] == ["nl@example.be", "both@example.be", "fr@example.be"]


def test_frequencies(site: Engine) -> None:
    _add(site, "now@example.be")
    _add(site, "daily@example.be", frequency=Frequency.DAILY)
    _add(site, "weekly@example.be", frequency=Frequency.WEEKLY)
    assert _emails(site, frequencies=[Frequency.DAILY]) == ["daily@example.be"]
    assert _emails(site, frequencies=[Frequency.DAILY, Frequency.WEEKLY]) == [
        "daily@example.be",
        "weekly@example.be",
    ]


def test_subscribed_before_digest_time(site: Engine) -> None:
    _add(site, "early@example.be", now=datetime(2024, 5, 1, 7, 0, tzinfo=UTC))
    _add(site, "late@example.be", now=datetime(2024, 5, 1, 9, 0, tzinfo=UTC))
    digest = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert _emails(site, since_subscribed_before=digest) == ["early@example.be"]


def test_query_feeds_insert_from_select(site: Engine) -> None:
    _add(site, "a@example.be", lists=["press", "accredited"])
    _add(site, "b@example.be")
    planned = Table("planned_test", MetaData(), Column("subscriber_id", Integer, primary_key=True))
    planned.create(site)
    try:
        query = recipients_query(
            lists=["press", "accredited"], themes=[], languages=["fr"], frequencies=ALL
        ).subquery()
        with site.begin() as conn:
            conn.execute(
                insert(planned).from_select(["subscriber_id"], select(query.c.subscriber_id))
            )
            assert len(conn.execute(select(planned)).all()) == 2
    finally:
        planned.drop(site)


def test_streaming_is_lazy(site: Engine) -> None:
    for number in range(5):
        _add(site, f"s{number}@example.be")
    with site.connect() as conn:
        stream: Iterator[Recipient] = select_recipients(
            conn, lists=["press"], themes=[], languages=["fr"], frequencies=ALL
        )
        assert next(stream).email == "s0@example.be"
        stream.close()  # type: ignore[attr-defined]
        assert conn.scalar(select(1)) == 1
