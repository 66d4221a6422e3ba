"""The admin API's JSON shape of releases (subscribers' and lists' are `subscribers.reports`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from syndication.releases import Release


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


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
