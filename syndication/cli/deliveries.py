"""`deliveries`: what the outbox holds, by mailing and status, with every planned one explained."""

from __future__ import annotations

import json
from datetime import datetime

import click

from syndication.bounces.history import KINDS, AfterSending, after_sending
from syndication.cli.site import load_state_releases
from syndication.cli.state import EXIT_INVALID, CliState
from syndication.cli.words import ngettext
from syndication.config import Settings
from syndication.delivery.report import STATUSES, DeliveryReport, delivery_report


@click.command("deliveries")
@click.argument("release_id", metavar="[RELEASE]", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def deliveries_command(state: CliState, release_id: str | None, fmt: str) -> None:
    """Counts by mailing and status, deliveries not due yet or waiting for a retry, failures.

    \b
    With RELEASE: only the mailings that carry it (its alert, its embargo
    notice, the digests it is in). Every planned delivery is explained: due
    now (the next `send` delivers it), not due yet (and when), waiting for a
    retry (attempts, next time, last reply), or of a paused mailing (why).
    A cancelled mailing says when it was cancelled; its planned deliveries
    were skipped. Bounces and complaints that came back after sending are
    counted by mailing (hard, soft, complaint), and reports that matched no
    delivery of ours by reason.

    \b
    Exit status: 0 the report was printed, failures in it included; 1 RELEASE
    names no release (no such file in the releases folder, no mailing carries
    it), or the config or database is unusable; 2 a malformed command line.
    """
    settings = state.settings()
    report = delivery_report(state.engine(), release_id=release_id)
    if release_id is not None and not report.mailings and not _release_exists(state, release_id):
        click.echo(
            f"error: no release {release_id!r}: no such release in {settings.releases_dir} "
            "and no mailing carries it", err=True,
        )
        raise click.exceptions.Exit(EXIT_INVALID)
    keys = [line.key for line in report.mailings] if release_id is not None else None
    reports = after_sending(state.engine(), mailing_keys=keys)
    if fmt == "json":
        data = {**report.as_json(), "after_sending": reports.as_json()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print_report(report, settings)
        _print_after_sending(reports)


def _release_exists(state: CliState, release_id: str) -> bool:
    """Whether a release file has this id (valid, or named after it though invalid)."""
    if (state.settings().releases_dir / f"{release_id}.toml").is_file():
        return True
    return any(release.id == release_id for release in load_state_releases(state).releases)


def _print_report(report: DeliveryReport, settings: Settings) -> None:
    if not report.mailings:
        click.echo("No mailings.")
        return
    width = max(len("MAILING"), *(len(line.key) for line in report.mailings))
    click.echo(f"{'MAILING':<{width}}  " + "  ".join(f"{status.upper():>7}" for status in STATUSES))
    for line in report.mailings:
        counts = "  ".join(f"{line.counts.get(status, 0):>7}" for status in STATUSES)
        click.echo(f"{line.key:<{width}}  {counts}")
        if line.cancelled_at is not None:
            click.echo(
                f"  cancelled at {local_time(line.cancelled_at, settings)}: its planned "
                "deliveries were skipped"
            )
        if line.pause_reason:
            click.echo(f"  paused: {line.pause_reason}")
    _print_section("Not due yet (planned):", [
        f"{waiting.mailing}: {waiting.count} due at {local_time(waiting.due_at, settings)}"
        for waiting in report.waiting
    ])
    _print_section("Waiting for a retry (planned):", [
        f"{retry.mailing}: {retry.count} "
        + ngettext("after %(num)d attempt", "after %(num)d attempts", retry.attempts)
        + f", next at {local_time(retry.next_attempt_at, settings)}: {retry.reply}"
        for retry in report.retries
    ])
    _print_section("Failures:", [
        f"{failure.mailing}: {failure.count} {failure.status}: {failure.reply}"
        for failure in report.failures
    ])


def _print_after_sending(reports: AfterSending) -> None:
    _print_section("Bounces and complaints after sending:", [
        f"{key}: " + ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in KINDS)
        for key, counts in reports.by_mailing.items()
    ])
    if reports.unmatched:
        reasons = ", ".join(f"{count} {reason}" for reason, count in reports.unmatched.items())
        click.echo("\n" + ngettext("Reports kept aside unmatched: %(num)d",
                                   "Reports kept aside unmatched: %(num)d",
                                   sum(reports.unmatched.values())) + f" ({reasons})")


def _print_section(title: str, lines: list[str]) -> None:
    if lines:
        click.echo(f"\n{title}")
        for line in lines:
            click.echo(f"  {line}")


def local_time(moment: datetime, settings: Settings) -> str:
    """An instant as the site's local time, for people to read."""
    return moment.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")
