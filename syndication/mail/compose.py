"""Composing the emails the sender and the web send: mailings, confirmations, previews.

A mailing is rendered and serialised once per (mailing, language set) by `compose_mailing`;
the sender then calls `MessageTemplate.personalise` for each recipient. Headers built here
come from config and release text, made safe by `syndication.mail.headers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.headerregistry import Address
from typing import Literal, overload
from urllib.parse import urlsplit

from syndication.config import Settings
from syndication.mail.headers import (
    check_url,
    feedback_id_header,
    header_text,
    list_id_header,
    mailbox,
)
from syndication.mail.kinds import MailKind
from syndication.mail.message import MessageTemplate, Placeholders, freeze_message
from syndication.mail.render import RenderedMail, render_mail
from syndication.mail.views import Links
from syndication.releases import Release

PREVIEW_ADDRESS = "preview@example.invalid"


def compose_mailing(
    settings: Settings,
    *,
    kind: MailKind,
    releases: Sequence[Release],
    languages: tuple[str, ...],
    list_id: str,
) -> MessageTemplate:
    """Render a mailing once for readers of `languages` (in preference order), to personalise."""
    if not kind.is_mailing:
        raise ValueError(f"a {kind} email goes to no list: use compose_confirmation()")
    placeholders = Placeholders.new()
    rendered = render_mail(
        settings, kind=kind, releases=releases, languages=languages,
        text_links=placeholders.links(html_part=False),
        html_links=placeholders.links(html_part=True),
    )
    declared = settings.lists.get(list_id)
    label = declared.label.get(rendered.languages[0], "") if declared else ""
    headers = [
        *_common_headers(settings, rendered),
        ("List-Id", list_id_header(list_id, settings.base_url, label)),
        # RFC 8058: a POST of this body to the List-Unsubscribe URL unsubscribes at once.
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Feedback-ID", feedback_id_header(
            kind.value, list_id, rendered.languages[0], settings.base_url)),
    ]
    return freeze_message(rendered, headers=headers, placeholders=placeholders, is_list=True)


def compose_confirmation(
    settings: Settings, *, to: str, language: str, confirm_url: str, message_id: str,
    date: datetime,
) -> bytes:
    """The double opt-in email of a web sign-up; the address is the only text from outside."""
    if language not in settings.languages:
        raise ValueError(f"{language!r} is not one of the site's languages")
    url = check_url(confirm_url)
    placeholders = Placeholders.new()
    rendered = render_mail(
        settings, kind=MailKind.CONFIRMATION, releases=(), languages=(language,),
        text_links=placeholders.links(html_part=False, confirm=url),
        html_links=placeholders.links(html_part=True, confirm=url),
    )
    headers = [
        *_common_headers(settings, rendered),
        ("Feedback-ID", feedback_id_header(
            MailKind.CONFIRMATION.value, "subscribe", language, settings.base_url)),
    ]
    template = freeze_message(rendered, headers=headers, placeholders=placeholders,
                              is_list=False)
    return template.personalise_notice(to=to, message_id=message_id, date=date)


@overload
def render_preview(
    settings: Settings, release: Release | Sequence[Release], languages: Sequence[str], *,
    fmt: Literal["html", "text"], kind: MailKind = ..., to: str = ...,
    date: datetime | None = ..., list_id: str | None = ...,
) -> str: ...
@overload
def render_preview(
    settings: Settings, release: Release | Sequence[Release], languages: Sequence[str], *,
    fmt: Literal["eml"], kind: MailKind = ..., to: str = ..., date: datetime | None = ...,
    list_id: str | None = ...,
) -> bytes: ...
def render_preview(
    settings: Settings, release: Release | Sequence[Release], languages: Sequence[str], *,
    fmt: Literal["html", "text", "eml"], kind: MailKind = MailKind.ALERT,
    to: str = PREVIEW_ADDRESS, date: datetime | None = None, list_id: str | None = None,
) -> str | bytes:
    """The newsletter of any release, public or not (or a digest of several releases), as
    HTML, text or a whole message; `list_id` names the list (default: the release's)."""
    releases = (release,) if isinstance(release, Release) else tuple(release)
    unsubscribe = f"{settings.base_url}/unsubscribe/preview"
    preferences = f"{settings.base_url}/preferences/preview"
    if fmt == "eml":
        moment = date or datetime.now(UTC)
        host = urlsplit(settings.base_url).hostname or "localhost"
        template = compose_mailing(
            settings, kind=kind, releases=releases, languages=tuple(languages),
            list_id=list_id or _preview_list(settings, kind, releases[0]),
        )
        name = releases[0].id if len(releases) == 1 else kind.value
        return template.personalise(
            to=to, message_id=f"<preview.{name}.{int(moment.timestamp())}@{host}>",
            unsubscribe_url=unsubscribe, preferences_url=preferences, date=moment,
        )
    links = Links(address=to, unsubscribe=unsubscribe, preferences=preferences)
    rendered = render_mail(
        settings, kind=kind, releases=releases, languages=languages,
        text_links=links, html_links=links,
    )
    return rendered.html if fmt == "html" else rendered.text


def _preview_list(settings: Settings, kind: MailKind, release: Release) -> str:
    embargo_lists = release.embargo.lists if release.embargo else ()
    lists = embargo_lists if kind is MailKind.EMBARGO else release.lists
    return next(iter(lists or settings.lists), "preview")


def _common_headers(
    settings: Settings, rendered: RenderedMail
) -> list[tuple[str, str | Address]]:
    headers: list[tuple[str, str | Address]] = [
        ("Subject", header_text(rendered.subject)),
        ("From", mailbox(settings.mail.from_address, key="from")),
    ]
    if settings.mail.reply_to:
        headers.append(("Reply-To", mailbox(settings.mail.reply_to, key="reply_to")))
    headers.append(("Content-Language", ", ".join(rendered.languages)))  # RFC 3282
    return headers

