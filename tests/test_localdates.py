"""Dates for readers: worded by Babel in the language, in the site's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from syndication.localdates import (
    format_datetime_local,
    format_long_date,
    format_time_local,
    language_name,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "31 août 2016"), ("nl", "31 augustus 2016"), ("de", "31. August 2016")],
)
def test_long_dates_are_worded_in_the_language(language: str, expected: str) -> None:
    # 23:30 UTC is already the next day in Brussels: the zone decides the day.
    assert format_long_date(datetime(2016, 8, 30, 22, 30, tzinfo=UTC), language, BRUSSELS) == (
        expected
    )


def test_times_follow_the_zone_offset_of_the_day() -> None:
    summer = datetime(2016, 8, 31, 13, 50, tzinfo=UTC)
    winter = datetime(2020, 11, 17, 9, 0, tzinfo=UTC)
    assert format_time_local(summer, "fr", BRUSSELS) == "15:50"
    assert format_time_local(winter, "nl", BRUSSELS) == "10:00"
    assert format_datetime_local(summer, "nl", BRUSSELS) == "31 augustus 2016, 15:50"
    assert language_name("fr") == "Français"
    assert language_name("nl") == "Nederlands"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1er décembre 2026"), ("nl", "1 december 2026")],
)
def test_the_first_of_a_month_is_worded_by_the_catalog(language: str, expected: str) -> None:
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert format_long_date(first, language, BRUSSELS) == expected
    assert format_datetime_local(first, language, BRUSSELS).startswith(expected)
    # Other days keep CLDR's plain number.
    second = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert format_long_date(second, language, BRUSSELS) == expected.replace("1er", "1").replace(
        "1 ", "2 ", 1)


def test_a_language_without_the_word_writes_the_plain_number() -> None:
    assert format_long_date(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "de", BRUSSELS) == (
        "1. Dezember 2026")
