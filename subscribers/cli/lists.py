"""The ``lists`` commands: create, list, delete."""

from __future__ import annotations

import sys

import click

from subscribers.cli.confirmation import confirm_or_refuse
from subscribers.cli.context import (
    engine,
    environment,
    fail,
    fails_cleanly,
    format_option,
    ngettext,
    parse_list_name,
)
from subscribers.cli.display import Format, emit, print_json
from subscribers.lists import count_members, create_list, delete_list, list_lists
from subscribers.reports import lists_json


@click.command("create")
@click.argument("name", callback=parse_list_name)
@click.option("--label", default="", help="A human-readable title for the list.")
@fails_cleanly
def create_list_command(name: str, label: str) -> None:
    """Create the list NAME (lower-case letters, digits, - and _)."""
    created = create_list(engine(), name, label=label)
    click.echo(f"created list {created.name}")


@click.command("list")
@format_option
@fails_cleanly
def list_lists_command(output: str) -> None:
    """Show every list with its number of active subscribers.

    --format json prints what `GET /api/lists` gives: [{"name", "label", "members"}].
    """
    opened = engine()
    counts = count_members(opened)
    if output == Format.JSON.value:
        print_json(lists_json(list_lists(opened), counts))
        return
    rows = [
        {"name": item.name, "label": item.label, "subscribers": str(counts.get(item.name, 0))}
        for item in list_lists(opened)
    ]
    emit(rows, ("name", "label", "subscribers"), Format(output), sys.stdout)


@click.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask: the subscriptions go with the list.")
@fails_cleanly
def delete_list_command(name: str, yes: bool) -> None:
    """Delete the list NAME and every subscription to it (subscribers stay).

    Asks first on a terminal; without one, needs --yes (exit 2 otherwise).
    """
    if name in environment().declared_lists:
        fail(f"the list {name} is declared in the site's config ([lists.{name}]), which "
             "creates it again at every start: remove it there first")
        return
    members = count_members(engine())
    if name in members and not confirm_or_refuse(  # an unknown list fails below, unasked
        ngettext("Delete the list %(name)s (%(num)d active member loses it)?",
                 "Delete the list %(name)s (%(num)d active members lose it)?",
                 members[name], name=name), yes=yes,
        command=f"syndication lists delete {name}",
    ):
        fail("nothing deleted")
        return
    removed = delete_list(engine(), name)
    click.echo(ngettext("deleted list %(name)s and its %(num)d subscription",
                        "deleted list %(name)s and its %(num)d subscriptions", removed, name=name))
