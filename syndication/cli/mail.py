"""`send`, `preview` and `deliveries`: the newsletter side of the command line.

Thin: each command parses its options, calls the library and prints. Exit codes follow the
SPEC: 0 on success, 1 when some input was invalid or some work failed (after the rest was
done), 2 on usage errors; never a traceback for bad input.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

import click

from subscribers import InvalidEmail, normalise_email
from syndication.cli.site import load_state_releases, report_problems
from syndication.cli.state import EXIT_INVALID, CliState
from syndication.config import Settings
from syndication.delivery.backlog import Backlog
from syndication.delivery.messages import envelope_sender
from syndication.delivery.outbox import count_due
from syndication.delivery.report import STATUSES, DeliveryReport, delivery_report
from syndication.delivery.sender import PAUSE_COOL_DOWN, SendSummary, send_due, utc_now
from syndication.delivery.transports import open_transport
from syndication.errors import ConfigError, DeliveryError
from syndication.mail import render_preview


@click.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most N.")
@click.option("--dry-run", is_flag=True, help="Count what is due; send nothing.")
@click.option("--resume", is_flag=True, help="Resume paused mailings now, without cool-down.")
@click.pass_obj
def send_command(state: CliState, limit: int | None, dry_run: bool, resume: bool) -> None:
    """Deliver every planned delivery that is due, then print a summary.

    The summary also says what is left and why: held by another live sender, taken back
    from a sender that died, waiting for a retry (next time), not due yet (first time),
    paused. Exit 1 when a release file is invalid, a delivery failed or bounced in this run,
    a mailing is paused, or due deliveries could not be handed to the server at all (every
    attempt deferred: the server is down or refusing); else 0, also when another sender
    holds what is due.
    """
    settings = state.settings()
    engine = state.engine()
    loaded = load_state_releases(state)
    report_problems(loaded.problems)
    releases = {release.id: release for release in loaded.releases}
    total = count_due(engine, now=utc_now())
    if limit is not None:
        total = min(total, limit)
    try:
        with _progress(total, enabled=not dry_run and total > 0) as advance:
            summary = asyncio.run(
                send_due(
                    engine,
                    settings,
                    releases,
                    limit=limit,
                    dry_run=dry_run,
                    progress=advance,
                    resume=resume,
                )
            )
    except ConfigError as error:
        report_problems(error.problems)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    _print_summary(summary, settings, dry_run=dry_run)
    if (
        loaded.problems
        or summary.failed
        or summary.bounced
        or summary.paused
        or summary.undeliverable
    ):
        raise click.exceptions.Exit(EXIT_INVALID)


@click.command("preview")
@click.argument("release_id", metavar="RELEASE")
@click.option("--lang", "languages", required=True, help="Language(s), e.g. fr or fr,nl.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "text", "eml"]),
    default="html",
    show_default=True,
    help="What to print.",
)
@click.option("--to", "to", default=None, help="Send one test message to this address.")
@click.pass_obj
def preview_command(
    state: CliState,
    release_id: str,
    languages: str,
    fmt: Literal["html", "text", "eml"],
    to: str | None,
) -> None:
    """Render the newsletter of any release, public or not; --to sends a test message."""
    settings = state.settings()
    loaded = load_state_releases(state)
    release = next((item for item in loaded.releases if item.id == release_id), None)
    if release is None:
        known = ", ".join(item.id for item in loaded.releases) or "none"
        click.echo(f"error: no valid release {release_id!r} (valid: {known})", err=True)
        report_problems([problem for problem in loaded.problems if release_id in problem.source])
        raise click.exceptions.Exit(EXIT_INVALID)
    chosen = _parse_languages(languages, release.languages)
    if to is not None:
        address = _address(to)
        message = render_preview(settings, release, chosen, fmt="eml", to=address)
        _send_test(settings, message, address)
        return
    if fmt == "eml":
        sys.stdout.buffer.write(render_preview(settings, release, chosen, fmt="eml"))
        sys.stdout.buffer.flush()
    else:
        click.echo(render_preview(settings, release, chosen, fmt=fmt))


@click.command("deliveries")
@click.argument("release_id", metavar="[RELEASE]", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def deliveries_command(state: CliState, release_id: str | None, fmt: str) -> None:
    """Counts by mailing and status, deliveries waiting for a retry, and failures."""
    settings = state.settings()
    report = delivery_report(state.engine(), release_id=release_id)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        _print_report(report, settings)


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on a terminal; nothing when output is redirected."""
    if not enabled or not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Sending", total=total)
        yield lambda done: bar.advance(task, done)


