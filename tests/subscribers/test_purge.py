"""Sign-ups never confirmed are forgotten once their confirmation link has expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from subscribers.lifecycle import confirm_subscriber
from subscribers.lists import create_list
from subscribers.membership import add_subscriber, remove_subscriber
from subscribers.model import ConsentSource
from subscribers.purge import purge_pending
from subscribers.schema import consents, subscribers, subscriptions, suppressions
from subscribers.tokens import CONFIRM_MAX_AGE

SIGNED_UP = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_expired_pending_sign_ups_go_with_everything_and_leave_no_hash(engine: Engine) -> None:
    create_list(engine, "press")
    web = {"languages": ["fr"], "lists": ["press"], "source": ConsentSource.WEB}
    add_subscriber(engine, "stale@example.be", now=SIGNED_UP, **web)  # type: ignore[arg-type]
    fresh_at = SIGNED_UP + timedelta(days=3)
    add_subscriber(engine, "fresh@example.be", now=fresh_at, **web)  # type: ignore[arg-type]
    confirmed = add_subscriber(engine, "yes@example.be", now=SIGNED_UP, **web)  # type: ignore[arg-type]
    confirm_subscriber(engine, confirmed.id, now=SIGNED_UP + timedelta(hours=1))
    add_subscriber(engine, "admin@example.be", languages=["fr"], lists=["press"], now=SIGNED_UP)
    add_subscriber(engine, "left@example.be", now=SIGNED_UP, **web)  # type: ignore[arg-type]
    remove_subscriber(engine, "left@example.be")  # unsubscribed, not pending: kept

    just_before = SIGNED_UP + CONFIRM_MAX_AGE - timedelta(seconds=1)
    assert purge_pending(engine, now=just_before) == 0  # the link still works
    assert purge_pending(engine, now=SIGNED_UP + CONFIRM_MAX_AGE + timedelta(minutes=1)) == 1

    with engine.connect() as conn:
        left = set(conn.scalars(select(subscribers.c.email)))
    assert left == {"fresh@example.be", "yes@example.be", "admin@example.be", "left@example.be"}
    assert _count(engine, subscriptions) == 4  # the stale one's went with it
    assert _count(engine, consents) == 4  # one each, the stale one's gone
    assert _count(engine, suppressions) == 0  # they never consented: nothing to block
    assert purge_pending(engine, now=fresh_at + CONFIRM_MAX_AGE + timedelta(minutes=1)) == 1
    assert purge_pending(engine, now=fresh_at + CONFIRM_MAX_AGE + timedelta(minutes=2)) == 0
