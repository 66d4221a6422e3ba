"""The ``subscribers`` commands moving people in and out as CSV: import, export."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress

from subscribers.cli.context import engine, environment, fail, fails_cleanly, ngettext
from subscribers.csvio import export_csv, import_csv


def on_terminal() -> bool:
    """Tell whether stderr is a terminal (where the progress bar goes)."""
    return sys.stderr.isatty()


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Import nothing if any row is rejected.")
@fails_cleanly
def import_command(file: Path, strict: bool) -> None:
    """Import subscribers from FILE, a UTF-8 CSV file delimited by , or ;.

    \b
    Header line (required; any order, only email is mandatory):
      email,name,organisation,languages,lists,themes,frequency
    Several values in a cell are separated by ; (quote the cell in a ;-file,
    or use , or |). Empty languages: the site languages; empty lists: every
    list; empty frequency: immediate. Every rejected row is reported with its
    line number; the good rows are imported (none with --strict); exit 1 if
    any row was rejected.
    """
    if not file.is_file():  # well-formed, names nothing: exit 1 (SPEC "Precisely"), not 2
        fail(f"{file}: no such file")
        return
    env = environment()
    opened = engine()
    if on_terminal():
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"importing {file.name}", total=None)
            report = import_csv(
                opened,
                file,
                secret=env.secret,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                languages=env.languages,
                themes=env.themes,
                strict=strict,
                closed_lists=env.closed_lists,
            )
    else:
        report = import_csv(
            opened,
            file,
            secret=env.secret,
            languages=env.languages,
            themes=env.themes,
            strict=strict,
            closed_lists=env.closed_lists,
        )
    for error in report.errors:
        click.echo(f"{file}:{error.line}: {error.reason}", err=True)
    if report.errors and strict and not report.imported:
        click.echo(ngettext("nothing imported (--strict): %(num)d row rejected",
                            "nothing imported (--strict): %(num)d rows rejected",
                            len(report.errors)))
    else:
        click.echo(ngettext("imported %(num)d row, rejected %(rejected)d",
                            "imported %(num)d rows, rejected %(rejected)d",
                            report.imported, rejected=len(report.errors)))
    if report.errors:
        click.get_current_context().exit(1)


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@fails_cleanly
def export_command(file: Path | None) -> None:
    """Write the active subscribers as CSV to FILE (with a BOM, for spreadsheets) or stdout."""
    opened = engine()
    if file is None:
        export_csv(opened, sys.stdout)
        return
    with file.open("w", encoding="utf-8-sig", newline="") as out:
        written = export_csv(opened, out)
    click.echo(ngettext("exported %(num)d row to %(file)s", "exported %(num)d rows to %(file)s",
                        written, file=file))
