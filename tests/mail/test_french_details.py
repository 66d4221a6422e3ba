"""French (and Dutch) details of the emails, all from the catalogs and the config: the
organisation's name with its article in a sentence, and the time a page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from syndication.branding import Branding
from syndication.config import Settings
from syndication.mail import MailKind, compose_confirmation, compose_mailing
from syndication.pages.frame import page_frame
from syndication.pages.release import view_release
from syndication.releases import Release
from tests.mail.conftest import SEED, html_of, parse, personalise_for, text_of


def confirmation_text(settings: Settings, language: str) -> str:
    message = parse(compose_confirmation(
        settings, to="jane@example.org", language=language,
        confirm_url="https://press.example.be/confirm/t", message_id="<c.1@press.example.be>",
        date=datetime(2027, 3, 15, 6, 0, tzinfo=UTC),
    ))
    return " ".join(text_of(message).split()) + " ".join(html_of(message).split())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("fr", "publiés par le SPF Sécurité sociale"),
     ("nl", "van de FOD Sociale Zekerheid")],
)
def test_a_sentence_names_the_organisation_with_its_article(
    settings: Settings, language: str, sentence: str,
) -> None:
    assert sentence in confirmation_text(settings, language)
    # Without `name_in_sentence`, the name itself.
    plain = replace(settings, branding=replace(settings.branding, name_in_sentence={}))
    assert sentence not in confirmation_text(plain, language)
    assert Branding().name_in_sentence == {}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_alert_and_a_digest_give_the_time_as_the_page_does(
    settings: Settings, releases: Mapping[str, Release], language: str,
) -> None:
    release = releases[SEED]
    frame = page_frame(settings, language=language, path=f"{language}/{SEED}.html",
                       paths_by_language={}, feed_folder=language, feed_title="")
    shown = view_release(settings, release, language, frame).published_text
    assert "15:50" in shown
    for kind in (MailKind.ALERT, MailKind.DIGEST):
        message = parse(personalise_for(compose_mailing(
            settings, kind=kind, releases=(release,), languages=(language,),
            list_id="press")))
        for body in (text_of(message), html_of(message)):
            assert shown in body, kind
