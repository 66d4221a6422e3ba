"""Rendering one email: a section and a footer per language, the shared frame, CSS inlined.

Each language's section renders in that language's environment (its catalog, its date
words), so one message can carry several versions; the frame has no words of its own.
The HTML has its stylesheet inlined here, once per mailing (css-inline, ≈ 0.4 ms).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import css_inline
from markupsafe import Markup

from syndication.config import Settings
from syndication.localdates import format_long_date, format_time_local, language_name
from syndication.mail.kinds import MailKind
from syndication.mail.templating import environment_for
from syndication.mail.views import Links, organisation_view, release_view
from syndication.releases import Release
from syndication.translations import translator

_BLANK_RUNS = re.compile(r"\n{3,}")
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


@dataclass(frozen=True, slots=True)
class RenderedMail:
    """An email's subject and both parts, its language sections in reading order."""

    subject: str
    languages: tuple[str, ...]
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class _Section:
    language: str
    language_name: str
    html: Markup
    text: str
    footer_html: Markup
    footer_text: str


def section_languages(
    kind: MailKind, releases: Sequence[Release], languages: Sequence[str]
) -> tuple[str, ...]:
    """The reader's languages, in their order, that the releases are written in."""
    if kind is MailKind.CONFIRMATION:
        return tuple(languages[:1])
    written = {language for release in releases for language in release.versions}
    return tuple(dict.fromkeys(language for language in languages if language in written))


def render_mail(
    settings: Settings,
    *,
    kind: MailKind,
    releases: Sequence[Release],
    languages: Sequence[str],
    text_links: Links,
    html_links: Links,
) -> RenderedMail:
    """Render the subject and both parts of one email for a reader of `languages`."""
    _check_releases(kind, releases)
    chosen = section_languages(kind, releases, languages)
    if not chosen:
        wanted = ", ".join(languages) or "none"
        raise ValueError(f"no release of this {kind} is written in the reader's languages "
                         f"({wanted})")
    sections = [
        _render_section(settings, kind, releases, language, text_links, html_links)
        for language in chosen
    ]
    first = chosen[0]
    subject = mail_subject(settings, kind, releases, first)
    environment = environment_for(first, settings.timezone, settings.branding.template_roots)
    branding = settings.branding
    context = {
        "accent": branding.accent, "accent_text": branding.accent_text,
        "accent_link": branding.accent_link,
        "logo_url": f"{settings.base_url}/{branding.logo_name}" if branding.logo_name else None,
        "title": subject,
        "masthead": " / ".join(dict.fromkeys(
            organisation_view(settings, language).name for language in chosen
        )),
        "sections": sections,
    }
    html = environment.get_template("email/_layout.html").render(context)
    text = environment.get_template("email/_layout.txt").render(context)
    return RenderedMail(subject, chosen, _INLINER.inline(html), _tidy(text) + "\n")


def mail_subject(
    settings: Settings, kind: MailKind, releases: Sequence[Release], language: str
) -> str:
    """The subject, in `language` (the reader's first among the email's languages)."""
    words = translator(language)
    _ = words.gettext
    organisation = organisation_view(settings, language).name
    if kind is MailKind.CONFIRMATION:
        return _("Confirm your subscription to the press releases of %(organisation)s") % {
            "organisation": organisation
        }
    if kind is MailKind.DIGEST:
        count = len(releases)
        return words.ngettext(
            "%(organisation)s: %(num)d new press release",
            "%(organisation)s: %(num)d new press releases",
            count,
        ) % {"organisation": organisation, "num": count}
    release = releases[0]
    title = release.versions[language].title
    if kind is MailKind.CORRECTION:
        return _("Correction: %(title)s") % {"title": title}
    if kind is MailKind.EMBARGO:
        notice = _("EMBARGO until %(date)s at %(time)s") % {
            "date": format_long_date(release.published, language, settings.timezone),
            "time": format_time_local(release.published, language, settings.timezone),
        }
        return f"{notice} – {title}"
    return title


def _check_releases(kind: MailKind, releases: Sequence[Release]) -> None:
    expected = {MailKind.ALERT: 1, MailKind.EMBARGO: 1, MailKind.CORRECTION: 1,
                MailKind.CONFIRMATION: 0}.get(kind)
    if expected is not None and len(releases) != expected:
        raise ValueError(f"a {kind} email carries {expected} release(s), not {len(releases)}")
    if kind is MailKind.DIGEST and not releases:
        raise ValueError("a digest carries at least one release (an empty one is never sent)")


def _render_section(
    settings: Settings,
    kind: MailKind,
    releases: Sequence[Release],
    language: str,
    text_links: Links,
    html_links: Links,
) -> _Section:
    environment = environment_for(language, settings.timezone, settings.branding.template_roots)
    context: dict[str, object] = {
        "organisation": organisation_view(settings, language),
        "mailing": kind.is_mailing,
    }
    if kind is MailKind.DIGEST:
        context["releases"] = tuple(
            release_view(settings, release, language)
            for release in releases if language in release.versions
        )
    elif releases:
        context["release"] = release_view(settings, releases[0], language)

    def render(name: str, links: Links) -> str:
        return environment.get_template(f"email/{name}").render(context, links=links)

    return _Section(
        language=language,
        language_name=language_name(language),
        html=Markup(render(f"{kind}.html", html_links)),  # noqa: S704 - autoescaped template
        text=_tidy(render(f"{kind}.txt", text_links)),
        footer_html=Markup(render("_footer.html", html_links)),  # noqa: S704 - autoescaped
        footer_text=_tidy(render("_footer.txt", text_links)),
    )


def _tidy(text: str) -> str:
    """Text without trailing spaces, runs of blank lines, or blank lines at either end."""
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


