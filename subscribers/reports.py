"""The JSON shapes of a subscriber and of everything held about a person (GDPR access).

One shape for every reader: `syndication subscribers list|show` and `lists list` print them
with `--format json`, and the admin API (`GET /api/subscribers`, `/api/subscribers/{email}`,
`/api/lists`) serves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from subscribers.model import MailingList, Person, Subscriber


def _time(value: datetime | None) -> str | None:
    """An instant as RFC 3339 text, or None."""
    return value.isoformat() if value is not None else None


def subscriber_json(subscriber: Subscriber, lists: Sequence[str]) -> dict[str, Any]:
    """One subscriber, with the names of their lists."""
    return {
        "id": subscriber.id,
        "email": subscriber.email,
        "name": subscriber.name,
        "organisation": subscriber.organisation,
        "languages": list(subscriber.languages),
        "status": subscriber.status.value,
        "created_at": _time(subscriber.created_at),
        "confirmed_at": _time(subscriber.confirmed_at),
        "bounces": subscriber.bounces,
        "lists": list(lists),
    }


def person_json(person: Person) -> dict[str, Any]:
    """Everything held about one person: subscriber, subscriptions, consents."""
    subscriptions = [
        {
            "list": item.list_name,
            "themes": list(item.themes),
            "frequency": item.frequency.value,
            "created_at": _time(item.created_at),
        }
        for item in person.subscriptions
    ]
    consents = [
        {
            "source": item.source.value,
            "given_at": _time(item.given_at),
            "confirmed_at": _time(item.confirmed_at),
            "withdrawn_at": _time(item.withdrawn_at),
            "detail": item.detail,
        }
        for item in person.consents
    ]
    lists = [item.list_name for item in person.subscriptions]
    return {
        **subscriber_json(person.subscriber, lists),
        "subscriptions": subscriptions,
        "consents": consents,
    }


def lists_json(lists: Iterable[MailingList], members: Mapping[str, int]) -> list[dict[str, Any]]:
    """Every list with its number of active members (`lists list`, `GET /api/lists`)."""
    return [
        {"name": item.name, "label": item.label, "members": members.get(item.name, 0)}
        for item in lists
    ]
