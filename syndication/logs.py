"""How `run` writes its log (`[log]`, read by `log_settings`): one line per event, timed.

`format = "text"` (the default) writes `TIME LEVEL LOGGER MESSAGE`; `format = "json"` writes
one JSON object per line (python-json-logger): `time`, `level`, `logger`, `message` and the
event's own fields (a tick's `releases_published` and `mailings_planned`, a request's
`route` and `status`), for a log shipper to index. Times are ISO 8601 in the site's
timezone with the offset (`2026-03-29T10:00:00.000+02:00`): the zone people read the site
in, never ambiguous across a daylight-saving change.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import IO
from zoneinfo import ZoneInfo

from pythonjsonlogger.json import JsonFormatter

from syndication.log_settings import LogSettings

QUIET = ("apscheduler", "alembic", "uvicorn", "uvicorn.error")  # their information is noise


def local_timestamp(created: float, timezone: ZoneInfo) -> str:
    """A record's creation time in `timezone`, ISO 8601 with milliseconds and the offset."""
    return datetime.fromtimestamp(created, timezone).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`TIME LEVEL LOGGER MESSAGE`, the time with its offset."""

    def __init__(self, timezone: ZoneInfo) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self._timezone = timezone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The local time with its offset."""
        return local_timestamp(record.created, self._timezone)


class JsonLineFormatter(JsonFormatter):
    """One JSON object per record; `time` with its offset."""

    def __init__(self, timezone: ZoneInfo) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
        self._timezone = timezone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The local time with its offset."""
        return local_timestamp(record.created, self._timezone)


def configure_logging(
    settings: LogSettings, timezone: ZoneInfo, *, stream: IO[str] | None = None
) -> logging.Handler:
    """Send every record of level INFO and above to `stream` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter: logging.Formatter = (
        JsonLineFormatter(timezone) if settings.format == "json" else TextFormatter(timezone)
    )
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
