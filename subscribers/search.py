"""Finding subscribers for the console: text search, filters, keyset pages.

A page is at most `limit` subscribers by id, after (or before) the id the previous page
ended on: the database seeks the primary key instead of counting past earlier pages, so
page 500 of 100,000 costs what the first one does. The text is matched, in any letter
case, inside the address, the name and the organisation (`%` and `_` literally); on
PostgreSQL a trigram index on that text (migration `0003_search`) finds the matches
without reading every subscriber.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    exists,
    func,
    literal,
    literal_column,
    select,
)

from storage import reading
from subscribers.model import Subscriber
from subscribers.rows import to_subscriber
from subscribers.schema import lists, subscribers, subscriptions

PAGE = 50
# The space is inline, not a parameter: so is it in the index's expression.
SPACE: ColumnElement[str] = literal_column("' '")
SEARCHED = (subscribers.c.email_key + SPACE
            + func.lower(subscribers.c.name + SPACE + subscribers.c.organisation))


@dataclass(frozen=True, slots=True)
class SubscriberFilter:
    """What the admin looks for: text, and a list, language, status and frequency ("" any)."""

    text: str = ""
    list_name: str = ""
    language: str = ""
    status: str = ""
    frequency: str = ""


@dataclass(frozen=True, slots=True)
class SubscriberPage:
    """One page of subscribers with their lists, and whether pages come before and after."""

    rows: tuple[tuple[Subscriber, tuple[str, ...]], ...]
    has_before: bool
    has_after: bool

    @property
    def first_id(self) -> int | None:
        """The id the page starts on (for a link to the page before)."""
        return self.rows[0][0].id if self.rows else None

    @property
    def last_id(self) -> int | None:
        """The id the page ends on (for a link to the page after)."""
        return self.rows[-1][0].id if self.rows else None


def search_subscribers(
    target: Connection | Engine, wanted: SubscriberFilter, *, after: int | None = None,
    before: int | None = None, limit: int = PAGE,
) -> SubscriberPage:
    """The page of subscribers matching `wanted` after id `after` (or before `before`)."""
    conditions = _conditions(wanted)
    query = select(subscribers).where(*conditions)
    if before is not None:
        query = query.where(subscribers.c.id < before).order_by(subscribers.c.id.desc())
    else:
        if after is not None:
            query = query.where(subscribers.c.id > after)
        query = query.order_by(subscribers.c.id)
    with reading(target) as conn:
        found = [to_subscriber(row._mapping) for row in conn.execute(query.limit(limit + 1))]
        more = len(found) > limit
        found = found[:limit]
        if before is not None:
            found.reverse()
        names = _lists_of(conn, [subscriber.id for subscriber in found])
        if before is not None:
            has_before = more
            has_after = bool(found) and _any(conn, conditions, found[-1].id, below=False)
        else:
            has_after = more
            has_before = after is not None and bool(found) and _any(
                conn, conditions, found[0].id, below=True)
    return SubscriberPage(tuple((s, names.get(s.id, ())) for s in found),
                          has_before=has_before, has_after=has_after)


def _conditions(wanted: SubscriberFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if wanted.text:
        # One expression, the one PostgreSQL's trigram index is on (migration 0003_search):
        # the address key is lower case already, name and organisation are lowered.
        like = "%" + _escape(wanted.text.strip().lower()) + "%"
        found.append(SEARCHED.like(like, escape="\\"))
    if wanted.status:
        found.append(subscribers.c.status == wanted.status)
    if wanted.language:
        padded = literal(",") + subscribers.c.languages + literal(",")
        found.append(padded.like(f"%,{wanted.language},%"))
    if wanted.list_name or wanted.frequency:
        held = [subscriptions.c.subscriber_id == subscribers.c.id]
        if wanted.list_name:
            held.append(subscriptions.c.list_id == select(lists.c.id).where(
                lists.c.name == wanted.list_name).scalar_subquery())
        if wanted.frequency:
            held.append(subscriptions.c.frequency == wanted.frequency)
        found.append(exists().where(and_(*held)))
    return found


def _escape(text: str) -> str:
    """The text with LIKE's wildcards taken literally (`50%` finds "50%")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _any(conn: Connection, conditions: Sequence[ColumnElement[bool]], edge: int, *,
         below: bool) -> bool:
    side = subscribers.c.id < edge if below else subscribers.c.id > edge
    return conn.execute(
        select(subscribers.c.id).where(*conditions, side).limit(1)).first() is not None


def _lists_of(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    held: dict[int, list[str]] = {}
    for subscriber_id, name in conn.execute(
        select(subscriptions.c.subscriber_id, lists.c.name)
        .join(lists, lists.c.id == subscriptions.c.list_id)
        .where(subscriptions.c.subscriber_id.in_(ids)).order_by(lists.c.name)
    ):
        held.setdefault(subscriber_id, []).append(name)
    return {key: tuple(value) for key, value in held.items()}
