"""SPEC "Confirmations": a destructive command asks on a terminal and accepts `--yes` always;
without a terminal and without `--yes` it refuses (exit 2) and says how to confirm.

Here, the lowest command-line layer, so `subscribers erase`, `lists delete` and
`mailings cancel` share one rule."""

from __future__ import annotations

import sys

import click

EXIT_USAGE = 2  # SPEC "Precisely": a missing --yes where one is required


def on_terminal() -> bool:
    """Whether someone can answer a question: stdin and stdout are terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm_or_refuse(question: str, *, yes: bool, command: str) -> bool:
    """True to go on: `--yes`, or "yes" typed on a terminal; False when the answer is no.

    Without a terminal and without `--yes`, exit 2 naming the command to run instead.
    """
    if yes:
        return True
    if not on_terminal():
        click.echo(
            f"error: {question} Nobody can answer here (no terminal): run `{command} --yes` "
            "to confirm.", err=True,
        )
        raise click.exceptions.Exit(EXIT_USAGE)
    return click.confirm(question, default=False)
