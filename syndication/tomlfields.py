"""Typed reading of parsed TOML tables that records every problem instead of stopping.

A `Fields` view wraps one table: each accessor returns the value or `None` and appends a
`Problem` naming the file, the dotted field and the reason. `finish()` reports the keys
nobody asked for, so a typo (`titel`) is an error rather than silently ignored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from syndication.durations import parse_duration
from syndication.errors import Problem

# XML 1.0 "Char" production (https://www.w3.org/TR/xml/#charsets): anything else can never
# appear in a feed, whatever the escaping, so it is rejected at the door. So are DEL and the
# C1 controls U+0080-U+009F, which XML 1.0 (section 2.2) discourages and feed readers such as
# feedparser rewrite as Windows-1252 characters: in a release they are mis-decoded text.
XML_INVALID = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def find_xml_invalid(text: str) -> str | None:
    """Describe the first character XML 1.0 cannot carry, or None if the text is clean."""
    match = XML_INVALID.search(text)
    if match is None:
        return None
    return f"contains the control character U+{ord(match.group()):04X}, which XML cannot carry"


class Fields:
    """A table being read: typed accessors that record problems under `source` / `prefix`."""

    def __init__(
        self, data: Mapping[str, Any], *, source: str, problems: list[Problem], prefix: str = ""
    ) -> None:
        self.data = data
        self.source = source
        self.problems = problems
        self.prefix = prefix
        self._read: set[str] = set()

    def name(self, key: str) -> str:
        """The dotted name of `key` inside this table."""
        return f"{self.prefix}.{key}" if self.prefix else key

    def problem(self, key: str, reason: str) -> None:
        """Record a problem with `key` (an empty key means the table itself)."""
        field = self.name(key) if key else self.prefix
        self.problems.append(Problem(self.source, field, reason))

    def has(self, key: str) -> bool:
        """Whether the key is present (marks it as read)."""
        self._read.add(key)
        return key in self.data

    def _get(self, key: str, required: bool) -> Any:
        self._read.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "is required")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = False, max_length: int = 100_000) -> str | None:
        """A string, checked for XML-invalid characters and length."""
        value = self._get(key, required)
        if value is None:
            return None
        return self._check_text(key, value, max_length)

    def _check_text(self, key: str, value: Any, max_length: int) -> str | None:
        if not isinstance(value, str):
            self.problem(key, f"must be a string, not {_type_name(value)}")
            return None
        bad = find_xml_invalid(value)
        if bad is not None:
            self.problem(key, bad)
            return None
        if len(value) > max_length:
            self.problem(key, f"is {len(value)} characters long; the limit is {max_length}")
            return None
        return value

    def integer(self, key: str, *, default: int, minimum: int = 0) -> int:
        """An integer no smaller than `minimum`."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be an integer, not {_type_name(value)}")
            return default
        if value < minimum:
            self.problem(key, f"must be at least {minimum}, not {value}")
            return default
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        """A true/false value."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_type_name(value)}")
            return default
        return value

    def number(self, key: str, *, default: float, minimum: float = 0) -> float:
        """An integer or float no smaller than `minimum`."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number, not {_type_name(value)}")
            return default
        if value < minimum:
            self.problem(key, f"must be at least {minimum}, not {value}")
            return default
        return float(value)

    def aware_datetime(self, key: str, *, required: bool = False) -> datetime | None:
        """A TOML offset date-time; naive times and bare dates are errors."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, datetime):
            self.problem(
                key,
                f"must be a date and time with a UTC offset, like 2016-08-31T15:50:00+02:00, "
                f"not {_type_name(value)}",
            )
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.problem(key, "has no UTC offset (a naive time); write it like "
                         f"{value.isoformat(timespec='minutes')}+01:00")
            return None
        return value

    def duration(self, key: str, *, default: str) -> timedelta:
        """A duration string like "30s"."""
        value = self.text(key)
        try:
            return parse_duration(value if value is not None else default)
        except ValueError as error:
            self.problem(key, str(error))
            return parse_duration(default)

    def choice(self, key: str, choices: Sequence[str], *, default: str) -> str:
        """One of a fixed set of strings."""
        value = self.text(key)
        if value is None:
            return default
        if value not in choices:
            self.problem(key, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    def text_list(self, key: str, *, required: bool = False) -> list[str] | None:
        """An array of strings."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(key, f"must be an array of strings, not {_type_name(value)}")
            return None
        items: list[str] = []
        for index, item in enumerate(value):
            checked = self._check_text(f"{key}[{index}]", item, 1000)
            if checked is not None:
                items.append(checked)
        return items

    def networks(self, key: str, *, example: str) -> list[str] | None:
        """An array of IP addresses or networks ("10.0.0.1", "10.0.0.0/8"), normalised."""
        texts = self.text_list(key)
        if texts is None:
            return None
        found = []
        for text in texts:
            try:
                found.append(str(ipaddress.ip_network(text.strip(), strict=False)))
            except ValueError:
                self.problem(key, f"{text!r} is not an IP address or network like {example}")
        return found

    def localized(
        self, key: str, languages: Sequence[str], *, required: bool = False
    ) -> dict[str, str] | None:
        """A `{lang = "text"}` table (or one string, meaning every language)."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, str):
            checked = self._check_text(key, value, 10_000)
            return None if checked is None else {language: checked for language in languages}
        if not isinstance(value, dict):
            self.problem(key, f"must be a string or a table of languages, not {_type_name(value)}")
            return None
        table = self.table(key)
        assert table is not None
        texts = {}
        for language in languages:
            text = table.text(language)
            if text is not None:
                texts[language] = text
        table.finish()
        return texts

    def table(self, key: str, *, required: bool = False) -> Fields | None:
        """A sub-table as its own `Fields`."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"must be a table, not {_type_name(value)}")
            return None
        return Fields(value, source=self.source, problems=self.problems, prefix=self.name(key))

    def tables(self, key: str) -> list[Fields]:
        """An array of tables (`[[key]]`), each as its own `Fields`."""
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(key, f"must be an array of tables ([[{key}]]), not {_type_name(value)}")
            return []
        return [
            Fields(item, source=self.source, problems=self.problems,
                   prefix=f"{self.name(key)}[{index}]")
            for index, item in enumerate(value)
        ]

    def named_tables(self, key: str) -> dict[str, Fields]:
        """A table of tables keyed by name (`[themes.international]`)."""
        outer = self.table(key)
        if outer is None:
            return {}
        named = {}
        for name in outer.data:
            inner = outer.table(name)
            if inner is not None:
                named[name] = inner
        return named

    def finish(self) -> None:
        """Report every key that no accessor read."""
        for key in self.data:
            if key not in self._read:
                self.problem(key, "is not a known field")


def _type_name(value: object) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             list: "an array", dict: "a table", datetime: "a date-time"}
    for kind, name in names.items():
        if type(value) is kind:
            return name
    return f"a {type(value).__name__}"
