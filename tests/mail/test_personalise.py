"""Per-recipient substitution: one rendering, many correct messages, nothing else changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pytest

from syndication.config import Settings
from syndication.mail import MailKind, MessageTemplate, compose_mailing
from syndication.mail.message import LINE_LIMIT, rfc5322_date
from syndication.releases import Release
from tests.mail.conftest import SEED, WHEN, html_of, parse, personalise_for, text_of

GOOD = {
    "to": "jane@example.org",
    "message_id": "<d1.m1@press.example.be>",
    "unsubscribe_url": "https://press.example.be/unsubscribe/t1",
    "preferences_url": "https://press.example.be/preferences/t2",
    "date": WHEN,
}


@pytest.fixture(scope="module")
def template(settings: Settings, releases: Mapping[str, Release]) -> MessageTemplate:
    return compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("fr", "nl"),
        list_id="press",
    )


def test_two_recipients_each_get_their_own_values_in_both_parts(
    template: MessageTemplate,
) -> None:
    for me, other in (("alpha7", "bravo7"), ("bravo7", "alpha7")):
        message = parse(personalise_for(template, me))
        assert message.defects == []
        assert message["To"] == f"{me}@example.org"
        assert message["Message-ID"] == f"<{me}.1@press.example.be>"
        assert message["List-Unsubscribe"] == f"<https://press.example.be/unsubscribe/{me}-u-token>"
        for body in (text_of(message), html_of(message)):
            assert f"{me}@example.org" in body
            assert f"https://press.example.be/unsubscribe/{me}-u-token" in body
            assert f"https://press.example.be/preferences/{me}-p-token" in body
            assert other not in body


def test_messages_differ_only_in_recipient_values(template: MessageTemplate) -> None:
    alpha = personalise_for(template, "alpha7")
    bravo = personalise_for(template, "bravo7")
    assert alpha.replace(b"alpha7", b"bravo7") == bravo


def test_no_placeholder_is_left(template: MessageTemplate) -> None:
    raw = personalise_for(template)
    assert len(template.holes) >= 6  # address, unsubscribe, preferences; in both parts
    assert b"zz" not in raw


def test_urls_are_escaped_for_html_and_raw_in_text_and_header(
    template: MessageTemplate,
) -> None:
    url = "https://press.example.be/unsubscribe?token=a1&list=press"
    message = parse(template.personalise(**{**GOOD, "unsubscribe_url": url}))
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert url in text_of(message)
    html = html_of(message)
    assert 'href="https://press.example.be/unsubscribe?token=a1&amp;list=press"' in html
    assert url not in html


def test_address_is_escaped_in_html(template: MessageTemplate) -> None:
    address = "o'brien&co@example.org"
    message = parse(template.personalise(**{**GOOD, "to": address}))
    assert message["To"] == address
    assert address in text_of(message)
    assert "o&#x27;brien&amp;co@example.org" in html_of(message)


def test_international_address_goes_into_to_as_utf8(template: MessageTemplate) -> None:
    message = parse(template.personalise(**{**GOOD, "to": "élise@exemple.be"}))
    assert message["To"] == "élise@exemple.be"
    assert "élise@exemple.be" in text_of(message)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", "jane@example.org\r\nBcc: evil@example.org"),
        ("to", "jane@example.org\nBcc: evil@example.org"),
        ("to", "Jane <jane@example.org>"),
        ("to", "a@b.org, c@d.org"),
        ("to", "no-at-sign"),
        ("message_id", "<a@b>\r\nBcc: evil@example.org"),
        ("message_id", "<a b@c>"),
        ("message_id", "no-at-sign"),
        ("unsubscribe_url", "https://press.example.be/u\r\nBcc: evil@example.org"),
        ("unsubscribe_url", "javascript:alert(1)"),
        ("unsubscribe_url", "https://press.example.be/u>, <https://evil.example"),
        ("preferences_url", 'https://press.example.be/p" onclick="x'),
        ("preferences_url", "https://press.example.be/" + "p" * 400),
    ],
)
def test_bad_recipient_values_are_refused(
    template: MessageTemplate, field: str, value: str
) -> None:
    with pytest.raises(ValueError, match=r"not |longer than"):
        template.personalise(**{**GOOD, field: value})


def test_naive_date_is_refused(template: MessageTemplate) -> None:
    with pytest.raises(ValueError, match="aware"):
        template.personalise(**{**GOOD, "date": datetime(2027, 1, 1)})


def test_message_id_gets_its_brackets(template: MessageTemplate) -> None:
    message = parse(template.personalise(**{**GOOD, "message_id": "d1.m1@press.example.be"}))
    assert message["Message-ID"] == "<d1.m1@press.example.be>"


def test_a_list_message_cannot_skip_its_unsubscribe_links(template: MessageTemplate) -> None:
    with pytest.raises(TypeError):
        template.personalise_notice(to="jane@example.org", message_id="<a@b>", date=WHEN)


def test_every_line_fits_rfc5322_with_the_longest_values(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    release = releases[SEED]
    giant = "<p>" + " ".join(["mot"] * 3000) + "</p><p>" + "x" * 5000 + "</p>"
    version = release.versions["fr"]
    long_release = Release(**{
        **{name: getattr(release, name) for name in Release.__dataclass_fields__},
        "versions": {"fr": type(version)(
            language="fr", title=version.title, summary=version.summary,
            body_html=giant, more_info_html=None,
        )},
    })
    template = compose_mailing(
        settings, kind=MailKind.ALERT, releases=(long_release,), languages=("fr",),
        list_id="press",
    )
    longest = "https://press.example.be/u/" + "a" * 270
    raw = template.personalise(**{**GOOD, "unsubscribe_url": longest, "preferences_url": longest})
    assert max(len(line) for line in raw.split(b"\r\n")) <= LINE_LIMIT
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    message = parse(raw)
    assert message.defects == []
    text = text_of(message)
    assert text.count("mot") >= 3000
    assert "x" * 5000 in text.replace(" ", "")  # cut into lines, no character lost
    assert longest in text
    assert longest in html_of(message)


def test_rfc5322_date_matches_the_stdlib() -> None:
    from email.utils import format_datetime

    for moment in (WHEN, datetime.fromisoformat("2016-08-31T15:50:07+02:00"),
                   datetime.fromisoformat("2020-01-01T00:00:00-03:30")):
        assert rfc5322_date(moment) == format_datetime(moment)