def _print_summary(summary: SendSummary, settings: Settings, *, dry_run: bool) -> None:
    for key in summary.resumed:
        click.echo(f"Resumed {key}.")
    if dry_run:
        click.echo(f"{summary.due} deliveries are due; nothing sent (dry run).")
    else:
        click.echo(
            f"Sent {summary.sent}, failed {summary.failed + summary.bounced} "
            f"({summary.bounced} bounced), to retry later {summary.retry}, "
            f"skipped {summary.skipped}, paused mailings {len(summary.paused)}."
        )
    if summary.reclaimed:
        click.echo(
            f"Reclaimed {summary.reclaimed} deliveries claimed by a sender that is no longer "
            "running (stopped or crashed)."
        )
    _print_backlog(summary.backlog, settings, dry_run=dry_run)
    if summary.undeliverable:
        click.echo(
            f"error: nothing could be handed to the server: all {summary.retry} deliveries "
            f"tried were deferred (last reply: {summary.last_reply}).",
            err=True,
        )
    for key, reason in summary.paused:
        click.echo(f"paused: {key}: {reason}", err=True)
    if summary.paused:
        minutes = int(PAUSE_COOL_DOWN.total_seconds() // 60)
        click.echo(
            f"A paused mailing resumes with the first send {minutes} minutes after it was "
            "paused, or at once with `send --resume` once the cause is fixed.",
            err=True,
        )


def _print_backlog(backlog: Backlog, settings: Settings, *, dry_run: bool) -> None:
    if backlog.held:
        plural = backlog.holders > 1
        click.echo(
            f"{backlog.held} deliveries are held by {backlog.holders} other live "
            f"sender{'s' if plural else ''}, which {'are' if plural else 'is'} sending them."
        )
    if backlog.orphaned:
        click.echo(
            f"{backlog.orphaned} deliveries are claimed by a sender that is no longer running; "
            "the next send takes them back."
        )
    if backlog.due and not dry_run:  # a dry run's first line counts them
        click.echo(f"{backlog.due} deliveries are still due; the next send sends them.")
    if backlog.retrying.count and backlog.retrying.first_at is not None:
        click.echo(
            f"{backlog.retrying.count} deliveries wait for a retry; the next at "
            f"{_local(backlog.retrying.first_at, settings)}."
        )
    if backlog.not_due.count and backlog.not_due.first_at is not None:
        click.echo(
            f"{backlog.not_due.count} deliveries are not due yet; the first at "
            f"{_local(backlog.not_due.first_at, settings)}."
        )


def _print_report(report: DeliveryReport, settings: Settings) -> None:
    if not report.mailings:
        click.echo("No mailings.")
        return
    width = max(len("MAILING"), *(len(line.key) for line in report.mailings))
    click.echo(f"{'MAILING':<{width}}  " + "  ".join(f"{status.upper():>7}" for status in STATUSES))
    for line in report.mailings:
        counts = "  ".join(f"{line.counts.get(status, 0):>7}" for status in STATUSES)
        click.echo(f"{line.key:<{width}}  {counts}")
        if line.pause_reason:
            click.echo(f"  paused: {line.pause_reason}")
    if report.retries:
        click.echo("\nWaiting for a retry (planned):")
        for retry in report.retries:
            click.echo(
                f"  {retry.mailing}: {retry.count} after {retry.attempts} attempt(s), next at "
                f"{_local(retry.next_attempt_at, settings)}: {retry.reply}"
            )
    if report.failures:
        click.echo("\nFailures:")
        for failure in report.failures:
            click.echo(f"  {failure.mailing}: {failure.count} {failure.status}: {failure.reply}")


def _local(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")


def _parse_languages(text: str, offered: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
    unknown = [code for code in chosen if code not in offered]
    if not chosen or unknown:
        raise click.BadParameter(
            f"{text!r}: this release is in {', '.join(offered)}", param_hint="--lang"
        )
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
