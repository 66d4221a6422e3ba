"""`[log]` of the config: the format of `run`'s log (`syndication.logs` writes it).

Apart from the formatters so that reading a config never imports the JSON logger.
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.tomlfields import Fields

FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class LogSettings:
    """The `[log]` table."""

    format: str = "text"


def read_log_settings(fields: Fields) -> LogSettings:
    """Read the `[log]` table (every key checked, unknown ones refused)."""
    settings = LogSettings(format=fields.choice("format", FORMATS, default="text"))
    fields.finish()
    return settings
