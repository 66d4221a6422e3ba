"""Logs that cannot flood: the same error repeated is written once, then counted.

A failure that repeats many times a second (a full descriptor table, an unreachable
database) once wrote 146 MB of identical tracebacks in 25 s. `RepeatFilter`, on the
service's log handlers, lets the first record of a kind through, drops the same kind for
`WINDOW` seconds, and then writes the next one with how many were dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

WINDOW = 60.0  # seconds during which the same record is counted, not written
_Key = tuple[str, int, str, str]


class RepeatFilter(logging.Filter):
    """Write a record once per `window` per kind; say how many repeats were dropped."""

    def __init__(self, window: float = WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._window = window
        self._clock = clock
        self._seen: dict[_Key, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a repeat within the window; the first one after it carries the count."""
        if record.levelno < logging.WARNING:
            return True  # information is not repeated in bursts; never hide it
        key = _kind(record)
        now = self._clock()
        since, dropped = self._seen.get(key, (None, 0))
        if since is not None and now - since < self._window:
            self._seen[key] = (since, dropped + 1)
            return False
        if len(self._seen) > 1000:  # kinds seen long ago are forgotten
            self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self._window}
        self._seen[key] = (now, 0)
        if dropped:
            record.msg = (
                f"{record.getMessage()} (repeated {dropped:,} times "
                f"in the last {self._window:g} s)"
            )
            record.args = ()
            record.exc_info = None  # the traceback was written with the first one
            record.exc_text = None
        return True


def _kind(record: logging.LogRecord) -> _Key:
    # The template's first line, not the formatted text: asyncio and uvicorn put a socket
    # or an address in the later lines, which would make every repeat look new.
    template = str(record.msg).split("\n", 1)[0]
    error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
    return record.name, record.levelno, template, error


def quiet_repeats(logger: logging.Logger | None = None) -> None:
    """Put a `RepeatFilter` on the handlers of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter())
