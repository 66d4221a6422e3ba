"""The admin API's JSON shapes of subscribers, people (GDPR access) and releases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from subscribers import Person, Subscriber
from syndication.releases import Release


def _time(value: datetime | None) -> str | None:
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


def release_json(
    release: Release, *, now: datetime, stats: Mapping[str, int]
) -> dict[str, Any]:
    """One release: status (scheduled or public at `now`), titles, dates, mailing counts."""
    embargo = release.embargo
    return {
        "id": release.id,
        "status": "public" if release.is_public(now) else "scheduled",
        "published": release.published.isoformat(),
        "updated": _time(release.updated),
        "titles": {language: version.title for language, version in release.versions.items()},
        "themes": list(release.themes),
        "lists": list(release.lists),
        "embargo": None if embargo is None else {
            "lists": list(embargo.lists), "notify_at": embargo.notify_at.isoformat(),
        },
        "deliveries": dict(stats),
    }
