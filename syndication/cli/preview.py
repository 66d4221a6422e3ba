"""`preview`: render any kind of message the site sends (alert, embargo notice, digest).

Prints HTML, text or a whole message, or sends one test message (not a delivery) with
`--to`. Nothing is planned or recorded.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, NoReturn

import click

from subscribers import Frequency, InvalidEmail, normalise_email, split_values
from subscribers.cli.context import not_found
from syndication.cli.scheduler import Rfc3339
from syndication.cli.site import load_state_releases, report_problems
from syndication.cli.state import EXIT_INVALID, EXIT_USAGE, CliState
from syndication.config import Settings
from syndication.delivery.messages import envelope_sender
from syndication.delivery.transports import open_transport
from syndication.errors import DeliveryError
from syndication.mail import MailKind, render_preview
from syndication.releases import Release

# The kinds of message about one release (and what each needs of it: `_release_message`).
RELEASE_KINDS = {
    "alert": MailKind.ALERT, "embargo": MailKind.EMBARGO, "correction": MailKind.CORRECTION,
}
DIGEST_FREQUENCIES = {"daily": Frequency.DAILY, "weekly": Frequency.WEEKLY}

Format = Literal["html", "text", "eml"]


@click.command("preview")
@click.argument("release_id", metavar="[RELEASE]", required=False)
@click.option("--kind", type=click.Choice(list(RELEASE_KINDS)), default=None,
              help="Which message about RELEASE (default: alert).")
@click.option("--digest", "frequency", type=click.Choice(list(DIGEST_FREQUENCIES)),
              default=None, help="Preview a digest instead of a RELEASE's message.")
@click.option("--at", "at", type=Rfc3339(), default=None,
              help="With --digest: the RFC 3339 time the digest's period ends.")
@click.option("--lang", "languages", default=None,
              help="Language(s) in reading order, e.g. fr or fr,nl (default: all).")
@click.option("--format", "fmt", type=click.Choice(["html", "text", "eml"]), default="html",
              show_default=True, help="What to print.")
@click.option("--to", "to", default=None, help="Send one test message to this address.")
@click.pass_obj
def preview_command(
    state: CliState,
    release_id: str | None,
    kind: str | None,
    frequency: str | None,
    at: datetime | None,
    languages: str | None,
    fmt: Format,
    to: str | None,
) -> None:
    """Render a message as subscribers would get it; --to sends one test message.

    \b
    preview RELEASE [--kind alert|embargo] [--lang L]: the alert (default) or
    the embargo notice of any release, public or not.
    preview --digest daily|weekly --at TIME [--lang L]: the digest of what
    became public in the period ending at TIME (from the previous daily or
    weekly digest time). A subscriber's own digest leaves out what they had
    as an alert or embargo notice.
    --lang defaults to every language of the release (of the site, for a
    digest). Nothing is planned or recorded; a test message is no delivery.

    \b
    Exit status: 0 printed (or the test message sent); 1 RELEASE names no
    valid release, it has no embargo (--kind embargo), nothing became public
    in the digest's period (in those languages), or the test message was not
    sent; 2 a malformed command line: RELEASE and --digest both or neither,
    --kind with --digest, --digest without --at (or --at without it), a bad
    TIME or address. A --lang the release (or site) is not written in: 1.
    """
    _check_usage(release_id, kind, frequency, at)
    settings = state.settings()
    if frequency is not None and at is not None:
        mail_kind = MailKind.DIGEST
        releases, chosen = _digest(state, DIGEST_FREQUENCIES[frequency], at, languages)
        list_id: str | None = f"{frequency}-digest"  # the planner's List-Id of a digest
    else:
        assert release_id is not None  # _check_usage: one of the two
        mail_kind = RELEASE_KINDS[kind or "alert"]
        release = _release_message(state, release_id, mail_kind)
        releases = (release,)
        chosen = _parse_languages(languages, release.languages)
        list_id = None
    if to is not None:
        address = _address(to)
        message = render_preview(
            settings, releases, chosen, fmt="eml", kind=mail_kind, to=address, list_id=list_id
        )
        _send_test(settings, message, address)
    elif fmt == "eml":
        eml = render_preview(settings, releases, chosen, fmt="eml", kind=mail_kind,
                             list_id=list_id)
        sys.stdout.buffer.write(eml)
        sys.stdout.buffer.flush()
    else:
        click.echo(render_preview(settings, releases, chosen, fmt=fmt, kind=mail_kind))


def _check_usage(
    release_id: str | None, kind: str | None, frequency: str | None, at: datetime | None
) -> None:
    """Exit 2 on a combination of arguments that names no one message."""
    if (release_id is None) == (frequency is None):
        _usage("give a RELEASE, or --digest daily|weekly --at TIME (not both)")
    if frequency is not None and kind is not None:
        _usage("--kind is for a RELEASE's messages; a digest is --digest daily|weekly")
    if frequency is not None and at is None:
        _usage("--digest needs --at TIME: the end of the digest's period")
    if frequency is None and at is not None:
        _usage("--at is for --digest (a RELEASE is previewed as it is written)")


def _usage(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(EXIT_USAGE)


def _release_message(state: CliState, release_id: str, kind: MailKind) -> Release:
    """The release a message of `kind` is about; exit 1 if there is no such message."""
    loaded = load_state_releases(state)
    release = next((item for item in loaded.releases if item.id == release_id), None)
    if release is None:
        known = ", ".join(item.id for item in loaded.releases) or "none"
        click.echo(f"error: no valid release {release_id!r} (valid: {known})", err=True)
        report_problems([problem for problem in loaded.problems if release_id in problem.source])
        raise click.exceptions.Exit(EXIT_INVALID)
    if kind is MailKind.EMBARGO and release.embargo is None:
        click.echo(f"error: release {release_id!r} has no embargo: it has no embargo notice",
                   err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    if kind is MailKind.CORRECTION and release.correction is None:
        click.echo(f"error: release {release_id!r} has no [correction]: it has no correction "
                   "notice", err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    return release


def _digest(
    state: CliState, frequency: Frequency, end: datetime, languages: str | None
) -> tuple[tuple[Release, ...], tuple[str, ...]]:
    """The releases of the digest's period readable in the chosen languages, and those."""
    from syndication.scheduler.digest_times import digest_period

    settings = state.settings()
    chosen = _parse_languages(languages, settings.languages, what="site")
    start, end = digest_period(settings.schedule, settings.timezone, frequency, end)
    loaded = load_state_releases(state)
    report_problems(loaded.problems)
    releases = tuple(
        release for release in loaded.releases
        if start < release.published <= end and any(code in release.versions for code in chosen)
    )
    if not releases:
        period = f"{_local(start, settings)} – {_local(end, settings)}"
        click.echo(
            f"error: nothing became public in {', '.join(chosen)} in the {frequency.value} "
            f"digest's period {period}: that digest would not be sent", err=True,
        )
        raise click.exceptions.Exit(EXIT_INVALID)
    return releases, chosen


def _local(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.timezone).isoformat(timespec="minutes")


def _parse_languages(
    text: str | None, offered: Sequence[str], *, what: str = "release"
) -> tuple[str, ...]:
    if text is None:
        return tuple(offered)
    chosen = tuple(dict.fromkeys(split_values(text.lower())))
    if not chosen:
        raise click.BadParameter("no language given", param_hint="--lang")
    if any(code not in offered for code in chosen):  # well-formed, names none: exit 1
        not_found("--lang", f"{text!r}: this {what} is in {', '.join(offered)}")
    return chosen


def _address(text: str) -> str:
    try:
        return normalise_email(text)
    except InvalidEmail as error:
        raise click.BadParameter(str(error), param_hint="--to") from None


def _send_test(settings: Settings, message: bytes, to: str) -> None:
    async def send() -> str:
        transport = open_transport(settings)
        try:
            return await transport.send(
                sender=envelope_sender(settings), recipient=to, message=message
            )
        finally:
            await transport.close()

    try:
        reply = asyncio.run(send())
    except DeliveryError as error:
        click.echo(f"error: the test message to {to} was not sent: {error.reply}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(f"Test message sent to {to} via {settings.mail.transport}: {reply}")
