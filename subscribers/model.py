"""Typed values of the audience: subscribers, lists, subscriptions, consent, recipients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """Where a subscriber stands: only ``active`` ones are mailed."""

    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    SUPPRESSED = "suppressed"


class Frequency(StrEnum):
    """How often a subscription is served: each release, or a daily or weekly digest."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"


class ConsentSource(StrEnum):
    """Who recorded the consent: an admin, a spreadsheet import, or the person on the web."""

    ADMIN = "admin"
    IMPORT = "import"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One person, by normalised address; languages in order of preference."""

    id: int
    public_id: str  # what tokens name; the row id stays internal
    email: str
    name: str
    organisation: str
    languages: tuple[str, ...]
    status: Status
    created_at: datetime
    confirmed_at: datetime | None
    bounces: int


@dataclass(frozen=True, slots=True)
class MailingList:
    """A named list that releases are sent to."""

    id: int
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscriber on one list; empty ``themes`` means every theme."""

    id: int
    subscriber_id: int
    list_name: str
    themes: tuple[str, ...]
    frequency: Frequency
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Consent:
    """A consent given (and, for web sign-ups, confirmed; later perhaps withdrawn)."""

    id: int
    subscriber_id: int
    source: ConsentSource
    given_at: datetime
    confirmed_at: datetime | None
    withdrawn_at: datetime | None
    detail: str


@dataclass(frozen=True, slots=True)
class Person:
    """Everything this package holds about one subscriber (GDPR access)."""

    subscriber: Subscriber
    subscriptions: tuple[Subscription, ...]
    consents: tuple[Consent, ...]


@dataclass(frozen=True, slots=True)
class Recipient:
    """A subscriber selected for a mailing, with the mailing languages they read, in order."""

    subscriber_id: int
    email: str
    languages: tuple[str, ...]
