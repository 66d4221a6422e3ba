"""Dates for readers: an instant shown in the site's time zone and worded in a language.

Every date a person reads (pages, newsletters) goes through here, so "31 août 2016" and
"31 augustus 2016" come from Babel's CLDR data rather than from hand-made month names, and
a new language needs no code. Machine-readable dates (feeds, JSON-LD) use `to_local` and
`isoformat()` instead: RFC 3339 with the zone's offset of that day (+01:00 or +02:00).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_date_format

from syndication.translations import N_, translator

# The catalog's word for the first day of a month in a date ("1er" in French); a language
# whose catalog leaves it untranslated writes the plain number.
FIRST_OF_MONTH = N_("1st (the first day of a month, in a date)")


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def to_local(value: datetime, tz: tzinfo) -> datetime:
    """The same instant, expressed in `tz` (for RFC 3339 / RFC 822 output)."""
    return value.astimezone(tz)


def format_long_date(value: datetime, locale: str, tz: tzinfo) -> str:
    """The day of `value` in `tz`, worded in `locale`: "31 août 2016", "1er décembre 2026"."""
    day = to_local(value, tz).date()
    if day.day == 1:
        return format_date(day, _first_of_month_pattern(locale), locale=_locale(locale))
    return format_date(day, "long", locale=_locale(locale))


def _first_of_month_pattern(locale: str) -> str:
    """CLDR's long date pattern with its day field (`d`) replaced by the catalog's ordinal."""
    ordinal = translator(locale).gettext(FIRST_OF_MONTH)
    if ordinal == FIRST_OF_MONTH:
        ordinal = "1"
    pattern = get_date_format("long", locale=_locale(locale)).pattern
    out, quoted, index = [], False, 0
    while index < len(pattern):
        character = pattern[index]
        end = index + 1
        if character == "'":
            quoted = not quoted
        elif character == "d" and not quoted:
            while end < len(pattern) and pattern[end] == "d":
                end += 1
            if end - index == 1:  # `d` alone is the day of the month ("dd" pads: left as is)
                out.append("'" + ordinal.replace("'", "''") + "'")
                index = end
                continue
        out.append(pattern[index:end])
        index = end
    return "".join(out)


def format_time_local(value: datetime, locale: str, tz: tzinfo) -> str:
    """The clock time of `value` in `tz`, in `locale`'s short format: "15:50"."""
    return format_time(to_local(value, tz).time(), "short", locale=_locale(locale))


def format_datetime_local(value: datetime, locale: str, tz: tzinfo) -> str:
    """Day and time of `value` in `tz`, joined the way `locale` joins them."""
    pattern = _locale(locale).datetime_formats["long"]
    # CLDR's combining pattern: {1} is the date, {0} the time, quoted literals like 'à'.
    joined = str(pattern).replace("'", "")
    return joined.replace("{1}", format_long_date(value, locale, tz)).replace(
        "{0}", format_time_local(value, locale, tz)
    )


@lru_cache(maxsize=64)
def language_name(language: str) -> str:
    """A language's own name for itself, capitalised for a link: "Français", "Nederlands"."""
    name = _locale(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
