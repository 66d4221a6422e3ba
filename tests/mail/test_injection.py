"""No release, subscriber or config text can add a header to a newsletter."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from syndication.config import Settings
from syndication.contacts import Contact
from syndication.mail import MailKind, compose_mailing
from syndication.mail.headers import header_text
from syndication.releases import LanguageVersion, Release
from tests.mail.conftest import SEED, html_of, parse, personalise_for, text_of
from tests.mail.test_compose import EXPECTED_HEADERS

ATTACKS = [
    "Title\r\nBcc: evil@example.org",
    "Title\nBcc: evil@example.org",
    "Title\rBcc: evil@example.org",
    "Title\r\n\r\n<script>alert(1)</script>",
    "Title\u2028Bcc: evil@example.org",
    "Title\x85Bcc: evil@example.org",
    "Title\x00\x0bBcc: evil@example.org",
    "=?utf-8?q?Title=0D=0ABcc:_evil@example.org?=",
]


def with_title(release: Release, title: str) -> Release:
    versions = {
        language: dataclasses.replace(version, title=title)
        for language, version in release.versions.items()
    }
    return dataclasses.replace(release, versions=versions)


def assert_clean(raw: bytes) -> None:
    message = parse(raw)
    assert set(message.keys()) == EXPECTED_HEADERS
    assert len(message.keys()) == len(EXPECTED_HEADERS)
    assert "Bcc" not in message
    assert message.defects == []
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html",
    ]


def compose_alert(settings: Settings, release: Release, list_id: str = "press") -> bytes:
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(release,), languages=("fr", "nl"),
        list_id=list_id,
    )
    return personalise_for(template)


@pytest.mark.parametrize("title", ATTACKS)
def test_title_cannot_inject_a_header(
    settings: Settings, releases: Mapping[str, Release], title: str
) -> None:
    raw = compose_alert(settings, with_title(releases[SEED], title))
    assert_clean(raw)
    subject = parse(raw)["Subject"]
    assert "\n" not in subject
    assert "\r" not in subject
    assert "Title" in subject


def test_title_with_markup_is_escaped_in_html(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    raw = compose_alert(settings, with_title(releases[SEED], '<script>alert("x")</script>'))
    assert_clean(raw)
    html = html_of(parse(raw))
    assert "<script" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("name", ATTACKS)
def test_contact_name_and_role_cannot_inject_a_header(
    settings: Settings, releases: Mapping[str, Release], name: str
) -> None:
    contact = Contact(name=name, role={"fr": name, "nl": name}, phone="+32473636124",
                      email="press@minsoc.fed.be")
    raw = compose_alert(settings, dataclasses.replace(releases[SEED], contacts=(contact,)))
    assert_clean(raw)
    message = parse(raw)
    assert "tel:+32473636124" in text_of(message)
    assert 'href="tel:+32473636124"' in html_of(message)


@pytest.mark.parametrize(
    "list_id", ["press\r\nBcc: evil@example.org", "press\nX: y", "Press", "a b", "", "press."]
)
def test_list_id_must_be_a_list_name(
    settings: Settings, releases: Mapping[str, Release], list_id: str
) -> None:
    with pytest.raises(ValueError, match="list name"):
        compose_alert(settings, releases[SEED], list_id=list_id)


def test_list_label_from_config_cannot_inject(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    lists = dict(settings.lists)
    lists["press"] = dataclasses.replace(
        lists["press"], label={"fr": "Presse\r\nBcc: evil@example.org <x>", "nl": "Pers"}
    )
    raw = compose_alert(dataclasses.replace(settings, lists=lists), releases[SEED])
    assert_clean(raw)
    assert parse(raw)["List-Id"].endswith("<press.press.example.be>")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("from_address", "Press\r\nBcc: evil@example.org <press@minsoc.fed.be>"),
        ("from_address", "Press <press@minsoc.fed.be>, evil@example.org"),
        ("from_address", "no address"),
        ("reply_to", "press@minsoc.fed.be\r\nBcc: evil@example.org"),
    ],
)
def test_sender_from_config_must_be_one_clean_mailbox(
    settings: Settings, releases: Mapping[str, Release], key: str, value: str
) -> None:
    mail = dataclasses.replace(settings.mail, **{key: value})
    with pytest.raises(ValueError, match=r"\[mail\]"):
        compose_alert(dataclasses.replace(settings, mail=mail), releases[SEED])


def test_quoted_sender_name_is_read(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    mail = dataclasses.replace(settings.mail, from_address='"Presse, SPF" <press@minsoc.fed.be>')
    message = parse(compose_alert(dataclasses.replace(settings, mail=mail), releases[SEED]))
    assert message["From"].addresses[0].display_name == "Presse, SPF"
    assert message["From"].addresses[0].addr_spec == "press@minsoc.fed.be"


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(min_size=1, max_size=300))
def test_any_unicode_title_survives_as_the_subject(
    settings: Settings, releases: Mapping[str, Release], title: str
) -> None:
    raw = compose_alert(settings, with_title(releases[SEED], title))
    assert_clean(raw)
    expected = header_text(title)
    subject = parse(raw)["Subject"]
    assert " ".join(subject.split()) == " ".join(expected.split())


def test_body_text_keeps_unicode_and_drops_8bit_forbidden_controls(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    release = releases[SEED]
    body = "<p>Zoë – 北京 – 🇧🇪 a\x00b\x0bc\rd</p>"
    versions = {
        language: LanguageVersion(language, version.title, version.summary, body, None)
        for language, version in release.versions.items()
    }
    raw = compose_alert(settings, dataclasses.replace(release, versions=versions))
    assert_clean(raw)
    message = parse(raw)
    for body in (text_of(message), html_of(message)):
        assert "Zoë – 北京 – 🇧🇪 ab" in body
    assert b"\x00" not in raw
    assert b"\x0b" not in raw
    assert b"\r" not in raw.replace(b"\r\n", b"")
