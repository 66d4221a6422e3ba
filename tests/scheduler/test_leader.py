"""The scheduler lock: one holder at a time, taken over when the holder goes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from harness.postgres import SERVER_URL
from harness.sites import make_site
from syndication.config import load_settings
from syndication.scheduler.leader import AdvisoryLeadership, FileLeadership, tick_lock

SERVER = f"{SERVER_URL}/postgres"


def test_a_lock_file_has_one_holder(tmp_path: Path) -> None:
    first, second = FileLeadership(tmp_path / "l"), FileLeadership(tmp_path / "l")
    assert first.try_acquire()
    assert first.try_acquire()  # already ours
    assert not second.try_acquire()
    assert first.still_held()
    first.release()
    assert not first.still_held()
    assert second.try_acquire()
    second.release()


@pytest.mark.postgres
def test_the_advisory_lock_passes_on_when_its_connection_dies() -> None:
    key = 0x5E57_0001 + int(time.time()) % 1000
    engines = [create_engine(SERVER), create_engine(SERVER)]
    first, second = (AdvisoryLeadership(engine, key) for engine in engines)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert first.still_held()
        with engines[1].connect() as conn:  # the leader's connection is cut
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND objid = :key"), {"key": key})
            conn.commit()
        assert not first.still_held()
        assert second.try_acquire()
        second.release()
        assert first.try_acquire()
    finally:
        first.release()
        second.release()
        for engine in engines:
            engine.dispose()


def test_tick_lock_serialises_ticks(tmp_path: Path) -> None:
    settings = load_settings(make_site(tmp_path / "site"))
    engine = create_engine("sqlite://")
    inside: list[int] = []
    overlap = []

    def work() -> None:
        with tick_lock(engine, settings):
            inside.append(1)
            overlap.append(len(inside))
            time.sleep(0.02)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert overlap == [1, 1, 1, 1]
