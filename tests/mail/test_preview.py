"""`render_preview`: what the `preview` command prints or saves."""

from __future__ import annotations

from collections.abc import Mapping

from syndication.config import Settings
from syndication.mail import MailKind, render_preview
from syndication.releases import Release
from tests.mail.conftest import EMBARGOED, SEED, WHEN, html_of, parse, text_of


def test_html_preview_is_the_inlined_newsletter(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    html = render_preview(settings, releases[SEED], ["nl"], fmt="html")
    assert html.startswith("<!DOCTYPE html>")
    assert "31 augustus 2016" in html
    assert 'href="tel:+32473636124"' in html
    assert "<style" not in html


def test_text_preview_is_the_text_part(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    text = render_preview(settings, releases[SEED], ["fr", "nl"], fmt="text")
    assert text.index("Le SPF Sécurité sociale") < text.index("De FOD Sociale Zekerheid deelt")
    assert "<tel:+32473636124>" in text


def test_eml_preview_is_a_whole_message(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    raw = render_preview(
        settings, releases[EMBARGOED], ["fr"], fmt="eml", kind=MailKind.EMBARGO,
        to="editor@example.org", date=WHEN,
    )
    message = parse(raw)
    assert message["To"] == "editor@example.org"
    assert message["Subject"].startswith("EMBARGO jusqu'au 15 mars 2027 à 10:00")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Date"].datetime == WHEN
    assert "EMBARGO jusqu'au 15 mars 2027 à 10:00" in text_of(message)
    assert "EMBARGO jusqu'au 15 mars 2027 à 10:00" in html_of(message)
