"""Errors raised by the storage package.

    StorageError
    └── NaiveDatetime     a time without a UTC offset was given to a UTCDateTime column

SQLAlchemy's own errors (a lost connection, a constraint violated) pass through as they are.
"""

from __future__ import annotations

from datetime import datetime


class StorageError(Exception):
    """Root of every error this package raises."""


class NaiveDatetime(StorageError, ValueError):
    """A naive datetime was bound to a UTCDateTime column: times must be aware."""

    def __init__(self, value: datetime) -> None:
        super().__init__(f"naive datetime {value.isoformat()} given; times must be aware")
        self.value = value
