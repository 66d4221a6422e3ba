"""Planning mailings: who gets what, written to the outbox in one set-based statement each.

A mailing row has a unique key ("alert:<release>", "embargo:<release>",
"digest:<frequency>:<period end>") and its deliveries are inserted with one
INSERT ... SELECT ... ON CONFLICT DO NOTHING over `subscribers.recipients.recipients_query`,
so every planner is safe to run twice: the second run finds the mailing and inserts
nothing. A delivery stores the languages it will be written in: the ones offered that the
subscriber reads, in their order of preference; whoever reads none of them is not planned.

Who gets what (SPEC "Who gets what"; decisions in docs/adr/0002-who-gets-what.md):
- an alert goes to `immediate` subscribers of the release's lists (empty: every list),
  minus whoever got (or will get) its embargo notice;
- an embargo notice goes to every active member of the embargo lists, whatever their
  frequency, between `notify_at` and `published`;
- a digest goes to `daily` or `weekly` subscribers, with the releases public since their
  previous digest (or since they subscribed) that they have not had as an alert or notice.
An alert planned more than `mail.max_age` after publication plans nothing (no hours-late
mass mailing); the service also applies the rule to digests, by when it first saw a release.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, Select, exists, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.util.typing import TupleAny

from storage import UTCDateTime, write_transaction
from subscribers import Frequency, list_names, recipients_query
from syndication.config import Settings
from syndication.delivery.digest_recipients import digest_recipients
from syndication.delivery.languages import any_present, language_position, ordered_languages
from syndication.delivery.outbox_schema import (
    ALL_LISTS,
    RECEIVED,
    DeliveryStatus,
    alert_key,
    deliveries,
    digest_key,
    embargo_key,
    mailings,
)
from syndication.mail.kinds import MailKind
from syndication.releases import Release


def plan_release_alert(
    engine: Engine, settings: Settings, release: Release, *, at: datetime
) -> int:
    """Plan the alert of a public release to its immediate subscribers; return new deliveries."""
    if not _due_and_fresh(release.published, at, settings):
        return 0
    with write_transaction(engine) as conn:
        lists = list(release.lists) or list_names(conn)
        mailing_id = ensure_mailing(
            conn,
            key=alert_key(release.id),
            kind=MailKind.ALERT,
            release_id=release.id,
            list_name=release.lists[0] if release.lists else ALL_LISTS,
            at=at,
        )
        query = recipients_query(
            lists=lists,
            themes=release.themes,
            languages=release.languages,
            frequencies=[Frequency.IMMEDIATE],
        )
        embargo = select(mailings.c.id).where(mailings.c.key == embargo_key(release.id))
        got_notice = exists().where(
            deliveries.c.mailing_id.in_(embargo.scalar_subquery()),
            deliveries.c.subscriber_id == query.selected_columns.subscriber_id,
            deliveries.c.status.in_(RECEIVED),
        )
        return _insert_deliveries(conn, mailing_id, query.where(~got_notice), release, at)


def plan_embargo_notice(
    engine: Engine, settings: Settings, release: Release, *, at: datetime
) -> int:
    """Plan the embargoed advance copy to the embargo lists; return new deliveries."""
    embargo = release.embargo
    if embargo is None or not embargo.notify_at <= at < release.published:
        return 0  # not due yet; or public already, and then the alert serves everyone
    with write_transaction(engine) as conn:
        mailing_id = ensure_mailing(
            conn,
            key=embargo_key(release.id),
            kind=MailKind.EMBARGO,
            release_id=release.id,
            list_name=embargo.lists[0],
            at=at,
        )
        query = recipients_query(
            lists=embargo.lists,
            themes=release.themes,
            languages=release.languages,
            frequencies=list(Frequency),
        )
        return _insert_deliveries(conn, mailing_id, query, release, at)


def plan_digest(
    engine: Engine,
    settings: Settings,
    *,
    frequency: Frequency,
    period_end: datetime,
    releases: Sequence[Release],
) -> int:
    """Plan the `frequency` digest ending at `period_end`; return new deliveries.

    Each daily or weekly subscriber gets, in one message, the releases among `releases`
    that became public after their previous digest (or their subscription) and by
    `period_end`, that match their lists, themes and languages, and that they did not
    get as an alert or embargo notice. Nobody gets an empty digest.
    """
    if frequency is Frequency.IMMEDIATE:
        raise ValueError("digests are daily or weekly")
    with write_transaction(engine) as conn:
        mailing_id = ensure_mailing(
            conn,
            key=digest_key(frequency, period_end),
            kind=MailKind.DIGEST,
            release_id=None,
            list_name=f"{frequency.value}-digest",
            at=period_end,
            period_end=period_end,
        )
        planned = digest_recipients(
            conn,
            settings,
            mailing_id=mailing_id,
            frequency=frequency,
            period_end=period_end,
            releases=releases,
            every_list=list_names(conn),
        )
        if planned is None:
            return 0
        return insert_planned(
            conn,
            planned,
            columns=[
                "mailing_id",
                "subscriber_id",
                "languages",
                "releases",
                "status",
                "next_attempt_at",
            ],
        )


def _due_and_fresh(due: datetime, at: datetime, settings: Settings) -> bool:
    """Due by `at`, and not so long ago that mailing it now would be a late mass mailing."""
    return due <= at <= due + settings.mail.max_age


def ensure_mailing(
    conn: Connection,
    *,
    key: str,
    kind: MailKind,
    release_id: str | None,
    list_name: str,
    at: datetime,
    period_end: datetime | None = None,
) -> int:
    """The id of the mailing with this key, created if it does not exist yet."""
    values = {
        "key": key,
        "kind": kind.value,
        "release_id": release_id,
        "list_name": list_name,
        "planned_at": at,
        "period_end": period_end,
    }
    insert = _dialect_insert(conn)(mailings).values(values)
    conn.execute(insert.on_conflict_do_nothing(index_elements=[mailings.c.key]))
    return int(conn.execute(select(mailings.c.id).where(mailings.c.key == key)).scalar_one())


def _insert_deliveries(
    conn: Connection,
    mailing_id: int,
    query: Select[int, str, str],
    release: Release,
    at: datetime,
) -> int:
    """Insert one planned delivery per recipient row, in the release languages they read."""
    recipients = query.subquery("recipients")
    dialect = conn.dialect.name
    positions = {
        code: language_position(recipients.c.languages, code, dialect=dialect)
        for code in release.languages
    }
    planned = select(
        literal(mailing_id).label("mailing_id"),
        recipients.c.subscriber_id,
        ordered_languages(positions).label("languages"),
        literal(DeliveryStatus.PLANNED.value).label("status"),
        literal(at, type_=UTCDateTime).label("next_attempt_at"),
    ).where(any_present(positions))
    return insert_planned(
        conn,
        planned,
        columns=["mailing_id", "subscriber_id", "languages", "status", "next_attempt_at"],
    )


def insert_planned(conn: Connection, planned: Select[*TupleAny], *, columns: list[str]) -> int:
    """Insert the deliveries `planned` selects, skipping (mailing, subscriber) pairs known."""
    # WHERE true: SQLite reads "INSERT ... SELECT ... ON CONFLICT" as a join's ON without it.
    statement = (
        _dialect_insert(conn)(deliveries)
        .from_select(columns, planned.where(true()))
        .on_conflict_do_nothing(
            index_elements=[deliveries.c.mailing_id, deliveries.c.subscriber_id]
        )
    )
    # rowcount of an INSERT is kept only on request (SQLAlchemy 2.0.28+).
    result = conn.execute(statement, execution_options={"preserve_rowcount": True})
    return max(0, result.rowcount)


def _dialect_insert(conn: Connection) -> type[sqlite.Insert] | type[postgresql.Insert]:
    return postgresql.Insert if conn.dialect.name == "postgresql" else sqlite.Insert
