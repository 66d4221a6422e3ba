"""Interface words of the static site in every configured language, every template."""

from __future__ import annotations

from babel.messages.pofile import read_po

from syndication.config import Settings
from syndication.releases import load_releases
from syndication.resources import LOCALES_DIR
from syndication.site.templates import SITE_TEMPLATES_DIR
from syndication.translations import translator
from tests.site.building import build


def test_every_template_message_is_declared() -> None:
    with open(LOCALES_DIR / "messages.pot", "rb") as file:
        declared = {message.id for message in read_po(file) if message.id}
    used = set()
    for template in SITE_TEMPLATES_DIR.glob("*.html"):
        text = template.read_text("utf-8")
        for quote in ('"', "'"):
            for part in text.split(f"_({quote}")[1:]:
                used.add(part.split(f"{quote})", 1)[0])
    assert used
    assert used <= declared, used - declared


def test_unknown_language_reads_english() -> None:
    assert translator("de").gettext("More information") == "More information"
    assert translator("fr").gettext("More information") == "Plus d'information"


def test_every_template_renders_in_every_configured_language(
    example_settings: Settings,
) -> None:
    build(example_settings)
    releases = load_releases(example_settings).releases
    bilingual = [r for r in releases if set(r.languages) == set(example_settings.languages)]
    assert bilingual
    for language in example_settings.languages:
        _ = translator(language).gettext
        home = (example_settings.output_dir / language / "index.html").read_text("utf-8")
        assert f'<html lang="{language}">' in home
        assert _("Latest press releases") in home
        page = example_settings.output_dir / language / f"{bilingual[0].id}.html"
        assert _("Press contacts") in page.read_text("utf-8")
