"""The multi-valued and enumerated fields shared by the CLI, the importer and the service.

Languages, lists and themes are written several to a cell or option, separated by ``;``
(the SPEC's separator); ``,`` and ``|`` are accepted too, because no language code, list
name or theme slug may contain any of the three. They are stored comma-joined.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from subscribers.errors import InvalidValue
from subscribers.model import Frequency

_SEPARATORS = re.compile(r"[;,|]")
MAX_TEXT = 200
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, exactly
_LIST_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def split_values(text: str) -> tuple[str, ...]:
    """Split a cell or option into its values: trimmed, empty ones dropped, first kept."""
    values = (value.strip() for value in _SEPARATORS.split(text))
    return tuple(dict.fromkeys(value for value in values if value))


def join_values(values: Iterable[str]) -> str:
    """Join values the way they are stored (comma-separated)."""
    return ",".join(values)


def check_languages(values: Sequence[str], allowed: Collection[str]) -> tuple[str, ...]:
    """Return the languages, in the given order, or raise InvalidValue naming an unknown one."""
    if not values:
        raise InvalidValue("no language given")
    for value in values:
        if value not in allowed:
            raise InvalidValue(f"unknown language {value!r} (site languages: {', '.join(allowed)})")
    return tuple(dict.fromkeys(values))


def check_themes(values: Sequence[str], allowed: Collection[str]) -> tuple[str, ...]:
    """Return the theme filter (empty means every theme), or raise InvalidValue."""
    for value in values:
        if value not in allowed:
            known = ", ".join(sorted(allowed)) or "none configured"
            raise InvalidValue(f"unknown theme {value!r} (themes: {known})")
    return tuple(dict.fromkeys(values))


def parse_frequency(text: str) -> Frequency:
    """Parse a frequency, ``immediate`` when empty, or raise InvalidValue."""
    value = text.strip().lower()
    if not value:
        return Frequency.IMMEDIATE
    try:
        return Frequency(value)
    except ValueError:
        choices = ", ".join(member.value for member in Frequency)
        raise InvalidValue(f"bad frequency {text.strip()!r} (one of: {choices})") from None


def clean_text(value: str, field: str, *, limit: int = MAX_TEXT) -> str:
    """Return a name or organisation on one line, or raise InvalidValue.

    Runs of whitespace (line breaks from a spreadsheet cell included) become one space;
    other control characters are refused (PostgreSQL cannot even store NUL).
    """
    text = " ".join(value.split())
    control = _CONTROL.search(text)
    if control is not None:
        raise InvalidValue(f"control character U+{ord(control.group()):04X} in {field}")
    if len(text) > limit:
        raise InvalidValue(f"{field} longer than {limit} characters")
    return text


def check_list_name(name: str) -> str:
    """Return a valid list name (lower-case letters, digits, - and _), or raise InvalidValue."""
    if not _LIST_NAME.fullmatch(name):
        raise InvalidValue(
            f"bad list name {name!r}: use 1 to 64 lower-case letters, digits, '-' or '_',"
            " starting with a letter or digit"
        )
    return name
