"""Mailing lists: create, delete, enumerate, and resolve names to ids."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage import reading, writing
from subscribers.errors import DuplicateList, UnknownList
from subscribers.fields import check_list_name, clean_text
from subscribers.model import MailingList, Status
from subscribers.schema import lists, subscribers, subscriptions


def create_list(target: Connection | Engine, name: str, *, label: str = "") -> MailingList:
    """Create a list, or raise DuplicateList / InvalidValue.

    The label is checked as config labels are (one line, no control character, at most
    MAX_TEXT characters): it is shown on terminals, pages and the console, where an escape
    sequence or 60 KB would do harm.
    """
    name = check_list_name(name)
    label = clean_text(label, "label")
    with writing(target) as conn:
        if conn.scalar(select(lists.c.id).where(lists.c.name == name)) is not None:
            raise DuplicateList(name)
        try:
            with conn.begin_nested():
                new_id = conn.execute(
                    insert(lists).values(name=name, label=label).returning(lists.c.id)
                ).scalar_one()
        except IntegrityError:
            raise DuplicateList(name) from None
    return MailingList(id=new_id, name=name, label=label)


def label_list(target: Connection | Engine, name: str, label: str) -> MailingList:
    """Give a list a new label (checked as `create_list` checks it); raise UnknownList."""
    label = clean_text(label, "label")
    with writing(target) as conn:
        list_id = conn.scalar(select(lists.c.id).where(lists.c.name == name))
        if list_id is None:
            raise UnknownList(name)
        conn.execute(update(lists).where(lists.c.id == list_id).values(label=label))
    return MailingList(id=list_id, name=name, label=label)


def count_subscriptions(target: Connection | Engine, name: str) -> int:
    """How many subscriptions a list holds (what deleting it would remove)."""
    with reading(target) as conn:
        list_id = conn.scalar(select(lists.c.id).where(lists.c.name == name))
        if list_id is None:
            raise UnknownList(name)
        return int(conn.scalar(select(func.count()).select_from(subscriptions)
                               .where(subscriptions.c.list_id == list_id)) or 0)


def delete_list(target: Connection | Engine, name: str) -> int:
    """Delete a list and its subscriptions; return how many subscriptions went with it."""
    with writing(target) as conn:
        list_id = conn.scalar(select(lists.c.id).where(lists.c.name == name))
        if list_id is None:
            raise UnknownList(name)
        removed = conn.scalar(
            select(func.count())
            .select_from(subscriptions)
            .where(subscriptions.c.list_id == list_id)
        )
        conn.execute(delete(lists).where(lists.c.id == list_id))
    return int(removed or 0)


def list_lists(target: Connection | Engine) -> list[MailingList]:
    """Return every list, by name."""
    with reading(target) as conn:
        rows = conn.execute(select(lists).order_by(lists.c.name))
        return [MailingList(id=row.id, name=row.name, label=row.label) for row in rows]


def list_names(target: Connection | Engine) -> list[str]:
    """Return the name of every list, in alphabetical order."""
    with reading(target) as conn:
        return list(conn.scalars(select(lists.c.name).order_by(lists.c.name)))


def count_members(target: Connection | Engine) -> dict[str, int]:
    """Return the number of active subscribers on each list, by list name."""
    query = (
        select(lists.c.name, func.count(subscribers.c.id))
        .select_from(lists)
        .outerjoin(subscriptions, subscriptions.c.list_id == lists.c.id)
        .outerjoin(
            subscribers,
            (subscribers.c.id == subscriptions.c.subscriber_id)
            & (subscribers.c.status == Status.ACTIVE.value),
        )
        .group_by(lists.c.name)
    )
    with reading(target) as conn:
        return {name: int(count) for name, count in conn.execute(query)}


def list_ids(conn: Connection) -> dict[str, int]:
    """Return every list's id, by name."""
    return {name: list_id for name, list_id in conn.execute(select(lists.c.name, lists.c.id))}


def resolve_lists(conn: Connection, names: Iterable[str] | None) -> dict[str, int]:
    """Return the ids of the named lists (every list when ``names`` is None)."""
    known = list_ids(conn)
    if names is None:
        return known
    resolved: dict[str, int] = {}
    for name in names:
        if name not in known:
            raise UnknownList(name)
        resolved[name] = known[name]
    return resolved
