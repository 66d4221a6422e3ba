"""Fixtures of the newsletter tests: the example site, loaded once, and parsing helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import cast

import pytest

from syndication.config import Settings, load_settings
from syndication.releases import Release, load_releases
from syndication.resources import EXAMPLE_SITE_DIR

SEED = "2016-08-31-belincosoc-china"
EMBARGOED = "2027-03-15-pension-adequacy-study"
CORRECTED = "2021-06-08-telework-well-being-survey"  # `updated` and a [correction] note
FRENCH_ONLY = "2026-02-10-belincosoc-senegal"
WHEN = datetime(2027, 3, 15, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The example site's settings (read-only: nothing here writes to the site)."""
    return load_settings(EXAMPLE_SITE_DIR / "config.toml")


@pytest.fixture(scope="session")
def releases(settings: Settings) -> Mapping[str, Release]:
    """The example site's releases by id, read without the cache (nothing is written)."""
    loaded = load_releases(settings, use_cache=False)
    assert loaded.problems == ()
    return {release.id: release for release in loaded.releases}


def parse(raw: bytes) -> EmailMessage:
    """Parse bytes the way a mail client would."""
    return cast(EmailMessage, message_from_bytes(raw, policy=default))


def text_of(message: EmailMessage) -> str:
    """The decoded text/plain part, its lines unwrapped (whitespace runs as one space)."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return flat(cast(str, part.get_content()))


def html_of(message: EmailMessage) -> str:
    """The decoded text/html part, whitespace runs as one space."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return flat(cast(str, part.get_content()))


def flat(text: str) -> str:
    """`text` with every run of whitespace, line breaks included, as one space."""
    return " ".join(text.split())


def personalise_for(template: object, who: str = "jane", *, date: datetime = WHEN) -> bytes:
    """A template personalised with recognisable values for `who`."""
    from syndication.mail import MessageTemplate

    assert isinstance(template, MessageTemplate)
    return template.personalise(
        to=f"{who}@example.org",
        message_id=f"<{who}.1@press.example.be>",
        unsubscribe_url=f"https://press.example.be/unsubscribe/{who}-u-token",
        preferences_url=f"https://press.example.be/preferences/{who}-p-token",
        date=date,
    )




def messages_of_every_kind(
    settings: Settings, releases: Mapping[str, Release]
) -> dict[str, bytes]:
    """One whole message of each kind the site sends, by name (each language for alerts)."""
    from syndication.mail import MailKind, compose_confirmation, render_preview

    found = {
        f"alert-{language}": render_preview(
            settings, releases[SEED], (language,), fmt="eml", date=WHEN
        )
        for language in settings.languages
    }
    found["alert-bilingual"] = render_preview(
        settings, releases[SEED], settings.languages, fmt="eml", date=WHEN
    )
    found["embargo"] = render_preview(
        settings, releases[EMBARGOED], ("fr",), fmt="eml", kind=MailKind.EMBARGO, date=WHEN
    )
    found["digest"] = render_preview(
        settings, [releases[SEED], releases[FRENCH_ONLY]], ("nl", "fr"), fmt="eml",
        kind=MailKind.DIGEST, date=WHEN,
    )
    found["correction"] = render_preview(
        settings, releases["2021-06-08-telework-well-being-survey"], ("fr",), fmt="eml",
        kind=MailKind.CORRECTION, date=WHEN,
    )
    found["confirmation"] = compose_confirmation(
        settings, to="jane@example.org", language="nl",
        confirm_url="https://press.example.be/confirm/abc.DEF-123_x",
        message_id="<confirm.1@press.example.be>", date=WHEN,
    )
    return found
