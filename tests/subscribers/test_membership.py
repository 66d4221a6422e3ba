"""Adding, finding, listing and unsubscribing subscribers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from subscribers.directory import find_subscriber, get_subscriber, list_subscribers
from subscribers.errors import (
    DuplicateSubscriber,
    InvalidEmail,
    InvalidValue,
    NotSubscribed,
    UnknownList,
    UnknownSubscriber,
)
from subscribers.lists import create_list
from subscribers.membership import add_subscriber, remove_subscriber, unsubscribe
from subscribers.model import ConsentSource, Frequency, Status
from subscribers.privacy import show_person
from subscribers.schema import subscribers

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def two_lists(engine: Engine) -> Engine:
    create_list(engine, "press")
    create_list(engine, "accredited")
    return engine


def test_admin_add_is_active_on_every_list_by_default(two_lists: Engine) -> None:
    added = add_subscriber(
        two_lists, "Jane@Example.BE", languages=["nl", "fr"], name=" Jane ", now=NOW
    )
    assert added.email == "Jane@example.be"
    assert added.name == "Jane"
    assert added.languages == ("nl", "fr")
    assert added.status is Status.ACTIVE
    assert added.created_at == NOW
    assert added.confirmed_at == NOW
    person = show_person(two_lists, "jane@example.be")
    assert [s.list_name for s in person.subscriptions] == ["accredited", "press"]
    assert {s.frequency for s in person.subscriptions} == {Frequency.IMMEDIATE}
    assert [(c.source, c.given_at, c.confirmed_at) for c in person.consents] == [
        (ConsentSource.ADMIN, NOW, None)
    ]


def test_web_sign_up_is_pending(two_lists: Engine) -> None:
    added = add_subscriber(
        two_lists,
        "web@example.be",
        languages=["fr"],
        lists=["press"],
        themes=["health"],
        frequency=Frequency.WEEKLY,
        source=ConsentSource.WEB,
    )
    assert added.status is Status.PENDING
    assert added.confirmed_at is None
    [subscription] = show_person(two_lists, "web@example.be").subscriptions
    assert subscription.themes == ("health",)
    assert subscription.frequency is Frequency.WEEKLY


def test_same_address_twice_is_refused(two_lists: Engine) -> None:
    add_subscriber(two_lists, "a@example.be", languages=["fr"])
    with pytest.raises(
        DuplicateSubscriber, match=r"a@example.be is a subscriber already \(active\)"
    ):
        add_subscriber(two_lists, "a@EXAMPLE.be", languages=["nl"])
    with two_lists.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(subscribers)) == 1


def test_addresses_differing_in_letter_case_are_one_person(two_lists: Engine) -> None:
    add_subscriber(two_lists, "Jane.Doe@example.be", languages=["fr"])
    with pytest.raises(DuplicateSubscriber):
        add_subscriber(two_lists, "jane.doe@example.be", languages=["fr"])
    assert find_subscriber(two_lists, "JANE.DOE@example.be").email == "Jane.Doe@example.be"


def test_unknown_list_adds_nothing(two_lists: Engine) -> None:
    with pytest.raises(UnknownList, match="'nope'"):
        add_subscriber(two_lists, "a@example.be", languages=["fr"], lists=["press", "nope"])
    with pytest.raises(UnknownSubscriber):
        find_subscriber(two_lists, "a@example.be")


def test_bad_input_is_refused(two_lists: Engine) -> None:
    with pytest.raises(InvalidEmail):
        add_subscriber(two_lists, "not-an-address", languages=["fr"])
    with pytest.raises(InvalidValue, match="no language"):
        add_subscriber(two_lists, "a@example.be", languages=[])


def test_remove_unsubscribes_and_keeps_the_record(two_lists: Engine) -> None:
    add_subscriber(two_lists, "a@example.be", languages=["fr"], now=NOW)
    later = datetime(2024, 6, 1, tzinfo=UTC)
    after = remove_subscriber(two_lists, "a@example.be", now=later)
    assert after.status is Status.UNSUBSCRIBED
    person = show_person(two_lists, "a@example.be")
    assert len(person.subscriptions) == 2
    assert person.consents[0].withdrawn_at == later
    again = remove_subscriber(two_lists, "a@example.be")
    assert again.status is Status.UNSUBSCRIBED


def test_remove_from_one_list_then_the_last(two_lists: Engine) -> None:
    added = add_subscriber(two_lists, "a@example.be", languages=["fr"])
    after = unsubscribe(two_lists, added.id, list_name="press")
    assert after.status is Status.ACTIVE
    assert [s.list_name for s in show_person(two_lists, "a@example.be").subscriptions] == [
        "accredited"
    ]
    with pytest.raises(NotSubscribed, match="not on list 'press'"):
        unsubscribe(two_lists, added.id, list_name="press")
    last = remove_subscriber(two_lists, "a@example.be", list_name="accredited")
    assert last.status is Status.UNSUBSCRIBED


def test_remove_unknown(two_lists: Engine) -> None:
    with pytest.raises(UnknownSubscriber, match=r"no subscriber with address x@example\.be"):
        remove_subscriber(two_lists, "x@example.be")
    add_subscriber(two_lists, "a@example.be", languages=["fr"])
    with pytest.raises(UnknownList):
        remove_subscriber(two_lists, "a@example.be", list_name="nope")
    with pytest.raises(UnknownSubscriber):
        get_subscriber(two_lists, 999)


def test_unsubscribed_comes_back_only_with_resubscribe(two_lists: Engine) -> None:
    add_subscriber(two_lists, "a@example.be", languages=["fr"])
    remove_subscriber(two_lists, "a@example.be")
    with pytest.raises(DuplicateSubscriber, match=r"unsubscribed.*resubscribe"):
        add_subscriber(two_lists, "a@example.be", languages=["fr"])
    back = add_subscriber(
        two_lists, "a@example.be", languages=["nl"], lists=["press"], resubscribe=True
    )
    assert back.status is Status.ACTIVE
    assert back.languages == ("nl",)
    person = show_person(two_lists, "a@example.be")
    assert [s.list_name for s in person.subscriptions] == ["press"]
    assert len(person.consents) == 2


def test_lookup_falls_back_to_letter_case(two_lists: Engine) -> None:
    add_subscriber(two_lists, "Jane@example.be", languages=["fr"])
    assert find_subscriber(two_lists, "jane@example.be").email == "Jane@example.be"


def test_listing(two_lists: Engine) -> None:
    add_subscriber(two_lists, "b@example.be", languages=["fr"], lists=["press"])
    add_subscriber(two_lists, "a@example.be", languages=["fr"], lists=["accredited", "press"])
    add_subscriber(two_lists, "c@example.be", languages=["fr"], source=ConsentSource.WEB)
    add_subscriber(two_lists, "d@example.be", languages=["fr"])
    remove_subscriber(two_lists, "d@example.be")
    listed = [(s.email, s.status.value, names) for s, names in list_subscribers(two_lists)]
    assert listed == [
        ("a@example.be", "active", ("accredited", "press")),
        ("b@example.be", "active", ("press",)),
        ("c@example.be", "pending", ("accredited", "press")),
    ]
    everyone = [s.email for s, _ in list_subscribers(two_lists, include_all=True)]
    assert everyone == ["a@example.be", "b@example.be", "c@example.be", "d@example.be"]
    on_accredited = [s.email for s, _ in list_subscribers(two_lists, list_name="accredited")]
    assert on_accredited == ["a@example.be", "c@example.be"]
    with pytest.raises(UnknownList):
        list_subscribers(two_lists, list_name="nope")


def test_a_caller_transaction_rolls_back_everything(two_lists: Engine) -> None:
    with two_lists.connect() as conn:
        with conn.begin() as transaction:
            add_subscriber(conn, "a@example.be", languages=["fr"])
            assert find_subscriber(conn, "a@example.be").status is Status.ACTIVE
            transaction.rollback()
    with pytest.raises(UnknownSubscriber):
        find_subscriber(two_lists, "a@example.be")
