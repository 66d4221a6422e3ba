"""An import commits batch by batch: others write between two, a stop says where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from storage import bounded_waits
from subscribers.csvio import import_csv, importer
from subscribers.directory import find_subscriber
from subscribers.errors import ImportStopped
from subscribers.lists import create_list
from subscribers.membership import add_subscriber
from subscribers.schema import subscribers
from tests.subscribers.conftest import LANGUAGES, SECRET, THEMES

ROWS = 2_500


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    rows = "\n".join(f"p{number}@example.be,fr" for number in range(ROWS))
    path.write_text(f"email,languages\n{rows}\n", encoding="utf-8")
    return path


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(subscribers)) or 0)


def test_another_writer_gets_in_between_two_batches(
    engine: Engine, people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_list(engine, "press")
    impatient = bounded_waits(engine, 0.05)  # would fail if the import held the lock
    real_batches = importer._batches
    written: list[int] = []

    def a_writer_between(candidates, errors):  # type: ignore[no-untyped-def]
        for number, batch in enumerate(real_batches(candidates, errors)):
            if number:  # the batch before is committed, the next not begun
                add_subscriber(impatient, f"between{number}@example.org", languages=("nl",))
                written.append(count(engine))
            yield batch

    monkeypatch.setattr(importer, "_batches", a_writer_between)
    report = import_csv(engine, people, languages=LANGUAGES, themes=THEMES, secret=SECRET)
    assert report.imported == ROWS
    assert report.errors == ()
    assert written == [importer.BATCH + 1, 2 * importer.BATCH + 2]
    assert count(engine) == ROWS + len(written)
    find_subscriber(engine, "between1@example.org")


def test_a_stopped_import_keeps_its_batches_and_says_where(
    engine: Engine, people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_list(engine, "press")
    real_insert = importer._insert
    calls: list[int] = []

    def insert_until_the_third(conn, good, known_lists, now, file_name):  # type: ignore[no-untyped-def]
        calls.append(len(good))
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        real_insert(conn, good, known_lists, now, file_name)

    monkeypatch.setattr(importer, "_insert", insert_until_the_third)
    with pytest.raises(ImportStopped) as stopped:
        import_csv(engine, people, languages=LANGUAGES, themes=THEMES, secret=SECRET)
    assert (stopped.value.imported, stopped.value.line) == (2 * importer.BATCH,
                                                            2 * importer.BATCH + 2)
    assert "line 2002" in str(stopped.value)
    assert "database is locked" in str(stopped.value)
    assert count(engine) == 2 * importer.BATCH
    monkeypatch.setattr(importer, "_insert", real_insert)
    again = import_csv(engine, people, languages=LANGUAGES, themes=THEMES, secret=SECRET)
    assert again.imported == ROWS - 2 * importer.BATCH  # the rest; the others are reported
    assert len(again.errors) == 2 * importer.BATCH
    assert count(engine) == ROWS
