"""GDPR: showing everything held, erasing without a trace, refusing erased addresses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from storage import checkpoint_wal
from subscribers.errors import ErasedAddress, MissingSecret, UnknownSubscriber
from subscribers.lists import create_list
from subscribers.membership import add_subscriber
from subscribers.model import ConsentSource, Status
from subscribers.privacy import erase_person, show_person
from subscribers.schema import metadata, open_database, suppressions
from subscribers.suppressions import is_suppressed

from .conftest import SECRET

EMAIL = "zelda.quixote@erase-me.example"
NAME = "Zelda Quixotic-Unforgettable"
ORGANISATION = "Gazette of Erasures"


@pytest.fixture
def deliveries(engine: Engine) -> Iterator[Engine]:
    """A stand-in for the syndication package's deliveries table (FK ON DELETE SET NULL)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE deliveries (id INTEGER PRIMARY KEY, mailing TEXT NOT NULL,"
                " subscriber_id INTEGER REFERENCES subscribers(id) ON DELETE SET NULL)"
            )
        )
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE deliveries"))


def _populate(engine: Engine) -> int:
    create_list(engine, "press")
    for number in range(30):
        add_subscriber(
            engine, f"other{number}@example.be", languages=["fr"], name=f"Other {number}"
        )
    person = add_subscriber(
        engine, EMAIL, languages=["nl", "fr"], name=NAME, organisation=ORGANISATION
    )
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO deliveries (id, mailing, subscriber_id) VALUES (1, 'release-1', :s)"),
            {"s": person.id},
        )
    return person.id


def test_show_holds_subscriptions_and_consent(engine: Engine) -> None:
    create_list(engine, "press")
    add_subscriber(engine, EMAIL, languages=["nl"], name=NAME, source=ConsentSource.WEB)
    person = show_person(engine, EMAIL)
    assert person.subscriber.name == NAME
    assert person.subscriber.status is Status.PENDING
    assert [s.list_name for s in person.subscriptions] == ["press"]
    assert [c.source for c in person.consents] == [ConsentSource.WEB]
    with pytest.raises(UnknownSubscriber):
        show_person(engine, "nobody@example.be")


def test_erase_removes_the_person_from_every_table(deliveries: Engine) -> None:
    person_id = _populate(deliveries)
    done = erase_person(deliveries, "Zelda.Quixote@erase-me.example", SECRET)
    assert done.held
    assert done.newly_suppressed
    with pytest.raises(UnknownSubscriber):
        show_person(deliveries, EMAIL)
    with deliveries.connect() as conn:
        assert conn.execute(text("SELECT mailing, subscriber_id FROM deliveries")).all() == [
            ("release-1", None)
        ]
        dump = "\n".join(
            repr(row) for table in metadata.sorted_tables for row in conn.execute(select(table))
        )
        assert conn.execute(select(suppressions.c.reason)).scalars().all() == ["erased"]
    for secret in (EMAIL, NAME, ORGANISATION, "zelda"):
        assert secret.lower() not in dump.lower()
    assert "other29@example.be" in dump
    assert f"subscriber_id={person_id}" not in dump


def test_erased_address_is_refused_until_resubscribed(engine: Engine) -> None:
    create_list(engine, "press")
    add_subscriber(engine, EMAIL, languages=["fr"])
    erase_person(engine, EMAIL, SECRET)
    with pytest.raises(ErasedAddress, match=r"erased at the person's request.*--resubscribe"):
        add_subscriber(engine, EMAIL, languages=["fr"], secret=SECRET)
    with pytest.raises(MissingSecret):
        add_subscriber(engine, EMAIL, languages=["fr"])
    back = add_subscriber(engine, EMAIL, languages=["fr"], secret=SECRET, resubscribe=True)
    assert back.status is Status.ACTIVE
    assert not is_suppressed(engine, EMAIL, SECRET)


def test_erase_of_an_address_not_held_still_blocks_it(engine: Engine) -> None:
    done = erase_person(engine, "never@example.be", SECRET)
    assert not done.held
    assert done.newly_suppressed
    again = erase_person(engine, "never@example.be", SECRET)
    assert not again.newly_suppressed
    with pytest.raises(ErasedAddress):
        add_subscriber(engine, "never@example.be", languages=["fr"], secret=SECRET)


def _file_bytes(path: Path) -> bytes:
    return b"".join(
        candidate.read_bytes()
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )


@pytest.mark.parametrize("through", ["engine", "connection"])
def test_erase_leaves_no_trace_in_the_sqlite_files(tmp_path: Path, through: str) -> None:
    path = tmp_path / "site.db"
    opened = open_database(f"sqlite:///{path}")
    try:
        with opened.begin() as conn:
            conn.execute(
                text(
                    "CREATE TABLE deliveries (id INTEGER PRIMARY KEY, mailing TEXT NOT NULL,"
                    " subscriber_id INTEGER REFERENCES subscribers(id) ON DELETE SET NULL)"
                )
            )
        _populate(opened)
        checkpoint_wal(opened)
        before = _file_bytes(path)
        assert EMAIL.encode() in before
        assert NAME.encode() in before
        if through == "engine":
            assert erase_person(opened, EMAIL, SECRET).wal_scrubbed
        else:
            with opened.begin() as conn:
                assert not erase_person(conn, EMAIL, SECRET).wal_scrubbed
            assert checkpoint_wal(opened)
        after = _file_bytes(path)
        for secret in (EMAIL, NAME, ORGANISATION):
            assert secret.encode() not in after
            assert secret.encode("utf-16-le") not in after
        assert b"other29@example.be" in after
        with pytest.raises(ErasedAddress):
            add_subscriber(opened, EMAIL, languages=["fr"], secret=SECRET)
    finally:
        opened.dispose()
    assert not any(secret.encode() in _file_bytes(path) for secret in (EMAIL, NAME))
