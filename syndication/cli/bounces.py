"""`bounces import PATH`: bounce and complaint reports from a file, an mbox or a Maildir."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from syndication.bounces.intake import Tally, take_report
from syndication.bounces.schema import Source
from syndication.bounces.sources import read_reports
from syndication.cli.state import EXIT_INVALID, CliState
from syndication.cli.words import ngettext
from syndication.errors import ReportSourceError


@click.group("bounces")
def bounces_group() -> None:
    """Bounce and complaint reports (RFC 3464 DSNs, RFC 5965 ARF) that came back."""


@bounces_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_obj
def import_command(state: CliState, path: Path) -> None:
    """Record the reports in PATH: one message, an mbox or a Maildir.

    \b
    Each report is matched to its delivery by its VERP return path or by an
    original Message-ID that carries the product's signature, never by a
    guess: a hard bounce makes the delivery bounced and counts toward
    [mail] suppress_after; a soft bounce counts half, at most once a day per
    address; a complaint suppresses the subscriber at once. Reports that
    match nothing (unsigned, forged, unparseable, too large) are kept aside
    and counted. Reports whose delivery is still being sent are left: import
    them again later. The files are not changed.

    \b
    Exit status: 0 every report was read (matched or kept aside); 1 PATH is
    not a message, an mbox or a Maildir, or the config or database is
    unusable; 2 a malformed command line.
    """
    settings = state.settings()
    engine = state.engine()
    tally = Tally()
    try:
        for _name, data in read_reports(path):
            tally.add(take_report(engine, settings, data, source=Source.IMPORT,
                                  now=datetime.now(UTC)))
    except ReportSourceError as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(summary(tally))


def summary(tally: Tally) -> str:
    """One paragraph: matched by kind, counted, kept aside by reason, deferred."""
    matched = sum(tally.matched.values())
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(tally.matched.items()))
    lines = [ngettext("%(num)d report matched", "%(num)d reports matched", matched)
             + (f" ({kinds})" if kinds else "") + ", "
             + ngettext("%(num)d counted toward suppression.",
                        "%(num)d counted toward suppression.", tally.counted)]
    unmatched = sum(tally.unmatched.values())
    reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(tally.unmatched.items()))
    lines.append(ngettext("%(num)d report kept aside unmatched",
                          "%(num)d reports kept aside unmatched", unmatched)
                 + (f" ({reasons})." if reasons else "."))
    if tally.deferred:
        lines.append(ngettext(
            "Left for later: %(num)d report (its delivery is still being sent).",
            "Left for later: %(num)d reports (their deliveries are still being sent).",
            tally.deferred))
    return "\n".join(lines)
