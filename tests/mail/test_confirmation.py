"""The double opt-in email: in the chosen language, with no text from outside but the address."""

from __future__ import annotations

import re

import pytest

from syndication.config import Settings
from syndication.mail import compose_confirmation
from tests.mail.conftest import WHEN, html_of, parse, text_of

CONFIRM = "https://press.example.be/confirm/abc.DEF-123_x"


def confirmation(settings: Settings, to: str = "jane@example.org", language: str = "fr") -> bytes:
    return compose_confirmation(
        settings, to=to, language=language, confirm_url=CONFIRM,
        message_id="<confirm.1@press.example.be>", date=WHEN,
    )


@pytest.mark.parametrize(
    ("language", "subject", "button"),
    [
        ("fr", "Confirmez votre abonnement", "Confirmer mon abonnement"),
        ("nl", "Bevestig uw abonnement", "Mijn abonnement bevestigen"),
    ],
)
def test_confirmation_is_in_the_chosen_language(
    settings: Settings, language: str, subject: str, button: str
) -> None:
    message = parse(confirmation(settings, language=language))
    assert message["Subject"].startswith(subject)
    assert message["Content-Language"] == language
    for body in (text_of(message), html_of(message)):
        assert button in body
        assert CONFIRM in body
        assert "jane@example.org" in body
        assert "7" in body  # the link's lifetime


def test_confirmation_headers(settings: Settings) -> None:
    message = parse(confirmation(settings))
    assert set(message.keys()) == {
        "Date", "To", "Message-ID", "Subject", "From", "Reply-To", "Content-Language",
        "MIME-Version", "Content-Type", "Feedback-ID",
    }
    assert message["Feedback-ID"] == "confirmation:subscribe:fr:press.example.be"
    assert message["To"] == "jane@example.org"
    assert message["Message-ID"] == "<confirm.1@press.example.be>"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html",
    ]
    assert message.defects == []


def test_the_address_is_the_only_text_from_outside(settings: Settings) -> None:
    def unified(address: str) -> bytes:
        raw = confirmation(settings, to=address)
        boundary = re.search(rb'boundary="([^"]+)"', raw)
        assert boundary is not None
        return raw.replace(boundary.group(1), b"BOUNDARY").replace(address.encode(), b"ADDRESS")

    assert unified("first.person@example.org") == unified("someone-else@example.net")


def test_an_address_with_markup_characters_is_escaped(settings: Settings) -> None:
    message = parse(confirmation(settings, to="o'brien&co@example.org"))
    assert "o&#x27;brien&amp;co@example.org" in html_of(message)
    assert "o'brien&co@example.org" in text_of(message)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", "jane@example.org\r\nBcc: evil@example.org"),
        ("confirm_url", "https://press.example.be/confirm/x\r\nBcc: evil@example.org"),
        ("confirm_url", "javascript:alert(1)"),
        ("language", "de"),
    ],
)
def test_bad_values_are_refused(settings: Settings, field: str, value: str) -> None:
    arguments = {
        "to": "jane@example.org", "language": "fr", "confirm_url": CONFIRM,
        "message_id": "<c@press.example.be>", "date": WHEN, field: value,
    }
    with pytest.raises(ValueError, match="not"):
        compose_confirmation(settings, **arguments)  # type: ignore[arg-type]
