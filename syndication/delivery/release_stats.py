"""What the admin API reads beyond the delivery report: per-release counts and reach.

Queries only; the routes in `api.py` turn their results into JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Engine, func, select

from subscribers import Frequency, list_names, select_recipients
from syndication.delivery.outbox_schema import deliveries, mailings
from syndication.releases import Release


def audience(
    engine: Engine, release: Release, *, lists: Iterable[str] | None = None,
    frequencies: Iterable[Frequency] = (Frequency.IMMEDIATE,),
) -> dict[str, int]:
    """How many active subscribers a mailing of `release` reaches, by the language of their
    message's subject (the first of theirs the release has). Default lists: the release's."""
    with engine.connect() as conn:
        names = list(lists) if lists is not None else list(release.lists)
        if not names:
            names = list_names(conn)
        counts: Counter[str] = Counter()
        for recipient in select_recipients(
            conn, lists=names, themes=release.themes, languages=release.languages,
            frequencies=list(frequencies),
        ):
            if recipient.languages:
                counts[recipient.languages[0]] += 1
    return {language: counts[language] for language in release.languages}


def mailing_stats(engine: Engine) -> dict[str, dict[str, int]]:
    """Deliveries by status, summed over every mailing of each release."""
    query = (
        select(mailings.c.release_id, deliveries.c.status, func.count(deliveries.c.id))
        .join(deliveries, deliveries.c.mailing_id == mailings.c.id)
        .where(mailings.c.release_id.is_not(None))
        .group_by(mailings.c.release_id, deliveries.c.status)
    )
    stats: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for release_id, status, count in conn.execute(query):
            stats.setdefault(release_id, {})[status] = int(count)
    return stats
