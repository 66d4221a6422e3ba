"""The `syndication` command line: a thin layer over the library, one module per group."""

from __future__ import annotations

import os
import sys

import click

from subscribers.cli import lists_group, subscribers_group
from syndication.cli.bounces import bounces_group
from syndication.cli.deliveries import deliveries_command
from syndication.cli.mail import send_command
from syndication.cli.mailings import mailings_group
from syndication.cli.options import SyndicationGroup, accept_everywhere
from syndication.cli.preview import preview_command
from syndication.cli.scheduler import publish_command, run_command
from syndication.cli.site import build_command, check_command, init_command, secret_command
from syndication.cli.state import CliState, subscribers_context
from syndication.file_modes import PRIVATE_UMASK


@click.group(cls=SyndicationGroup, context_settings={"help_option_names": ["-h", "--help"]})
# The installed distribution's metadata, so the number printed is the one pip installed.
@click.version_option(package_name="syndication", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Publish press releases as feeds, pages and newsletters.

    \b
    Exit status, every command: 0 success; 1 the command line is well-formed
    but names something that does not exist (a list, theme, language, release,
    mailing), some input is invalid (a file, a CSV row) or some work failed
    (after doing the rest); 2 the command line is malformed (unknown command or
    option, a missing argument, a value of the wrong syntax, a missing --yes).
    --config and --format go before or after the command name.
    """
    state = CliState()
    ctx.obj = state
    ctx.meta["subscribers.context"] = lambda: subscribers_context(state)


cli.add_command(init_command)
cli.add_command(check_command)
cli.add_command(secret_command)
cli.add_command(build_command)
cli.add_command(publish_command)
cli.add_command(run_command)
cli.add_command(send_command)
cli.add_command(preview_command)
cli.add_command(deliveries_command)
cli.add_command(bounces_group)
cli.add_command(mailings_group)
cli.add_command(subscribers_group)
cli.add_command(lists_group)
accept_everywhere(cli)  # for readers of the tree (the docs); each invocation does it again


def main() -> None:
    """Console-script entry point."""
    os.umask(PRIVATE_UMASK)  # what libraries write (SQLite, mailbox) is private from the start
    sys.exit(cli.main(prog_name="syndication", standalone_mode=True))
