"""The outbox's moves: claim due deliveries under a lease, record their results in batches.

Claiming is one UPDATE ... WHERE id IN (SELECT ... LIMIT n) that marks the rows `sending`
with the claimant's id and a lease (`claimed_until`); on PostgreSQL the inner SELECT takes
`FOR UPDATE SKIP LOCKED`, so several senders share a mailing without waiting on each other
(on SQLite, BEGIN IMMEDIATE serialises the claims). A sender that dies leaves its claims
behind; `senders.reap_dead` hands them back as soon as its lock is free, and
`reclaim_expired` those of a claimant that never registered once their lease has run out;
the next claim sends them: at-least-once delivery, re-sending only what was in flight.

Results are written by the claimant only (`claimed_by` must still be its id), so a sender
whose lease ran out cannot overwrite what the sender that took over recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.sql.dml import Update

from storage import UTCDateTime, reading, write_transaction, writing
from subscribers import Status, UnknownSubscriber, record_hard_bounce, subscribers_table
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, mailings, senders


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery claimed for sending, with what composing and addressing it needs."""

    id: int
    mailing_id: int
    kind: str
    release_id: str | None
    list_name: str
    subscriber_id: int | None
    email: str | None  # None when the subscriber is no longer active (or erased)
    public_id: str | None  # what the message's unsubscribe and preferences links name
    languages: tuple[str, ...]
    releases: tuple[str, ...]
    attempts: int
    claimed_until: datetime


