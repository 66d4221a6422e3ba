"""Interface words in every configured language, dates worded by Babel, every template."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from syndication.config import Settings
from syndication.localdates import (
    format_datetime_local,
    format_long_date,
    format_time_local,
    language_name,
)
from syndication.releases import load_releases
from syndication.site_templates import SITE_TEMPLATES_DIR
from syndication.site_words import MESSAGES, WORDS, site_gettext, translate
from tests.site.building import build

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_every_message_is_translated_in_every_configured_language(
    example_settings: Settings,
) -> None:
    for language in example_settings.languages:
        table = WORDS[language]
        assert set(table) == set(MESSAGES), language
        assert all(text.strip() for text in table.values())
        # Placeholders survive translation.
        for message, text in table.items():
            assert ("%(" in message) == ("%(" in text), (language, message)


def test_every_template_message_is_declared() -> None:
    used = set()
    for template in SITE_TEMPLATES_DIR.glob("*.html"):
        text = template.read_text("utf-8")
        for quote in ('"', "'"):
            for part in text.split(f"_({quote}")[1:]:
                used.add(part.split(f"{quote})", 1)[0])
    assert used
    assert used <= set(MESSAGES), used - set(MESSAGES)


def test_unknown_language_reads_english() -> None:
    assert translate("de", "More information") == "More information"
    assert site_gettext("fr")("More information") == "Plus d'information"


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


def test_every_template_renders_in_every_configured_language(
    example_settings: Settings,
) -> None:
    build(example_settings)
    releases = load_releases(example_settings).releases
    bilingual = [r for r in releases if set(r.languages) == set(example_settings.languages)]
    assert bilingual
    for language in example_settings.languages:
        home = (example_settings.output_dir / language / "index.html").read_text("utf-8")
        assert f'<html lang="{language}">' in home
        assert site_gettext(language)("Latest press releases") in home
        page = example_settings.output_dir / language / f"{bilingual[0].id}.html"
        assert site_gettext(language)("Press contacts") in page.read_text("utf-8")
