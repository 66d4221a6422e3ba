"""Interface words of the static site in every configured language, every template."""

from __future__ import annotations

from syndication.config import Settings
from syndication.releases import load_releases
from syndication.site.templates import SITE_TEMPLATES_DIR
from syndication.site.words import MESSAGES, WORDS, site_gettext, translate
from tests.site.building import build


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
