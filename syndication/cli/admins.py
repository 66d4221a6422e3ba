"""`admins add|list|remove`: the console's accounts, and `audit`: the log of changes."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from subscribers.cli.confirmation import confirm_or_refuse
from syndication.cli.deliveries import local_time
from syndication.cli.state import EXIT_INVALID, EXIT_USAGE, CliState
from syndication.console.accounts import Role, add_admin, list_admins, remove_admin
from syndication.console.audit import read_audit
from syndication.durations import parse_duration
from syndication.errors import AccountError


@click.group("admins")
def admins_group() -> None:
    """Manage the accounts of the console (`run` serves it under /admin/).

    \b
    An editor sees everything but personal-data exports, previews releases and
    sends tests; an admin may also change subscribers and lists, import, export,
    erase, and cancel or retry mailings.
    """


@admins_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--email", default="", help="Where the console's test sends go.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin (for scripts).")
@click.pass_obj
def add_command(state: CliState, name: str, role: str, email: str, password_stdin: bool) -> None:
    """Add an account NAME; the password is asked twice on a terminal.

    \b
    Exit status: 0 added; 1 the name exists, is malformed or the password is too
    short; 2 no password can be read (no terminal and no --password-stdin).
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        click.echo("error: no terminal to ask the password on: pipe it with --password-stdin",
                   err=True)
        raise click.exceptions.Exit(EXIT_USAGE)
    try:
        added = add_admin(state.engine(), name, role=Role(role), password=password, email=email)
    except AccountError as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(f"added {added.role.value} {added.name}")


@admins_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_obj
def list_command(state: CliState, fmt: str) -> None:
    """Every account: name, role, email, when it was added."""
    settings = state.settings()
    found = list_admins(state.engine())
    if fmt == "json":
        click.echo(json.dumps([{"name": a.name, "role": a.role.value, "email": a.email,
                                "created_at": a.created_at.isoformat()} for a in found],
                              indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No admins: add one with `syndication admins add NAME --role admin`.")
        return
    width = max(len("NAME"), *(len(a.name) for a in found))
    click.echo(f"{'NAME':<{width}}  {'ROLE':<6}  {'ADDED':<23}  EMAIL")
    for a in found:
        click.echo(f"{a.name:<{width}}  {a.role.value:<6}  "
                   f"{local_time(a.created_at, settings):<23}  {a.email}")


@admins_group.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove_command(state: CliState, name: str, yes: bool) -> None:
    """Remove the account NAME; its sessions end at once."""
    engine = state.engine()
    if not confirm_or_refuse(f"Remove the console account {name!r}?", yes=yes,
                             command=f"syndication admins remove {name}"):
        click.echo("nothing removed")
        return
    try:
        remove_admin(engine, name)
    except AccountError as error:
        click.echo(f"error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(f"removed {name}")


@click.command("audit")
@click.option("--since", default=None,
              help='Only changes since TIME: an ISO 8601 time ("2026-12-01T09:00+01:00", '
                   'a date) or a duration ago ("24h", "7d").')
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_obj
def audit_command(state: CliState, since: str | None, fmt: str) -> None:
    """Every change made through the console, the API or the CLI, newest first.

    \b
    Columns: when, who, through what (console, api, cli), from where, what was
    done, to what. Exit status: 0 shown; 1 the config or database is unusable;
    2 a malformed --since.
    """
    settings = state.settings()
    start = None if since is None else _since(since, settings.timezone)
    entries = read_audit(state.engine(), since=start, limit=100_000)
    if fmt == "json":
        click.echo(json.dumps([e.as_json() for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo("No changes recorded.")
        return
    who = max(len("WHO"), *(len(e.actor) for e in entries))
    where = max(len("FROM"), *(len(e.origin) for e in entries))
    click.echo(f"{'WHEN':<23}  {'WHO':<{who}}  {'VIA':<7}  {'FROM':<{where}}  WHAT")
    for e in entries:
        what = " ".join(part for part in (e.action, e.target, e.detail) if part)
        click.echo(f"{local_time(e.at, settings):<23}  {e.actor:<{who}}  {e.channel:<7}  "
                   f"{e.origin:<{where}}  {what}")


def _since(text: str, zone: ZoneInfo) -> datetime:
    try:
        return datetime.now(UTC) - parse_duration(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        click.echo(f"error: --since: {text!r} is neither an ISO 8601 time nor a duration "
                   'like "24h" or "7d"', err=True)
        raise click.exceptions.Exit(EXIT_USAGE) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment
