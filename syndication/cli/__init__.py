"""The `syndication` command line: a thin layer over the library, one module per group."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from subscribers.cli import lists_group, subscribers_group
from syndication.cli.admins import admins_group, audit_command
from syndication.cli.audited import AuditedGroup
from syndication.cli.deliveries import deliveries_command
from syndication.cli.mail import send_command
from syndication.cli.mailings import mailings_group
from syndication.cli.preview import preview_command
from syndication.cli.scheduler import publish_command, run_command
from syndication.cli.site import build_command, check_command, init_command
from syndication.cli.state import CliState, subscribers_context
from syndication.file_modes import PRIVATE_UMASK


@click.group(cls=AuditedGroup, context_settings={"help_option_names": ["-h", "--help"]})
# The installed distribution's metadata, so the number printed is the one pip installed.
@click.version_option(package_name="syndication", message="%(prog)s %(version)s")
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Config file (default: $SYNDICATION_CONFIG, else ./config.toml).",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Publish press releases as feeds, pages and newsletters."""
    state = CliState(config_path)
    ctx.obj = state
    ctx.meta["subscribers.context"] = lambda: subscribers_context(state)


cli.add_command(init_command)
cli.add_command(check_command)
cli.add_command(build_command)
cli.add_command(publish_command)
cli.add_command(run_command)
cli.add_command(send_command)
cli.add_command(preview_command)
cli.add_command(deliveries_command)
cli.add_command(mailings_group)
cli.add_command(subscribers_group)
cli.add_command(lists_group)
cli.add_command(admins_group)
cli.add_command(audit_command)


def main() -> None:
    """Console-script entry point."""
    os.umask(PRIVATE_UMASK)  # what libraries write (SQLite, mailbox) is private from the start
    sys.exit(cli.main(prog_name="syndication", standalone_mode=True))
