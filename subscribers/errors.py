"""Errors raised by the subscribers package.

Every error is a ``SubscriberError``; callers catch the root and show ``str(error)``,
a one-line message meant for an admin or a person signing up::

    SubscriberError
    ├── InvalidEmail            the text is not an email address (``reason`` says why)
    ├── InvalidValue            a language, theme, list name or frequency is malformed
    ├── UnknownList             no list has that name
    ├── DuplicateList           a list with that name exists already
    ├── UnknownSubscriber       no subscriber has that address or id
    ├── DuplicateSubscriber     the address is a subscriber already
    ├── NotSubscribed           the subscriber is not on that list
    ├── WrongStatus             the status forbids it (confirming an unsubscribed one)
    ├── ErasedAddress           the address was erased: only a resubscribe brings it back
    ├── MissingSecret           the site secret is needed and is not set
    ├── ImportStopped           a CSV import stopped at a database error (the rows before stay)
    └── InvalidToken            a token is forged, tampered with, expired or for another purpose
"""

from __future__ import annotations


class SubscriberError(Exception):
    """Root of every error this package raises."""


class InvalidEmail(SubscriberError):
    """The text is not a valid email address."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"invalid email {text!r}: {reason}")
        self.text = text
        self.reason = reason


class InvalidValue(SubscriberError):
    """A language, theme, list name or frequency is malformed or not configured."""


class UnknownList(SubscriberError):
    """No list has that name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown list {name!r}")
        self.name = name


class DuplicateList(SubscriberError):
    """A list with that name exists already."""

    def __init__(self, name: str) -> None:
        super().__init__(f"list {name!r} exists already")
        self.name = name


class UnknownSubscriber(SubscriberError):
    """No subscriber has that address or id."""


class DuplicateSubscriber(SubscriberError):
    """The address is a subscriber already."""


class NotSubscribed(SubscriberError):
    """The subscriber is not on that list."""


class WrongStatus(SubscriberError):
    """The subscriber's status does not allow the operation."""


class ErasedAddress(SubscriberError):
    """The address was erased on request; only an explicit resubscribe brings it back."""

    def __init__(self, email: str) -> None:
        super().__init__(
            f"{email} was erased at the person's request and is never mailed again; "
            "add it with --resubscribe only if the person asked to come back"
        )
        self.email = email


class MissingSecret(SubscriberError):
    """The site secret is needed (erase, erased-address checks, tokens) and is not set."""


class InvalidToken(SubscriberError):
    """A token is forged, tampered with, expired or meant for another purpose."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}")
        self.reason = reason


class ImportStopped(SubscriberError):
    """A CSV import stopped at a database error; the batches before it are imported."""

    def __init__(self, *, imported: int, line: int, cause: Exception) -> None:
        reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()[0]
        super().__init__(
            f"import stopped at line {line} ({reason}): {imported} row(s) before it are "
            "imported, none from it on; run the import again to import the rest"
        )
        self.imported = imported
        self.line = line
