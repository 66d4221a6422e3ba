"""Import in update mode: what an existing subscriber's row changes, and changing it.

A row about an active or pending subscriber replaces their name, organisation, languages
and subscriptions (lists, themes, frequency) with what the row says (its empty cells
meaning what they mean for a new row); a list kept keeps its subscription date. A row
that changes nothing is `unchanged`. An unsubscribed or suppressed subscriber is not
changed by an import (they withdrew, or bounce): their row is rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from subscribers.addresses import address_key
from subscribers.csvio.row_checks import Candidate
from subscribers.fields import join_values, split_values
from subscribers.model import Status
from subscribers.schema import lists, subscribers, subscriptions

UPDATABLE = (Status.ACTIVE.value, Status.PENDING.value)
Held = tuple[str, str, tuple[str, ...], tuple[tuple[str, tuple[str, ...], str], ...]]


@dataclass(frozen=True, slots=True)
class Existing:
    """An existing subscriber an imported row is about."""

    id: int
    status: str
    held: Held  # name, organisation, languages, (list, themes, frequency) by list


def existing_among(conn: Connection, keys: Sequence[str]) -> dict[str, Existing]:
    """The subscribers with these address keys, with what a row could change."""
    rows = conn.execute(
        select(subscribers.c.id, subscribers.c.email_key, subscribers.c.status,
               subscribers.c.name, subscribers.c.organisation, subscribers.c.languages)
        .where(subscribers.c.email_key.in_(keys))
    ).all()
    held: dict[int, list[tuple[str, tuple[str, ...], str]]] = {row.id: [] for row in rows}
    if held:
        for row in conn.execute(
            select(subscriptions.c.subscriber_id, lists.c.name, subscriptions.c.themes,
                   subscriptions.c.frequency)
            .join(lists, lists.c.id == subscriptions.c.list_id)
            .where(subscriptions.c.subscriber_id.in_(list(held)))
        ):
            held[row.subscriber_id].append(
                (row.name, tuple(sorted(split_values(row.themes))), row.frequency))
    return {
        row.email_key: Existing(row.id, row.status, (
            row.name, row.organisation, tuple(split_values(row.languages)),
            tuple(sorted(held[row.id]))))
        for row in rows
    }


def wanted_by(candidate: Candidate) -> Held:
    """What the row says the subscriber should be."""
    themes = tuple(sorted(candidate.themes))
    return (candidate.name, candidate.organisation, candidate.languages,
            tuple(sorted((name, themes, candidate.frequency.value) for name in candidate.lists)))


def changed_fields(existing: Existing, candidate: Candidate) -> tuple[str, ...]:
    """The names of what the row changes ("" none)."""
    names = ("name", "organisation", "languages", "subscriptions")
    return tuple(name for name, old, new in zip(names, existing.held, wanted_by(candidate),
                                                strict=True) if old != new)


def apply_update(conn: Connection, existing: Existing, candidate: Candidate,
                 known_lists: dict[str, int], now: datetime) -> None:
    """Make the subscriber what the row says."""
    conn.execute(update(subscribers).where(subscribers.c.id == existing.id).values(
        name=candidate.name, organisation=candidate.organisation,
        languages=join_values(candidate.languages)))
    mine = subscriptions.c.subscriber_id == existing.id
    wanted = {known_lists[name] for name in candidate.lists}
    conn.execute(delete(subscriptions).where(mine, subscriptions.c.list_id.not_in(wanted)))
    conn.execute(update(subscriptions).where(mine).values(
        themes=join_values(candidate.themes), frequency=candidate.frequency.value))
    kept = set(conn.scalars(select(subscriptions.c.list_id).where(mine)))
    added = [{"subscriber_id": existing.id, "list_id": list_id,
              "themes": join_values(candidate.themes), "frequency": candidate.frequency.value,
              "created_at": now} for list_id in sorted(wanted - kept)]
    if added:
        conn.execute(insert(subscriptions), added)


def key_of(candidate: Candidate) -> str:
    """The row's address key."""
    return address_key(candidate.email)