class Outcome(StrEnum):
    """What became of one claimed delivery."""

    SENT = "sent"
    RETRY = "retry"  # transient failure: planned again for next_attempt_at
    FAILED = "failed"
    BOUNCED = "bounced"
    SKIPPED = "skipped"  # not attempted: the subscriber is gone
    RELEASED = "released"  # not attempted: handed back untouched (pause, stop, lease)


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one claimed delivery, waiting to be recorded."""

    delivery_id: int
    subscriber_id: int | None
    outcome: Outcome
    reply: str | None = None
    next_attempt_at: datetime | None = None


def reclaim_expired(target: Connection | Engine, *, now: datetime) -> int:
    """Make deliveries planned again whose lease ran out and whose claimant is not a
    registered sender (those are judged by their lock and heartbeat); return how many."""
    with writing(target) as conn:
        result = conn.execute(
            update(deliveries)
            .where(expired_claims(now))
            .values(status=DeliveryStatus.PLANNED.value, claimed_by=None, claimed_until=None)
        )
        return max(0, result.rowcount)


def expired_claims(now: datetime) -> ColumnElement[bool]:
    """Claims past their lease whose claimant is not in the senders table."""
    return and_(
        deliveries.c.status == DeliveryStatus.SENDING.value,
        deliveries.c.claimed_until < now,
        or_(
            deliveries.c.claimed_by.is_(None), deliveries.c.claimed_by.not_in(select(senders.c.id))
        ),
    )


def release_claims(target: Connection | Engine, claimants: Collection[str]) -> int:
    """Make every delivery these claimants hold planned again; return how many."""
    if not claimants:
        return 0
    with writing(target) as conn:
        result = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.status == DeliveryStatus.SENDING.value,
                deliveries.c.claimed_by.in_(sorted(claimants)),
            )
            .values(status=DeliveryStatus.PLANNED.value, claimed_by=None, claimed_until=None)
        )
        return max(0, result.rowcount)


def claim_batch(
    engine: Engine, *, claimant: str, now: datetime, size: int, lease: timedelta
) -> list[Claim]:
    """Claim up to `size` due deliveries of mailings not paused, oldest due first."""
    due = (
        select(deliveries.c.id)
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .where(
            deliveries.c.status == DeliveryStatus.PLANNED.value,
            deliveries.c.next_attempt_at <= now,
            mailings.c.paused_at.is_(None),
            mailings.c.cancelled_at.is_(None),  # a claim handed back after a cancel
        )
        .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
        .limit(size)
    )
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True, of=deliveries)
        until = now + lease
        claimed = conn.scalars(
            update(deliveries)
            .where(deliveries.c.id.in_(due.scalar_subquery()))
            .values(status=DeliveryStatus.SENDING.value, claimed_by=claimant, claimed_until=until)
            .returning(deliveries.c.id)
        ).all()
        if not claimed:
            return []
        rows = conn.execute(
            select(
                deliveries.c.id,
                deliveries.c.mailing_id,
                mailings.c.kind,
                mailings.c.release_id,
                mailings.c.list_name,
                deliveries.c.subscriber_id,
                subscribers_table.c.email,
                subscribers_table.c.public_id,
                deliveries.c.languages,
                deliveries.c.releases,
                deliveries.c.attempts,
            )
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .outerjoin(
                subscribers_table,
                and_(
                    subscribers_table.c.id == deliveries.c.subscriber_id,
                    subscribers_table.c.status == Status.ACTIVE.value,
                ),
            )
            .where(deliveries.c.id.in_(claimed))
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
        ).all()
    split = _Splitter()
    return [
        Claim(
            id=delivery_id,
            mailing_id=mailing_id,
            kind=kind,
            release_id=release_id,
            list_name=list_name,
            subscriber_id=subscriber_id,
            email=email,
            public_id=public_id,
            languages=split(languages),
            releases=split(releases),
            attempts=attempts,
            claimed_until=until,
        )
        for (
            delivery_id,
            mailing_id,
            kind,
            release_id,
            list_name,
            subscriber_id,
            email,
            public_id,
            languages,
            releases,
            attempts,
        ) in rows
    ]


def record_results(
    engine: Engine,
    results: Sequence[Result],
    *,
    claimant: str,
    now: datetime,
    suppress_after: int,
) -> None:
    """Write a batch of results in one transaction; count hard bounces toward suppression."""
    if not results:
        return
    with write_transaction(engine) as conn:
        for outcome, statement in _result_statements().items():
            chosen = [result for result in results if result.outcome is outcome]
            if not chosen:
                continue
            if outcome is Outcome.SENT and conn.dialect.name == "postgresql":
                conn.execute(_SENT_FROM_ARRAYS, _arrays(chosen, claimant=claimant, now=now))
                continue
            conn.execute(
                statement, [_parameters(result, claimant=claimant, now=now) for result in chosen]
            )
        for result in results:
            if result.outcome is Outcome.BOUNCED and result.subscriber_id is not None:
                with suppress(UnknownSubscriber):  # erased meanwhile: nothing to suppress
                    record_hard_bounce(conn, result.subscriber_id, suppress_after=suppress_after)


# Sent results on PostgreSQL in one statement, not one per row: results are written every
# few messages, and each statement is a round trip that also waits for the GIL.
_SENT_FROM_ARRAYS = text(
    "UPDATE deliveries AS d SET status = 'sent', attempts = d.attempts + 1,"
    " claimed_by = NULL, claimed_until = NULL, sent_at = :now, last_reply = u.reply"
    " FROM unnest(CAST(:ids AS integer[]), CAST(:replies AS varchar[])) AS u(id, reply)"
    " WHERE d.id = u.id AND d.claimed_by = :claimant"
).bindparams(bindparam("now", type_=UTCDateTime))


@cache
def _result_statements() -> dict[Outcome, Update]:
    """One UPDATE per outcome, built once: results are written every few messages."""
    mine = and_(
        deliveries.c.id == bindparam("b_id"), deliveries.c.claimed_by == bindparam("b_claimant")
    )
    released: dict[str, object] = {"claimed_by": None, "claimed_until": None}
    attempted = {
        **released,
        "attempts": deliveries.c.attempts + 1,
        "last_reply": bindparam("b_reply"),
    }
    values: dict[Outcome, dict[str, object]] = {
        Outcome.SENT: {
            **attempted,
            "status": DeliveryStatus.SENT.value,
            "sent_at": bindparam("b_now", type_=UTCDateTime),
        },
        Outcome.RETRY: {
            **attempted,
            "status": DeliveryStatus.PLANNED.value,
            "next_attempt_at": bindparam("b_next", type_=UTCDateTime),
        },
        Outcome.FAILED: {**attempted, "status": DeliveryStatus.FAILED.value},
        Outcome.BOUNCED: {**attempted, "status": DeliveryStatus.BOUNCED.value},
        Outcome.SKIPPED: {
            **released,
            "status": DeliveryStatus.SKIPPED.value,
            "last_reply": bindparam("b_reply"),
        },
        Outcome.RELEASED: {**released, "status": DeliveryStatus.PLANNED.value},
    }
    return {
        outcome: update(deliveries).where(mine).values(columns)
        for outcome, columns in values.items()
    }


def pause_mailing(engine: Engine, mailing_id: int, *, at: datetime, reason: str) -> None:
    """Stop sending a mailing until it is resumed; `reason` is shown by `send`/`deliveries`."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(mailings)
            .where(mailings.c.id == mailing_id, mailings.c.paused_at.is_(None))
            .values(paused_at=at, pause_reason=reason[:1000])
        )


