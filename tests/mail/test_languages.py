"""A third language is configuration: a config line and `de` fields render with no code."""

from __future__ import annotations

from pathlib import Path

from syndication.config import load_settings
from syndication.mail import MailKind, compose_mailing
from syndication.releases import load_releases
from syndication.resources import TEMPLATES_DIR
from tests.mail.conftest import SEED, html_of, parse, personalise_for, text_of

GERMAN = """
[de]
title = "Der FÖD Soziale Sicherheit teilt seine Erfahrung mit der chinesischen Abteilung"
summary = "Eine chinesische Delegation auf hoher Ebene war zu Gast."
body = "Eine chinesische Delegation auf hoher Ebene war zu Gast in Brüssel."
"""


def test_german_needs_only_config_and_release_fields(example_site: Path) -> None:
    config = example_site.read_text(encoding="utf-8")
    config = config.replace('languages = ["fr", "nl"]', 'languages = ["fr", "nl", "de"]')
    config = config.replace(
        'nl = "FOD Sociale Zekerheid" }', 'nl = "FOD Sociale Zekerheid", de = "FÖD Soziale Sicherheit" }'
    )
    example_site.write_text(config, encoding="utf-8")
    seed = example_site.parent / "releases" / f"{SEED}.toml"
    seed.write_text(seed.read_text(encoding="utf-8") + GERMAN, encoding="utf-8")
    settings = load_settings(example_site)
    loaded = load_releases(settings, use_cache=False)
    assert loaded.problems == ()
    release = next(release for release in loaded.releases if release.id == SEED)

    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(release,), languages=("de", "fr"),
        list_id="press",
    )
    message = parse(personalise_for(template))
    assert message["Subject"] == release.versions["de"].title
    assert message["Content-Language"] == "de, fr"
    for body in (text_of(message), html_of(message)):
        assert "31. August 2016" in body  # Babel's CLDR data, no code
        assert "FÖD Soziale Sicherheit" in body
        assert "tel:+32473636124" in body
        assert "https://press.example.be/de/2016-08-31-belincosoc-china.html" in body
        assert body.index("Der FÖD Soziale Sicherheit teilt") < body.index("Le SPF Sécurité")
    assert not any("de" in path.stem.split(".") for path in TEMPLATES_DIR.glob("email/*"))
