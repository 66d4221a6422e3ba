"""Mailing lists."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from subscribers.errors import DuplicateList, InvalidValue, UnknownList
from subscribers.lists import count_members, create_list, delete_list, list_lists, list_names
from subscribers.membership import add_subscriber, remove_subscriber
from subscribers.privacy import show_person


def test_create_and_list(engine: Engine) -> None:
    create_list(engine, "press", label="Press")
    create_list(engine, "accredited")
    assert [(item.name, item.label) for item in list_lists(engine)] == [
        ("accredited", ""),
        ("press", "Press"),
    ]


def test_list_names_in_alphabetical_order(engine: Engine) -> None:
    for name in ("press", "accredited", "health"):
        create_list(engine, name)
    assert list_names(engine) == ["accredited", "health", "press"]
    with engine.connect() as conn:
        assert list_names(conn) == ["accredited", "health", "press"]


def test_names_are_unique(engine: Engine) -> None:
    create_list(engine, "press")
    with pytest.raises(DuplicateList, match="'press' exists already"):
        create_list(engine, "press")


def test_bad_name_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidValue):
        create_list(engine, "Press Room")
    assert list_lists(engine) == []


def test_delete_takes_subscriptions_not_subscribers(engine: Engine) -> None:
    create_list(engine, "press")
    create_list(engine, "accredited")
    add_subscriber(engine, "a@example.be", languages=["fr"])
    assert delete_list(engine, "press") == 1
    person = show_person(engine, "a@example.be")
    assert [item.list_name for item in person.subscriptions] == ["accredited"]
    with pytest.raises(UnknownList):
        delete_list(engine, "press")


def test_member_counts_only_active(engine: Engine) -> None:
    create_list(engine, "press")
    create_list(engine, "empty")
    add_subscriber(engine, "a@example.be", languages=["fr"], lists=["press"])
    add_subscriber(engine, "b@example.be", languages=["fr"], lists=["press"])
    remove_subscriber(engine, "b@example.be")
    assert count_members(engine) == {"press": 1, "empty": 0}
