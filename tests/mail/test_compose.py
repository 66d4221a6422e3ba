"""Composed mailings, parsed back with the stdlib parser as a mail client would."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone

import pytest

from syndication.config import Settings
from syndication.mail import MailKind, compose_mailing
from syndication.releases import Release
from tests.mail.conftest import (
    EMBARGOED,
    FRENCH_ONLY,
    SEED,
    WHEN,
    html_of,
    parse,
    personalise_for,
    text_of,
)

EXPECTED_HEADERS = {
    "Date", "To", "Message-ID", "List-Unsubscribe", "Subject", "From", "Reply-To",
    "Content-Language", "List-Id", "List-Unsubscribe-Post", "MIME-Version", "Content-Type",
    "Feedback-ID",
}


def alert(settings: Settings, release: Release, *languages: str) -> bytes:
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(release,), languages=languages,
        list_id="press",
    )
    return personalise_for(template)


def test_alert_is_multipart_alternative_utf8_with_both_parts(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    message = parse(alert(settings, releases[SEED], "fr"))
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "8bit"
    assert message.defects == []


def test_headers_are_those_specified(settings: Settings, releases: Mapping[str, Release]) -> None:
    message = parse(alert(settings, releases[SEED], "fr"))
    assert set(message.keys()) == EXPECTED_HEADERS
    assert len(message.keys()) == len(EXPECTED_HEADERS)  # none twice
    assert message["MIME-Version"] == "1.0"
    assert message["From"].addresses[0].addr_spec == "press@minsoc.fed.be"
    assert message["From"].addresses[0].display_name == "Service de presse / Persdienst"
    assert message["Reply-To"].addresses[0].addr_spec == "press@minsoc.fed.be"
    assert message["To"] == "jane@example.org"
    # Gmail's feedback loop: kind, list, language, then the site as SenderId.
    assert message["Feedback-ID"] == "alert:press:fr:press.example.be"
    assert message["Message-ID"] == "<jane.1@press.example.be>"
    assert message["Date"].datetime == WHEN
    assert message["List-Id"] == "Journalistes <press.press.example.be>"
    assert message["List-Unsubscribe"] == "<https://press.example.be/unsubscribe/jane-u-token>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Content-Language"] == "fr"
    assert message["Subject"] == releases[SEED].versions["fr"].title


def test_non_ascii_headers_are_rfc2047_encoded(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    raw = alert(settings, releases[SEED], "fr")
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # nothing but ASCII in the header block
    assert b"=?utf-8?" in head
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))


@pytest.mark.parametrize(
    ("language", "date", "words"),
    [
        ("fr", "31 août 2016", ["Contacts presse", "Plus d'information", "Se désabonner"]),
        ("nl", "31 augustus 2016", ["Perscontacten", "Meer informatie", "Uitschrijven"]),
    ],
)
def test_alert_is_in_the_readers_language_with_local_dates(
    settings: Settings, releases: Mapping[str, Release], language: str, date: str,
    words: list[str],
) -> None:
    release = releases[SEED]
    message = parse(alert(settings, release, language))
    assert message["Subject"] == release.versions[language].title
    assert message["Content-Language"] == language
    for body in (text_of(message), html_of(message)):
        assert date in body
        for word in words:
            assert word in body
    html = html_of(message)
    assert f'<html lang="{language}">' in html
    other = next(code for code in release.versions if code != language)
    assert release.versions[other].title not in text_of(message)


def test_contacts_and_links_are_in_both_parts(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    message = parse(alert(settings, releases[SEED], "fr"))
    text, html = text_of(message), html_of(message)
    assert 'href="tel:+32473636124"' in html
    assert 'href="mailto:koen.vleminckx@minsoc.fed.be"' in html
    assert "+32 473 63 61 24" in html
    assert "<tel:+32473636124>" in text
    assert "<mailto:koen.vleminckx@minsoc.fed.be>" in text
    assert "Directeur Coopération internationale" in text
    assert "Directeur Coopération internationale" in html
    page = "https://press.example.be/fr/2016-08-31-belincosoc-china.html"
    for body in (text, html):
        assert page in body
        assert "https://press.example.be/unsubscribe/jane-u-token" in body
        assert "https://press.example.be/preferences/jane-p-token" in body
        assert "jane@example.org" in body
        assert "SPF Sécurité sociale" in body  # organisation footer
        assert "Boulevard du Jardin" in body
        assert "https://www.socialsecurity.belgium.be" in body


def test_contacts_come_before_the_body(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    message = parse(alert(settings, releases[SEED], "fr"))
    for body in (text_of(message), html_of(message)):
        assert body.index("Koen Vleminckx") < body.index("Ce workshop s'inscrit")


def test_html_has_inlined_css_a_600px_table_and_no_script(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    html = html_of(parse(alert(settings, releases[EMBARGOED], "fr")))
    assert "<style" not in html
    assert "<script" not in html
    assert "<link" not in html
    assert 'width="600"' in html
    assert "max-width: 600px" in html
    assert 'style="' in html
    assert "Étude sur l'adéquation des pensions (PDF)" in html  # attachment
    assert 'href="https://press.example.be/files/2027-pension-adequacy-study.pdf"' in html


@pytest.mark.parametrize("order", [("fr", "nl"), ("nl", "fr")])
def test_bilingual_reader_gets_both_versions_in_preference_order(
    settings: Settings, releases: Mapping[str, Release], order: tuple[str, str]
) -> None:
    release = releases[SEED]
    message = parse(alert(settings, release, *order))
    first, second = (release.versions[language].title for language in order)
    assert message["Subject"] == first
    assert message["Content-Language"] == ", ".join(order)
    for body in (text_of(message), html_of(message)):
        assert body.index(first) < body.index(second)
    assert "Français" in text_of(message)
    assert "Nederlands" in text_of(message)


def test_reader_gets_only_the_languages_the_release_has(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[FRENCH_ONLY],),
        languages=("nl", "fr"), list_id="press",
    )
    assert template.languages == ("fr",)
    with pytest.raises(ValueError, match="reader's languages"):
        compose_mailing(
            settings, kind=MailKind.ALERT, releases=(releases[FRENCH_ONLY],),
            languages=("nl",), list_id="press",
        )


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("fr", "EMBARGO jusqu'au 15 mars 2027 à 10:00"),
        ("nl", "EMBARGO tot 15 maart 2027 om 10:00"),
    ],
)
def test_embargo_notice_names_the_public_time_in_subject_and_body(
    settings: Settings, releases: Mapping[str, Release], language: str, notice: str
) -> None:
    release = releases[EMBARGOED]
    template = compose_mailing(
        settings, kind=MailKind.EMBARGO, releases=(release,), languages=(language,),
        list_id="accredited",
    )
    message = parse(personalise_for(template))
    assert message["Subject"].startswith(notice)
    assert release.versions[language].title in message["Subject"]
    assert notice in text_of(message)
    assert notice in html_of(message)
    assert message["List-Id"].endswith("<accredited.press.example.be>")


def test_embargo_time_is_shown_in_the_site_timezone(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    release = releases[EMBARGOED]
    shifted = release.published.astimezone(timezone(timedelta(hours=-5)))  # same instant
    moved = Release(**{**_fields(release), "published": shifted})
    template = compose_mailing(
        settings, kind=MailKind.EMBARGO, releases=(moved,), languages=("fr",),
        list_id="accredited",
    )
    assert "15 mars 2027 à 10:00" in template.subject


def test_digest_lists_several_releases_with_links(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    chosen = [releases[SEED], releases[FRENCH_ONLY], releases[EMBARGOED]]
    template = compose_mailing(
        settings, kind=MailKind.DIGEST, releases=chosen, languages=("nl", "fr"),
        list_id="press",
    )
    message = parse(personalise_for(template))
    assert message["Subject"] == "FOD Sociale Zekerheid: 3 nieuwe persberichten"
    text, html = text_of(message), html_of(message)
    for body in (text, html):
        assert "2 nieuwe persberichten" in body  # the Dutch section: two have a Dutch version
        assert "3 nouveaux communiqués de presse" in body
        for release in chosen:
            for language, version in release.versions.items():
                assert version.title in body
                assert version.summary in body
                assert f"https://press.example.be/{language}/{release.id}.html" in body
        assert body.index("nieuwe persberichten") < body.index("nouveaux communiqués")
        assert "31 augustus 2016" in body
        assert "31 août 2016" in body
    assert 'href="tel:+32473636124"' in html


def test_digest_needs_releases_and_alerts_need_one(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    with pytest.raises(ValueError, match="at least one"):
        compose_mailing(settings, kind=MailKind.DIGEST, releases=(), languages=("fr",),
                        list_id="press")
    with pytest.raises(ValueError, match="carries 1"):
        compose_mailing(settings, kind=MailKind.ALERT,
                        releases=(releases[SEED], releases[EMBARGOED]), languages=("fr",),
                        list_id="press")
    with pytest.raises(ValueError, match="compose_confirmation"):
        compose_mailing(settings, kind=MailKind.CONFIRMATION, releases=(),
                        languages=("fr",), list_id="press")


def test_list_without_label_has_a_bare_list_id(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("fr",),
        list_id="made-in-the-database",
    )
    assert parse(personalise_for(template))["List-Id"] == (
        "<made-in-the-database.press.example.be>"
    )


def test_date_header_keeps_the_given_offset(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("fr",),
        list_id="press",
    )
    when = datetime(2026, 7, 1, 12, 30, 5, tzinfo=timezone(timedelta(hours=2)))
    raw = personalise_for(template, date=when)
    assert b"Date: Wed, 01 Jul 2026 12:30:05 +0200\r\n" in raw
    assert parse(raw)["Date"].datetime == when.astimezone(UTC)


def _fields(release: Release) -> dict[str, object]:
    return {name: getattr(release, name) for name in Release.__dataclass_fields__}


@pytest.mark.parametrize("kind", [MailKind.ALERT, MailKind.EMBARGO])
def test_every_example_release_composes_in_every_language_order(
    settings: Settings, releases: Mapping[str, Release], kind: MailKind
) -> None:
    for release in releases.values():
        for languages in (settings.languages, tuple(reversed(settings.languages))):
            template = compose_mailing(
                settings, kind=kind, releases=(release,), languages=languages,
                list_id="press",
            )
            assert template.languages == tuple(
                language for language in languages if language in release.versions
            )
            message = parse(personalise_for(template))
            assert message.defects == []
            assert set(message.keys()) == EXPECTED_HEADERS
            for version in release.versions.values():
                assert version.title in text_of(message)


def test_a_summary_taken_from_the_body_is_not_shown_twice(example_settings: Settings) -> None:
    from syndication.mail import render_preview
    from syndication.releases import load_releases

    (example_settings.releases_dir / "2026-03-02-lead.toml").write_text(
        'published = 2026-03-02T10:00:00+01:00\n[fr]\ntitle = "Titre"\n'
        'body = "Premier paragraphe unique.\\n\\nSecond paragraphe."\n'
        '[[contacts]]\nref = "press-service"\n', encoding="utf-8")
    releases = {r.id: r for r in load_releases(example_settings, use_cache=False).releases}
    for fmt in ("text", "html"):
        rendered = render_preview(example_settings, releases["2026-03-02-lead"], ["fr"], fmt=fmt)
        assert isinstance(rendered, str)
        assert rendered.count("Premier paragraphe unique.") == 1, fmt
    explicit = render_preview(example_settings, releases[SEED], ["fr"], fmt="text")
    assert isinstance(explicit, str)
    assert releases[SEED].versions["fr"].summary.split()[0] in explicit