def resume_mailings(engine: Engine, *, paused_before: datetime | None = None) -> list[str]:
    """Resume paused mailings (only those paused before `paused_before`, if given); keys."""
    condition: ColumnElement[bool] = mailings.c.paused_at.is_not(None)
    if paused_before is not None:
        condition = and_(condition, mailings.c.paused_at < paused_before)
    with write_transaction(engine) as conn:
        keys = conn.scalars(
            update(mailings)
            .where(condition)
            .values(paused_at=None, pause_reason=None)
            .returning(mailings.c.key)
        ).all()
    return sorted(keys)


def paused_mailings(engine: Engine) -> list[tuple[str, str]]:
    """Every paused mailing's key and pause reason."""
    with reading(engine) as conn:
        rows = conn.execute(
            select(mailings.c.key, mailings.c.pause_reason)
            .where(mailings.c.paused_at.is_not(None))
            .order_by(mailings.c.key)
        )
        return [(row.key, row.pause_reason or "") for row in rows]


def count_due(engine: Engine, *, now: datetime) -> int:
    """How many deliveries a send at `now` would attempt (paused mailings excluded)."""
    with reading(engine) as conn:
        return int(conn.scalar(select(func.count()).select_from(_joined).where(_due(now))) or 0)


def any_due(engine: Engine, *, now: datetime) -> bool:
    """Whether a send at `now` has anything to attempt (cheaper than counting)."""
    with reading(engine) as conn:
        found = conn.scalar(select(deliveries.c.id).select_from(_joined).where(_due(now)).limit(1))
        return found is not None


_joined = deliveries.join(mailings, mailings.c.id == deliveries.c.mailing_id)


def _due(now: datetime) -> ColumnElement[bool]:
    due = and_(
        deliveries.c.status == DeliveryStatus.PLANNED.value,
        deliveries.c.next_attempt_at <= now,
    )
    return and_(due | expired_claims(now), mailings.c.paused_at.is_(None),
                mailings.c.cancelled_at.is_(None))


def _parameters(result: Result, *, claimant: str, now: datetime) -> dict[str, object]:
    parameters: dict[str, object] = {"b_id": result.delivery_id, "b_claimant": claimant}
    if result.outcome is not Outcome.RELEASED:
        parameters["b_reply"] = result.reply
    if result.outcome is Outcome.SENT:
        parameters["b_now"] = now
    if result.outcome is Outcome.RETRY:
        parameters["b_next"] = result.next_attempt_at
    return parameters


def _arrays(results: Sequence[Result], *, claimant: str, now: datetime) -> dict[str, object]:
    return {
        "ids": [result.delivery_id for result in results],
        "replies": [result.reply for result in results],
        "claimant": claimant,
        "now": now,
    }


class _Splitter:
    """Comma-joined values as tuples, each distinct text split once per batch."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, ...]] = {}

    def __call__(self, joined: str) -> tuple[str, ...]:
        found = self._seen.get(joined)
        if found is None:
            found = self._seen[joined] = tuple(value for value in joined.split(",") if value)
        return found
