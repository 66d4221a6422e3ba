"""`send`: the newsletter side of the command line (`preview`, `deliveries` and `mailings`
have their own modules).

Thin: each command parses its options, calls the library and prints. Exit codes follow the
SPEC: 0 on success, 1 when some input was invalid or some work failed (after the rest was
done), 2 on usage errors; never a traceback for bad input.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from syndication.cli.deliveries import local_time
from syndication.cli.site import load_state_releases, report_problems
from syndication.cli.state import EXIT_INVALID, CliState
from syndication.cli.words import ngettext
from syndication.config import Settings
from syndication.delivery.backlog import Backlog
from syndication.delivery.outbox import count_due
from syndication.delivery.sender import PAUSE_COOL_DOWN, SendSummary, send_due, utc_now
from syndication.errors import ConfigError


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
        click.echo(ngettext("%(num)d delivery is due; nothing sent (dry run).",
                            "%(num)d deliveries are due; nothing sent (dry run).", summary.due))
    else:
        click.echo(
            f"Sent {summary.sent}, failed {summary.failed + summary.bounced} "
            f"({summary.bounced} bounced), to retry later {summary.retry}, "
            f"skipped {summary.skipped}, paused mailings {len(summary.paused)}."
        )
    if summary.reclaimed:
        click.echo(ngettext(
            "Reclaimed %(num)d delivery claimed by a sender that is no longer running "
            "(stopped or crashed).",
            "Reclaimed %(num)d deliveries claimed by a sender that is no longer running "
            "(stopped or crashed).", summary.reclaimed,
        ))
    _print_backlog(summary.backlog, settings, dry_run=dry_run)
    if summary.undeliverable:
        click.echo("error: " + ngettext(
            "nothing could be handed to the server: the %(num)d delivery tried was deferred "
            "(last reply: %(reply)s).",
            "nothing could be handed to the server: all %(num)d deliveries tried were deferred "
            "(last reply: %(reply)s).", summary.retry, reply=summary.last_reply,
        ), err=True)
    for key, reason in summary.paused:
        click.echo(f"paused: {key}: {reason}", err=True)
    if summary.paused:
        minutes = int(PAUSE_COOL_DOWN.total_seconds() // 60)
        click.echo(ngettext(
            "A paused mailing resumes with the first send %(num)d minute after it was "
            "paused, or at once with `send --resume` once the cause is fixed.",
            "A paused mailing resumes with the first send %(num)d minutes after it was "
            "paused, or at once with `send --resume` once the cause is fixed.", minutes,
        ), err=True)


def _print_backlog(backlog: Backlog, settings: Settings, *, dry_run: bool) -> None:
    if backlog.held:
        click.echo(
            ngettext("%(num)d delivery is held by ", "%(num)d deliveries are held by ",
                     backlog.held)
            + ngettext("%(num)d other live sender, which is sending them.",
                       "%(num)d other live senders, which are sending them.", backlog.holders)
        )
    if backlog.orphaned:
        click.echo(ngettext(
            "%(num)d delivery is claimed by a sender that is no longer running; "
            "the next send takes it back.",
            "%(num)d deliveries are claimed by a sender that is no longer running; "
            "the next send takes them back.", backlog.orphaned,
        ))
    if backlog.due and not dry_run:  # a dry run's first line counts them
        click.echo(ngettext("%(num)d delivery is still due; the next send sends it.",
                            "%(num)d deliveries are still due; the next send sends them.",
                            backlog.due))
    if backlog.retrying.count and backlog.retrying.first_at is not None:
        click.echo(ngettext(
            "%(num)d delivery waits for a retry; the next at %(time)s.",
            "%(num)d deliveries wait for a retry; the next at %(time)s.",
            backlog.retrying.count, time=local_time(backlog.retrying.first_at, settings),
        ))
    if backlog.not_due.count and backlog.not_due.first_at is not None:
        click.echo(ngettext(
            "%(num)d delivery is not due yet; the first at %(time)s.",
            "%(num)d deliveries are not due yet; the first at %(time)s.",
            backlog.not_due.count, time=local_time(backlog.not_due.first_at, settings),
        ))
