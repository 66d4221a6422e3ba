"""The SELECT behind a digest: per subscriber, the releases due to them, grouped into one row.

One branch per candidate release (`recipients_query` for its lists, themes and languages,
at the digest's frequency, counting only subscriptions made before the release went
public), minus subscribers who already have the release (its alert or embargo notice) or
whose previous digest already reached past its publication. The branches are joined with
UNION ALL and grouped by subscriber: the release ids are aggregated, and the languages are
those the subscriber reads among all their releases' languages, in their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, Integer, Select, case, exists, func, literal, select, union_all

from storage import UTCDateTime
from subscribers import Frequency, recipients_query, subscribers_table
from syndication.config import Settings
from syndication.delivery.languages import any_present, language_position, ordered_languages
from syndication.delivery.outbox_schema import (
    RECEIVED,
    DeliveryStatus,
    alert_key,
    deliveries,
    embargo_key,
    mailings,
)
from syndication.mail.kinds import MailKind
from syndication.releases import Release


def lookback(settings: Settings, frequency: Frequency) -> timedelta:
    """How far back a digest reaches at most: two periods and `mail.max_age`."""
    period = timedelta(days=7 if frequency is Frequency.WEEKLY else 1)
    return 2 * period + settings.mail.max_age


def digest_recipients(
    conn: Connection,
    settings: Settings,
    *,
    mailing_id: int,
    frequency: Frequency,
    period_end: datetime,
    releases: Sequence[Release],
    every_list: Sequence[str],
) -> Select[int, int, str, str, str, datetime] | None:
    """Rows (mailing_id, subscriber_id, languages, releases, status, next_attempt_at)."""
    floor = period_end - lookback(settings, frequency)
    candidates = sorted(
        (release for release in releases if floor < release.published <= period_end),
        key=lambda release: (release.published, release.id),
    )
    if not candidates:
        return None
    offered = [code for code in settings.languages if any(code in r.versions for r in candidates)]
    branches = [
        _branch(release, frequency, period_end, offered, every_list) for release in candidates
    ]
    items = union_all(*branches).subquery("digest_items")
    aggregate = (
        func.string_agg(items.c.release_id, literal(","))
        if conn.dialect.name == "postgresql"
        else func.group_concat(items.c.release_id, literal(","))
    )
    grouped = (
        select(
            items.c.subscriber_id,
            aggregate.label("releases"),
            *(
                func.max(items.c[f"has_{index}"]).label(f"has_{index}")
                for index in range(len(offered))
            ),
        )
        .group_by(items.c.subscriber_id)
        .subquery("digests")
    )
    positions = {
        code: case(
            (
                grouped.c[f"has_{index}"] > 0,
                language_position(subscribers_table.c.languages, code, dialect=conn.dialect.name),
            ),
            else_=literal(0, type_=Integer),
        )
        for index, code in enumerate(offered)
    }
    return (
        select(
            literal(mailing_id).label("mailing_id"),
            grouped.c.subscriber_id,
            ordered_languages(positions).label("languages"),
            grouped.c.releases,
            literal(DeliveryStatus.PLANNED.value).label("status"),
            literal(period_end, type_=UTCDateTime).label("next_attempt_at"),
        )
        .select_from(
            grouped.join(subscribers_table, subscribers_table.c.id == grouped.c.subscriber_id)
        )
        .where(any_present(positions))
    )


def _branch(
    release: Release,
    frequency: Frequency,
    period_end: datetime,
    offered: Sequence[str],
    every_list: Sequence[str],
) -> Select[int, str]:
    query = recipients_query(
        lists=list(release.lists) or list(every_list),
        themes=release.themes,
        languages=release.languages,
        frequencies=[frequency],
        since_subscribed_before=release.published,
    )
    subscriber_id = query.selected_columns.subscriber_id
    notices = select(mailings.c.id).where(
        mailings.c.key.in_([alert_key(release.id), embargo_key(release.id)])
    )
    had_it = exists().where(
        deliveries.c.mailing_id.in_(notices.scalar_subquery()),
        deliveries.c.subscriber_id == subscriber_id,
        deliveries.c.status.in_(RECEIVED),
    )
    # Their previous digest reached past this release's publication: it was covered then.
    reaching = select(mailings.c.id).where(
        mailings.c.kind == MailKind.DIGEST.value,
        mailings.c.period_end >= release.published,
        mailings.c.period_end < period_end,
    )
    covered = exists().where(
        deliveries.c.mailing_id.in_(reaching.scalar_subquery()),
        deliveries.c.subscriber_id == subscriber_id,
        deliveries.c.status.in_(RECEIVED),
    )
    flags = (
        literal(int(code in release.versions), type_=Integer).label(f"has_{index}")
        for index, code in enumerate(offered)
    )
    return (
        query.with_only_columns(subscriber_id, literal(release.id).label("release_id"), *flags)
        .where(~had_it, ~covered)
        .order_by(None)
    )
