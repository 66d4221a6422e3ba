"""Confirmation, preferences, bounces, suppression."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from subscribers.errors import InvalidValue, UnknownList, WrongStatus
from subscribers.lifecycle import confirm_subscriber, record_hard_bounce, set_preferences
from subscribers.lists import create_list
from subscribers.membership import add_subscriber, remove_subscriber
from subscribers.model import ConsentSource, Frequency, Status
from subscribers.privacy import erase_person, show_person
from subscribers.suppressions import is_suppressed

from .conftest import SECRET

SIGNED_UP = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
LATER = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def lists(engine: Engine) -> Engine:
    for name in ("press", "accredited", "health-desk"):
        create_list(engine, name)
    return engine


def test_confirm_activates_and_dates_the_consent(lists: Engine) -> None:
    pending = add_subscriber(
        lists, "w@example.be", languages=["fr"], source=ConsentSource.WEB, now=SIGNED_UP
    )
    confirmed = confirm_subscriber(lists, pending.id, now=LATER)
    assert confirmed.status is Status.ACTIVE
    assert confirmed.confirmed_at == LATER
    [consent] = show_person(lists, "w@example.be").consents
    assert (consent.source, consent.given_at, consent.confirmed_at) == (
        ConsentSource.WEB,
        SIGNED_UP,
        LATER,
    )
    again = confirm_subscriber(lists, pending.id, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert again.confirmed_at == LATER


def test_confirming_an_unsubscribed_person_is_refused(lists: Engine) -> None:
    pending = add_subscriber(lists, "w@example.be", languages=["fr"], source=ConsentSource.WEB)
    remove_subscriber(lists, "w@example.be")
    with pytest.raises(WrongStatus, match="unsubscribed"):
        confirm_subscriber(lists, pending.id)


def test_preferences_replace_lists_and_keep_dates_of_kept_ones(lists: Engine) -> None:
    added = add_subscriber(
        lists, "a@example.be", languages=["fr"], lists=["press", "accredited"], now=SIGNED_UP
    )
    changed = set_preferences(
        lists,
        added.id,
        languages=["nl", "fr"],
        lists=["press", "health-desk"],
        themes=["health"],
        frequency=Frequency.DAILY,
        now=LATER,
    )
    assert changed.languages == ("nl", "fr")
    held = {s.list_name: s for s in show_person(lists, "a@example.be").subscriptions}
    assert set(held) == {"press", "health-desk"}
    assert held["press"].created_at == SIGNED_UP
    assert held["health-desk"].created_at == LATER
    assert {(s.themes, s.frequency) for s in held.values()} == {(("health",), Frequency.DAILY)}


def test_preferences_with_no_list_unsubscribe(lists: Engine) -> None:
    added = add_subscriber(lists, "a@example.be", languages=["fr"])
    after = set_preferences(
        lists, added.id, languages=["fr"], lists=[], themes=[], frequency=Frequency.IMMEDIATE
    )
    assert after.status is Status.UNSUBSCRIBED


def test_preferences_refuse_bad_values(lists: Engine) -> None:
    added = add_subscriber(lists, "a@example.be", languages=["fr"], lists=["press"])
    with pytest.raises(UnknownList):
        set_preferences(
            lists, added.id, languages=["fr"], lists=["x"], themes=[], frequency=Frequency.DAILY
        )
    with pytest.raises(InvalidValue):
        set_preferences(
            lists, added.id, languages=[], lists=["press"], themes=[], frequency=Frequency.DAILY
        )
    assert [s.list_name for s in show_person(lists, "a@example.be").subscriptions] == ["press"]


def test_hard_bounces_suppress_at_the_threshold(lists: Engine) -> None:
    added = add_subscriber(lists, "b@example.be", languages=["fr"])
    first = record_hard_bounce(lists, added.id, suppress_after=2)
    assert (first.bounces, first.status) == (1, Status.ACTIVE)
    assert not is_suppressed(lists, "b@example.be", SECRET)
    second = record_hard_bounce(lists, added.id, suppress_after=2)
    assert (second.bounces, second.status) == (2, Status.SUPPRESSED)
    assert is_suppressed(lists, "b@example.be", SECRET)


def test_erased_addresses_are_suppressed(lists: Engine) -> None:
    add_subscriber(lists, "e@example.be", languages=["fr"])
    assert not is_suppressed(lists, "e@example.be", SECRET)
    erase_person(lists, "e@example.be", SECRET)
    assert is_suppressed(lists, "E@example.be", SECRET)
    assert not is_suppressed(lists, "e@example.be", b"another secret")
