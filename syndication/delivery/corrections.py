"""Planning correction notices (SPEC "Corrections"): who received a release hears it changed.

A release with `updated` and `[correction] notify = true` gets one mailing per `updated`
value, keyed "correction:<release id>:<updated, UTC>". It goes to every subscriber with a
SENT delivery of a mailing that carried the release: its alert, its embargo notice, or a
digest whose delivery lists it; never to anyone else (a planned, failed, bounced or skipped
delivery is no reception). Each gets it in the languages of what they received.

"Once" is the outbox's unique keys: the mailing key, and (mailing, subscriber) for each
delivery; and the mailing is planned only the first time (a digest sent after the
correction carries the corrected text, so its readers are not told again). A new `updated`
value is a new key, so a second correction is mailed again. Like an alert, a notice first
seen more than `mail.max_age` after its `updated` time is not mailed (no late mass mailing
when an old site is first loaded).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, and_, func, literal, or_, select

from storage import UTCDateTime, reading, write_transaction
from syndication.config import Settings
from syndication.delivery.outbox_schema import (
    ALL_LISTS,
    DeliveryStatus,
    correction_key,
    deliveries,
    mailings,
)
from syndication.delivery.planner import ensure_mailing, insert_planned
from syndication.mail.kinds import MailKind
from syndication.releases import Release

# The mailings whose SENT deliveries mean "this subscriber received the release".
_CARRIERS = (MailKind.ALERT.value, MailKind.EMBARGO.value)


def correction_due(release: Release, at: datetime, settings: Settings) -> bool:
    """Whether `release` has a correction to mail at `at` (public, corrected, fresh)."""
    updated, correction = release.updated, release.correction
    if updated is None or correction is None or not correction.notify:
        return False
    return release.is_public(at) and updated <= at <= updated + settings.mail.max_age


def plan_correction_notice(
    engine: Engine, settings: Settings, release: Release, *, at: datetime
) -> int:
    """Plan the correction notice of `release` (once per `updated`); return new deliveries."""
    if not correction_due(release, at, settings) or release.updated is None:
        return 0
    key = correction_key(release.id, release.updated)
    with reading(engine) as conn:
        if conn.scalar(select(mailings.c.id).where(mailings.c.key == key)) is not None:
            return 0  # planned by an earlier tick: its recipients were decided then
    with write_transaction(engine) as conn:
        mailing_id = ensure_mailing(
            conn, key=key, kind=MailKind.CORRECTION, release_id=release.id,
            list_name=release.lists[0] if release.lists else ALL_LISTS, at=at,
        )
        padded = literal(",") + deliveries.c.releases + literal(",")
        carried = or_(
            and_(mailings.c.release_id == release.id, mailings.c.kind.in_(_CARRIERS)),
            and_(mailings.c.kind == MailKind.DIGEST.value,
                 padded.contains(f",{release.id},", autoescape=True)),
        )
        received = (
            select(
                literal(mailing_id).label("mailing_id"),
                deliveries.c.subscriber_id,
                func.min(deliveries.c.languages).label("languages"),
                literal(DeliveryStatus.PLANNED.value).label("status"),
                literal(at, type_=UTCDateTime).label("next_attempt_at"),
            )
            .select_from(deliveries.join(mailings, mailings.c.id == deliveries.c.mailing_id))
            .where(carried, deliveries.c.status == DeliveryStatus.SENT.value,
                   deliveries.c.subscriber_id.is_not(None))
            .group_by(deliveries.c.subscriber_id)
        )
        return insert_planned(
            conn, received,
            columns=["mailing_id", "subscriber_id", "languages", "status", "next_attempt_at"],
        )
