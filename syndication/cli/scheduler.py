"""`publish` (one scheduler tick) and `run` (the service: scheduler, sender, web server)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click

from syndication.cli.state import EXIT_INVALID, EXIT_USAGE, CliState
from syndication.cli.words import ngettext
from syndication.dkim_keys import dkim_problems
from syndication.errors import ServiceError

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


class Rfc3339(click.ParamType[datetime, "str | datetime"]):
    """An RFC 3339 date-time with its UTC offset (or Z); anything else is a usage error."""

    name = "TIME"

    def convert(
        self, value: str | datetime, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        """Parse the text into an aware datetime."""
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        if RFC3339.match(text):
            try:
                return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            except ValueError:
                pass  # a well-formed but impossible date: 2026-02-30
        self.fail(
            f"{text!r} is not an RFC 3339 time with its UTC offset, like "
            "2026-03-29T08:00:00+02:00 or 2026-03-29T06:00:00Z", param, ctx,
        )


@click.command("publish")
@click.option("--at", "at", type=Rfc3339(), default=None,
              help="Tick at this RFC 3339 time instead of now.")
@click.option("--yes", is_flag=True,
              help="Accept a TIME ahead of the clock: publish early, embargoes included.")
@click.pass_obj
def publish_command(state: CliState, at: datetime | None, yes: bool) -> None:
    """One scheduler tick: make public what is due, rebuild, plan the due mailings.

    \b
    Idempotent: a second tick at the same time plans nothing. A tick at a time
    earlier than one already made acts as of that later time (and says so).
    A TIME ahead of the clock publishes early, embargoes included: it is refused
    unless --yes is given; with --yes, what that tick plans is due at once and
    goes out at the next `send`, and later ticks at the real time act at their
    own time.

    \b
    Exit status: 0 done; 1 some release file is invalid (the others are
    published), or the config or database is unusable; 2 a malformed command
    line (TIME not RFC 3339 with its offset) or a TIME ahead of the clock
    without --yes.
    """
    from syndication.scheduler.tick import publish_tick

    now = datetime.now(UTC)
    if at is not None and at > now and not yes:
        clock = now.isoformat(timespec="seconds")
        click.echo(
            f"error: --at {at.isoformat()} is ahead of the clock ({clock}): that tick would "
            "publish early, embargoes included, and plan the mailings due by then. "
            "Add --yes to do it anyway.", err=True,
        )
        raise click.exceptions.Exit(EXIT_USAGE)
    settings = state.settings()
    report = publish_tick(state.engine(), settings, at=at or now)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if report.made_already:
        made = report.at.astimezone(settings.timezone).isoformat(timespec="seconds")
        click.echo(f"A tick at {made} was made already: acting as of then.")
    if report.ahead_of_clock:
        when = report.at.astimezone(settings.timezone).isoformat(timespec="seconds")
        click.echo(
            f"Ticked at {when}, ahead of the clock (--yes): what it plans is due at once."
        )
    click.echo(
        ngettext("%(num)d public release", "%(num)d public releases", report.public) + ", "
        + ngettext("%(num)d file written in %(folder)s.", "%(num)d files written in %(folder)s.",
                   len(report.written), folder=settings.output_dir)
    )
    if report.pinged:
        click.echo(ngettext("%(num)d WebSub ping taken by the hubs.",
                            "%(num)d WebSub pings taken by the hubs.", report.pinged))
    for failure in report.hub_failures:
        click.echo(f"warning: {failure}", err=True)
    for release_id, count in report.notices.items():
        click.echo(ngettext("Embargo notice of %(release)s: %(num)d delivery planned.",
                            "Embargo notice of %(release)s: %(num)d deliveries planned.",
                            count, release=release_id))
    for release_id, count in report.alerts.items():
        click.echo(ngettext("Alert of %(release)s: %(num)d delivery planned.",
                            "Alert of %(release)s: %(num)d deliveries planned.",
                            count, release=release_id))
    for release_id, count in report.corrections.items():
        if count:
            click.echo(ngettext("Correction notice of %(release)s: %(num)d delivery planned.",
                                "Correction notice of %(release)s: %(num)d deliveries planned.",
                                count, release=release_id))
    for run in report.digests:
        click.echo(ngettext(
            "%(frequency)s digest up to %(end)s: %(num)d delivery planned.",
            "%(frequency)s digest up to %(end)s: %(num)d deliveries planned.",
            run.deliveries, frequency=run.frequency.value.capitalize(),
            end=run.period_end.astimezone(settings.timezone).isoformat(),
        ))
    if report.unmailed:
        click.echo(ngettext(
            "%(num)d release first seen more than %(age)s after publication: published, "
            "not mailed.",
            "%(num)d releases first seen more than %(age)s after publication: published, "
            "not mailed.",
            len(report.unmailed), age=_hours(settings.mail.max_age),
        ))
    click.echo(ngettext("%(num)d delivery planned in all.", "%(num)d deliveries planned in all.",
                        report.planned))
    if report.problems:
        raise click.exceptions.Exit(EXIT_INVALID)


def _hours(duration: timedelta) -> str:
    seconds = duration.total_seconds()
    return f"{seconds / 3600:g}h" if seconds >= 3600 else f"{seconds:g}s"


@click.command("run")
@click.pass_obj
def run_command(state: CliState) -> None:
    """The service: scheduler (scan, publish, digests, send) and web server in one process."""
    from syndication.logs import configure_logging
    from syndication.scheduler.runner import run_service

    settings = state.settings()
    if settings.secret() is None:
        click.echo(
            f"error: the environment variable {settings.web.secret_env} is not set: it signs "
            "the links of every email (confirm, unsubscribe, preferences)", err=True,
        )
        raise click.exceptions.Exit(EXIT_INVALID)
    dkim = dkim_problems(settings)  # refuse to start rather than send unsigned
    for problem in dkim:
        click.echo(f"error: {problem}", err=True)
    if dkim:
        raise click.exceptions.Exit(EXIT_INVALID)
    if settings.admin_token() is None:
        click.echo(
            f"warning: {settings.web.admin_token_env} is not set: the admin API is off", err=True
        )
    configure_logging(settings.log, settings.timezone)
    try:
        run_service(settings, announce=lambda line: click.echo(line))
    except ServiceError as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
