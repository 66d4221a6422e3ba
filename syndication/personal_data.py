"""Where the product keeps personal data: every table column and data-folder entry, classified.

One registry, walked by erase (every place that can hold an address is acted on) and
checked by a test that lists every table and column of both migration chains and every
top-level entry a real site writes into its data folder: a place nobody classified fails it.
The subscribers package forgets its own tables itself; the places below marked `scrub`
are the syndication side's, erased through the hook `erase_hook` gives `erase_person`.
GDPR access walks it the same way: the subscribers package shows its own tables, and the
places marked `gather` add their sections through `access_hook` (`subscribers show`, the
API's `GET /api/subscribers/{email}`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection

from subscribers.privacy import AccessHook, EraseHook
from syndication.bounces.erasure import (
    delete_unmatched,
    delete_waiting_reports,
    scrub_diagnostics,
    unmatched_naming,
    waiting_reports_naming,
)
from syndication.bounces.history import history_with_reports
from syndication.config import Settings
from syndication.delivery.erasure import delete_maildir_copies, maildir_copies, scrub_replies


class Holds(StrEnum):
    """What a place can hold about a person."""

    ADDRESS = "address"  # the address itself, or text that can quote it
    PERSONAL = "personal"  # about a person (a name, a choice, a date), found by their id
    HASHED = "hashed"  # only a keyed hash of an address
    NOTHING = "nothing"  # nothing personal (it may still be confidential)


# One erase action: the open transaction, the settings, the address, the subscriber ids;
# returns how many things it removed.
Scrub = Callable[[Connection, Settings, str, Sequence[int]], int]
# One access action: the same arguments; returns a section's title and its printable rows.
Gather = Callable[[Connection, Settings, str, Sequence[int]], tuple[str, list[dict[str, str]]]]


@dataclass(frozen=True, slots=True)
class Place:
    """One column or data-folder entry: what it holds, what erase and GDPR access do."""

    holds: Holds
    erase: str
    access: str
    scrub: Scrub | None = None  # None: subscribers' erase_person, or nothing to do
    gather: Gather | None = None  # None: subscribers' show_person, or nothing to show
    noun: str = ""  # what `scrub` counts, for the erase report


_ROW = Place(Holds.PERSONAL, "deleted with the subscriber row", "shown by `subscribers show`")
_ADDRESS = Place(Holds.ADDRESS, "deleted with the subscriber row", "shown by `subscribers show`")
def _deliveries(conn: Connection, _settings: Settings, _address: str,
                ids: Sequence[int]) -> tuple[str, list[dict[str, str]]]:
    # Each delivery with the bounces and complaints reported after it was sent.
    return "deliveries", [row for one in ids for row in history_with_reports(conn, one)]


def _outbox_copies(_conn: Connection, settings: Settings, address: str,
                   _ids: Sequence[int]) -> tuple[str, list[dict[str, str]]]:
    return "outbox", maildir_copies(settings.mail.maildir, address)


_LINK = Place(Holds.PERSONAL, "set to NULL (ON DELETE SET NULL)",
              "the person's deliveries are listed by `subscribers show`", gather=_deliveries)
_HASH = Place(Holds.HASHED, "an erase adds the keyed hash (so they are never mailed again)",
              "not shown: the hash cannot be turned back into an address")
_NONE = Place(Holds.NOTHING, "nothing to erase", "nothing to show")


def _scrub_replies(conn: Connection, _settings: Settings, address: str,
                   ids: Sequence[int]) -> int:
    return scrub_replies(conn, address, ids)


def _delete_maildir(_conn: Connection, settings: Settings, address: str,
                    _ids: Sequence[int]) -> int:
    return delete_maildir_copies(settings.mail.maildir, address)


_REPLY = Place(Holds.ADDRESS, "the address is replaced in every reply, the person's or not",
               "shown by `subscribers show` with the person's deliveries",
               scrub=_scrub_replies, noun="stored server replies scrubbed", gather=_deliveries)
_OUTBOX = Place(Holds.ADDRESS, "messages whose To/Delivered-To is the address are deleted",
                "listed (file, date, subject) by `subscribers show`", scrub=_delete_maildir,
                noun="Maildir copies deleted", gather=_outbox_copies)


def _scrub_diagnostics(conn: Connection, _settings: Settings, address: str,
                       _ids: Sequence[int]) -> int:
    return scrub_diagnostics(conn, address)


def _delete_unmatched(conn: Connection, _settings: Settings, address: str,
                      _ids: Sequence[int]) -> int:
    return delete_unmatched(conn, address)


def _delete_waiting(_conn: Connection, settings: Settings, address: str,
                    _ids: Sequence[int]) -> int:
    return delete_waiting_reports(settings.bounces.maildir, address)


def _unmatched(conn: Connection, _settings: Settings, address: str,
               _ids: Sequence[int]) -> tuple[str, list[dict[str, str]]]:
    return "unmatched bounce reports naming the address", unmatched_naming(conn, address)


def _waiting(_conn: Connection, settings: Settings, address: str,
             _ids: Sequence[int]) -> tuple[str, list[dict[str, str]]]:
    found = waiting_reports_naming(settings.bounces.maildir, address)
    return "bounce reports waiting to be read", [{"file": path.name} for path in found]


_DIAGNOSTIC = Place(Holds.ADDRESS, "the address is replaced in every bounce's diagnostic",
                    "shown by `subscribers show` with the person's deliveries (kind, status)",
                    scrub=_scrub_diagnostics, noun="bounce diagnostics scrubbed",
                    gather=_deliveries)
_UNMATCHED = Place(Holds.ADDRESS, "reports kept aside that name the address are deleted",
                   "listed (when, why) by `subscribers show`", scrub=_delete_unmatched,
                   noun="unmatched bounce reports deleted", gather=_unmatched)
_BOUNCE_MAILDIR = Place(Holds.ADDRESS,
                        "reports waiting to be read that name the address are deleted",
                        "listed by `subscribers show` (`run` reads them within seconds)",
                        scrub=_delete_waiting, noun="waiting bounce reports deleted",
                        gather=_waiting)


def _columns(place: Place, *names: str) -> dict[str, Place]:
    return dict.fromkeys(names, place)


# table -> column -> what it holds. Every column of both chains must be here.
COLUMNS: dict[str, dict[str, Place]] = {
    "subscribers": {
        **_columns(_ADDRESS, "email", "email_key", "name", "organisation"),
        **_columns(_ROW, "id", "public_id", "languages", "status", "created_at", "confirmed_at",
                   "bounces"),
    },
    "subscriptions": _columns(_ROW, "id", "subscriber_id", "list_id", "themes", "frequency",
                              "created_at"),
    "consents": {
        **_columns(_ROW, "id", "subscriber_id", "source", "given_at", "confirmed_at",
                   "withdrawn_at"),
        "detail": _ADDRESS,  # free text (the sign-up's IP, the admin's note)
    },
    "suppressions": {"email_hash": _HASH, **_columns(_NONE, "id", "reason", "created_at")},
    "lists": _columns(_NONE, "id", "name", "label"),
    "deliveries": {
        "last_reply": _REPLY,  # "550 5.1.1 <ann@example.org>: no such user"
        "subscriber_id": _LINK,
        **_columns(_NONE, "id", "mailing_id", "languages", "releases", "status", "attempts",
                   "next_attempt_at", "claimed_by", "claimed_until", "sent_at"),
    },
    # The bounce store (bounces/schema.py): linked to the person through their delivery.
    "delivery_reports": {
        "diagnostic": _DIAGNOSTIC,  # "550 5.1.1 <ann@example.org>: no such user"
        "delivery_id": Place(Holds.PERSONAL, "kept: the delivery it names is unlinked from "
                             "the person (its subscriber_id set to NULL)",
                             "the person's reports are listed by `subscribers show`",
                             gather=_deliveries),
        **_columns(_NONE, "id", "kind", "status", "source", "received_at", "counted"),
    },
    "unmatched_reports": {
        "content": _UNMATCHED,  # the whole report as it came, addresses and all
        **_columns(_NONE, "id", "reason", "kind", "source", "received_at"),
    },
    "rate_events": {"key_hash": _HASH, **_columns(_NONE, "id", "limit_name", "at")},
    "mailings": _columns(_NONE, "id", "key", "kind", "release_id", "list_name", "period_end",
                         "planned_at", "paused_at", "pause_reason", "cancelled_at"),
    "digest_runs": _columns(_NONE, "frequency", "period_end", "planned_at", "deliveries"),
    "release_seen": _columns(_NONE, "release_id", "first_seen_at", "public_seen_at", "mailable",
                             "notice_planned_at", "alert_planned_at"),
    "senders": _columns(_NONE, "id", "host", "pid", "lock_slot", "started_at", "heartbeat_at"),
    "site_generation": _columns(_NONE, "site", "generation", "as_of"),
    "ticks": _columns(_NONE, "clock", "latest_at"),
    # Alembic's bookkeeping, one per chain.
    "alembic_version_subscribers": _columns(_NONE, "version_num"),
    "alembic_version_syndication": _columns(_NONE, "version_num"),
}

# Top-level entries of the data folder ([paths] data, default var/).
DATA_FILES: dict[str, Place] = {
    # The SQLite database and its WAL: every table above (secure_delete, WAL checkpointed).
    "syndication.db": Place(Holds.ADDRESS, "by table, as COLUMNS says", "by table"),
    "syndication.db-wal": Place(Holds.ADDRESS, "checkpointed and truncated after an erase",
                                "by table"),
    "syndication.db-shm": _NONE,
    "outbox": _OUTBOX,  # the Maildir transport's copies ([mail] maildir, default var/outbox)
    "bounces": _BOUNCE_MAILDIR,  # [bounces] maildir, when it is var/bounces as in the SPEC
    # Release pickles and the site manifest: embargoed text, confidential but not personal.
    "cache": _NONE,
    "senders": _NONE,  # sender lock files: host and pid
    "scheduler.lock": _NONE,
    "tick.lock": _NONE,
}

# Places later work adds: each must be registered here, with its erase, when it lands.
TO_BE_REGISTERED = (
    "logs: the product logs to stderr; a log file kept by the operator is theirs to rotate",
    "audit log: the console's record of admin actions (console issue)",
)


def places() -> dict[str, Place]:
    """Every registered place by name ("table.column" or "data/<entry>")."""
    found = {f"{table}.{column}": place
             for table, columns in COLUMNS.items() for column, place in columns.items()}
    found.update({f"data/{name}": place for name, place in DATA_FILES.items()})
    return found


def access_hook(settings: Settings) -> AccessHook:
    """The hook GDPR access runs: every registered gather's section, in registry order."""

    def gather(conn: Connection, address: str,
               ids: Sequence[int]) -> dict[str, list[dict[str, str]]]:
        gathers = dict.fromkeys(place.gather for place in places().values() if place.gather)
        return dict(one(conn, settings, address, ids) for one in gathers if one is not None)

    return gather


def erase_hook(settings: Settings) -> EraseHook:
    """The hook `erase_person` runs: every registered scrub, with what each removed."""

    def forget(conn: Connection, address: str, ids: Sequence[int]) -> list[str]:
        done: list[str] = []
        scrubs = {place.scrub: place.noun for place in places().values() if place.scrub}
        for scrub, noun in scrubs.items():
            count = scrub(conn, settings, address, ids)
            if count:
                done.append(f"{count} {noun}")
        return done

    return forget
