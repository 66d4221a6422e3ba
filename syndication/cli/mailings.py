"""`mailings list`, `mailings cancel KEY`, `mailings retry KEY`: an admin steering mailings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import NoReturn

import click

from subscribers.cli.confirmation import confirm_or_refuse
from syndication.cli.deliveries import local_time
from syndication.cli.state import EXIT_INVALID, CliState
from syndication.cli.words import ngettext
from syndication.delivery.report import MailingSummary, delivery_report
from syndication.delivery.steering import cancel_mailing, check_mailing, retry_mailing
from syndication.errors import CancelledMailing, UnknownMailing


@click.group("mailings")
def mailings_group() -> None:
    """List mailings, cancel one, or plan its failed deliveries again.

    \b
    A mailing is one send-out: a release's alert (alert:RELEASE), its embargo
    notice (embargo:RELEASE) or a digest (digest:daily|weekly:TIME); its KEY
    is what `mailings list` and `deliveries` show.
    """


@mailings_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def list_command(state: CliState, fmt: str) -> None:
    """Every mailing with deliveries: its key, when it was planned, where it stands.

    \b
    STATE is one of: in progress (deliveries due or being sent), not due yet
    (and when), paused (why: `send --resume` resumes it), cancelled, finished.
    DONE counts the deliveries sent, failed, bounced or skipped.

    \b
    Exit status: 0 listed (none is no error); 1 the config or database is
    unusable; 2 a malformed command line.
    """
    settings = state.settings()
    summaries = delivery_report(state.engine()).summaries()
    if fmt == "json":
        click.echo(json.dumps([_json(summary) for summary in summaries], indent=2,
                              ensure_ascii=False))
        return
    if not summaries:
        click.echo("No mailings.")
        return
    width = max(len("MAILING"), *(len(summary.key) for summary in summaries))
    click.echo(f"{'MAILING':<{width}}  {'KIND':<8}  {'PLANNED AT':<23}  {'DONE':>13}  STATE")
    for summary in summaries:
        state_text = summary.state
        if summary.state == "not due yet" and summary.due_at is not None:
            state_text += f" (due at {local_time(summary.due_at, settings)})"
        click.echo(
            f"{summary.key:<{width}}  {summary.kind:<8}  "
            f"{local_time(summary.planned_at, settings):<23}  "
            f"{f'{summary.done}/{summary.total}':>13}  {state_text}"
        )


@mailings_group.command("cancel")
@click.argument("key")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def cancel_command(state: CliState, key: str, yes: bool) -> None:
    """Cancel mailing KEY: its planned deliveries are not sent; what was sent stays recorded.

    \b
    Asks for confirmation on a terminal; --yes confirms. Deliveries a sender
    holds at that moment finish as they go (what it sends is recorded as
    sent); cancelling again skips any it handed back. Cancelling a mailing
    twice is harmless.

    \b
    Exit status: 0 cancelled; 1 no mailing has this KEY, the answer was no,
    or the config or database is unusable; 2 a malformed command line, or no
    terminal to ask and no --yes.
    """
    engine = state.engine()
    try:
        check_mailing(engine, key)
    except UnknownMailing as error:
        _unknown(error.key)
    question = f"Cancel mailing {key}? Its planned deliveries will not be sent."
    if not confirm_or_refuse(question, yes=yes, command=f"syndication mailings cancel {key}"):
        click.echo("Nothing cancelled.")
        raise click.exceptions.Exit(EXIT_INVALID)
    try:
        done = cancel_mailing(engine, key, at=datetime.now(UTC))
    except UnknownMailing as error:
        _unknown(error.key)
    click.echo(
        f"Cancelled {key} (at {local_time(done.cancelled_at, state.settings())}): "
        + ngettext("%(num)d planned delivery will not be sent; ",
                   "%(num)d planned deliveries will not be sent; ", done.skipped)
        + ngettext("%(num)d sent before stays recorded.", "%(num)d sent before stay recorded.",
                   done.sent)
    )
    if done.in_flight:
        click.echo(
            ngettext("%(num)d delivery was in a sender's hands: what it sends is recorded; ",
                     "%(num)d deliveries were in a sender's hands: what it sends is recorded; ",
                     done.in_flight)
            + f"run `mailings cancel {key}` again once it has stopped to skip any it handed back."
        )


@mailings_group.command("retry")
@click.argument("key")
@click.pass_obj
def retry_command(state: CliState, key: str) -> None:
    """Plan the failed deliveries of mailing KEY again, due now, with fresh attempts.

    \b
    Bounced deliveries stay bounced: the server refused the address. The next
    `send` (or the service) delivers what was planned again; a paused mailing
    waits for `send --resume`.

    \b
    Exit status: 0 done (nothing failed is no error); 1 no mailing has this
    KEY, it was cancelled, or the config or database is unusable; 2 a
    malformed command line.
    """
    try:
        done = retry_mailing(state.engine(), key, at=datetime.now(UTC))
    except UnknownMailing as error:
        _unknown(error.key)
    except CancelledMailing as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(ngettext("%(key)s: %(num)d failed delivery planned again, due now.",
                        "%(key)s: %(num)d failed deliveries planned again, due now.",
                        done.planned, key=key))
    if done.bounced:
        click.echo(ngettext(
            "%(num)d bounced delivery stays bounced: the address was refused.",
            "%(num)d bounced deliveries stay bounced: the address was refused.", done.bounced))
    if done.paused is not None:
        click.echo(f"The mailing is paused ({done.paused}): `send --resume` resumes it.")


def _unknown(key: str) -> NoReturn:
    click.echo(f"error: {UnknownMailing(key)}", err=True)
    raise click.exceptions.Exit(EXIT_INVALID)


def _json(summary: MailingSummary) -> dict[str, object]:
    return {
        "key": summary.key,
        "kind": summary.kind,
        "planned_at": summary.planned_at.isoformat(),
        "state": summary.state,
        "done": summary.done,
        "total": summary.total,
        "due_at": summary.due_at.isoformat() if summary.due_at else None,
    }
