"""A web sign-up: who gets a confirmation email, and what changes, whoever the address is.

The answer to the person who posted the form is the same in every case (it must not tell
whether an address is subscribed); what differs is what happens to the address:
- unknown: added as pending (consent source web), a confirmation is sent;
- pending: the choices replace the unconfirmed ones, a confirmation is sent again;
- active: nothing changes; a confirmation is sent whose link changes nothing (confirming
  an active subscriber is a no-op) and whose page leads to the preferences;
- unsubscribed: back to pending with the new choices (still not mailed until confirmed);
- suppressed after bounces, or erased on request: nothing changes and nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from subscribers import (
    ConsentSource,
    DuplicateSubscriber,
    ErasedAddress,
    Secret,
    Status,
    UnknownSubscriber,
    add_subscriber,
    find_subscriber,
    set_preferences,
)
from syndication.web.forms import Choices, Identity

ANONYMOUS = Identity()  # no name, no organisation given


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A confirmation email to send: to whom, in which language."""

    public_id: str  # what the confirmation link names
    email: str
    language: str


def sign_up(
    engine: Engine, email: str, choices: Choices, *, secret: Secret | None, now: datetime,
    identity: Identity = ANONYMOUS,
) -> Confirmation | None:
    """Record a web sign-up; return the confirmation to send, if any."""
    try:
        existing = find_subscriber(engine, email)
    except UnknownSubscriber:
        existing = None
    if existing is not None and existing.status is Status.ACTIVE:
        return Confirmation(existing.public_id, existing.email, existing.languages[0])
    if existing is not None and existing.status is Status.PENDING:
        set_preferences(
            engine, existing.id, languages=choices.languages, lists=choices.lists,
            themes=choices.themes, frequency=choices.frequency, now=now,
        )
        return Confirmation(existing.public_id, existing.email, choices.languages[0])
    if existing is not None and existing.status is not Status.UNSUBSCRIBED:
        return None  # suppressed: the address bounces
    try:
        added = add_subscriber(
            engine, email, languages=choices.languages, lists=choices.lists,
            name=identity.name, organisation=identity.organisation,
            themes=choices.themes, frequency=choices.frequency, source=ConsentSource.WEB,
            resubscribe=existing is not None, secret=secret, detail="web sign-up", now=now,
        )
    except (ErasedAddress, DuplicateSubscriber):
        return None  # erased on request; or a concurrent sign-up of the same address won
    return Confirmation(added.public_id, added.email, choices.languages[0])
