"""The audit log: every change made through the console, the API or the CLI.

One row per change: when, who (an admin's name, "api token", the OS user of the CLI),
through which channel, from where (the client's address, or `cli@host`), the action, its
target (an address, a list, a mailing key) and a detail. Erasing a person replaces their
address in every row (`scrub_audit`, run by the erase hook of `syndication.personal_data`),
and the erase itself is recorded without it.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, or_, select

from storage import reading, writing
from syndication.console.schema import audit_log
from syndication.delivery.erasure import REDACTED, address_pattern, mentions, scrub_column

MAX_TEXT = 500


class Channel:
    """Where a change came in."""

    CONSOLE = "console"
    API = "api"
    CLI = "cli"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, through what, from where."""

    name: str
    channel: str
    origin: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded change."""

    id: int
    at: datetime
    actor: str
    channel: str
    origin: str
    action: str
    target: str
    detail: str

    def as_json(self) -> dict[str, str | int]:
        """The entry as a JSON object (times in ISO 8601 with their offset)."""
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor,
                "channel": self.channel, "origin": self.origin, "action": self.action,
                "target": self.target, "detail": self.detail}


def cli_actor() -> Actor:
    """The person at the terminal: their OS user name, on this host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        user = "unknown user"
    return Actor(name=user, channel=Channel.CLI, origin=f"cli@{socket.gethostname()}")


def record_change(
    target: Connection | Engine, actor: Actor, action: str, *, subject: str = "",
    detail: str = "", erased: str | None = None, now: datetime | None = None,
) -> None:
    """Record one change; an `erased` address is written as REDACTED wherever it appears."""
    if erased:
        pattern = address_pattern(erased)
        subject, detail = pattern.sub(REDACTED, subject), pattern.sub(REDACTED, detail)
    with writing(target) as conn:
        conn.execute(insert(audit_log).values(
            at=now or datetime.now(UTC), actor=actor.name[:200], channel=actor.channel,
            origin=actor.origin[:200], action=action[:200], target=subject[:MAX_TEXT],
            detail=detail,
        ))


def read_audit(
    target: Connection | Engine, *, since: datetime | None = None, actor: str = "",
    channel: str = "", text: str = "", before_id: int | None = None, limit: int = 1000,
) -> list[AuditEntry]:
    """The newest entries first, filtered; `before_id` pages on (keyset)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if channel:
        query = query.where(audit_log.c.channel == channel)
    if text:
        like = f"%{text}%"
        query = query.where(or_(audit_log.c.action.ilike(like), audit_log.c.target.ilike(like),
                                audit_log.c.detail.ilike(like)))
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    with reading(target) as conn:
        rows = conn.execute(query).all()
    return [AuditEntry(**row._mapping) for row in rows]


def scrub_audit(conn: Connection, address: str) -> int:
    """Replace the address in every entry's target and detail; how many fields changed."""
    return (scrub_column(conn, audit_log.c.target, address)
            + scrub_column(conn, audit_log.c.detail, address))


def audit_mentions(conn: Connection, address: str) -> list[dict[str, str]]:
    """The entries whose target or detail names the address (GDPR access), oldest first."""
    pattern = address_pattern(address)
    quoting = or_(mentions(audit_log.c.target, address), mentions(audit_log.c.detail, address))
    rows = conn.execute(select(audit_log).where(quoting).order_by(audit_log.c.id)).all()
    return [{"at": row.at.isoformat(), "actor": row.actor, "channel": row.channel,
             "action": row.action, "target": row.target, "detail": row.detail}
            for row in rows if pattern.search(f"{row.target} {row.detail}")]
