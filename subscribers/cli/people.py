"""The ``subscribers`` commands about people: add, remove, list, show, erase, purge-pending."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import click

from subscribers.cli.confirmation import confirm_or_refuse
from subscribers.cli.context import (
    engine,
    environment,
    fail,
    fails_cleanly,
    format_option,
    ngettext,
    parse_email,
    parse_languages,
    parse_list_names,
    parse_optional_list_name,
    parse_themes,
)
from subscribers.cli.display import Format, emit, print_json, show_time
from subscribers.directory import find_subscriber, list_subscribers
from subscribers.errors import UnknownSubscriber
from subscribers.lists import list_names as all_list_names
from subscribers.membership import add_subscriber, remove_subscriber
from subscribers.model import Frequency, Person
from subscribers.privacy import erase_person, show_person
from subscribers.purge import purge_pending
from subscribers.reports import person_json, subscriber_json
from subscribers.suppressions import is_suppressed

LIST_COLUMNS = ("email", "name", "organisation", "languages", "lists", "status", "created")


@click.command("add")
@click.argument("email", callback=parse_email)
@click.option("--name", default="", help="The person's name.")
@click.option("--organisation", default="", help="Their newsroom or organisation.")
@click.option(
    "--languages",
    callback=parse_languages,
    help="Comma-separated, in order of preference.  [default: the site languages]",
)
@click.option(
    "--lists",
    "list_names",
    callback=parse_list_names,
    help="Comma-separated list names.  [default: every open list; a closed list (config "
    "public = false, or an embargo list) only when named]",
)
@click.option(
    "--themes", callback=parse_themes, help="Only releases on these themes.  [default: all]"
)
@click.option(
    "--frequency",
    type=click.Choice([member.value for member in Frequency]),
    default=Frequency.IMMEDIATE.value,
    show_default=True,
)
@click.option(
    "--resubscribe",
    is_flag=True,
    help="Bring back an erased, unsubscribed or suppressed address, on the person's request.",
)
@fails_cleanly
def add_command(
    email: str,
    name: str,
    organisation: str,
    languages: tuple[str, ...] | None,
    list_names: tuple[str, ...] | None,
    themes: tuple[str, ...],
    frequency: str,
    resubscribe: bool,
) -> None:
    """Add EMAIL as an active subscriber (consent source: admin)."""
    env = environment()
    opened = engine()
    left_out: list[str] = []  # closed lists a default leaves out
    if list_names is None:
        every = all_list_names(opened)
        list_names = tuple(name for name in every if name not in env.closed_lists)
        left_out = [name for name in every if name in env.closed_lists]
    added = add_subscriber(
        opened,
        email,
        languages=languages or env.languages,
        name=name,
        organisation=organisation,
        lists=list_names,
        themes=themes,
        frequency=Frequency(frequency),
        resubscribe=resubscribe,
        secret=env.secret,
    )
    names = [item.list_name for item in show_person(opened, added.email).subscriptions]
    where = ", ".join(names) or "no list"
    if left_out:
        where += (f" (the default: every open list; {', '.join(left_out)} closed, "
                  "only with --lists)")
    click.echo(f"added {added.email} ({added.status}) to {where}")


@click.command("remove")
@click.argument("email", callback=parse_email)
@click.option(
    "--list", "list_name", callback=parse_optional_list_name, default=None, help="Only this list."
)
@fails_cleanly
def remove_command(email: str, list_name: str | None) -> None:
    """Unsubscribe EMAIL from every list, or from one; the record stays."""
    opened = engine()
    before = find_subscriber(opened, email)
    after = remove_subscriber(opened, email, list_name=list_name)
    if list_name is not None:
        click.echo(f"removed {after.email} from {list_name}")
    if after.status is not before.status:
        click.echo(f"{after.email} is now {after.status}")
    elif list_name is None:
        click.echo(f"{after.email} was {before.status} already: nothing to do")


@click.command("list")
@click.option(
    "--list", "list_name", callback=parse_optional_list_name, default=None, help="Only this list."
)
@click.option("--all", "include_all", is_flag=True, help="Unsubscribed and suppressed too.")
@format_option
@fails_cleanly
def list_command(list_name: str | None, include_all: bool, output: str) -> None:
    """Show the active and pending subscribers (everyone with --all), with their status.

    --format json prints {"total", "items"}, each item as `GET /api/subscribers` gives it.
    """
    found = list_subscribers(engine(), list_name=list_name, include_all=include_all)
    if output == Format.JSON.value:
        items = [subscriber_json(subscriber, names) for subscriber, names in found]
        print_json({"total": len(items), "items": items})
        return
    rows = [
        {
            "email": subscriber.email,
            "name": subscriber.name,
            "organisation": subscriber.organisation,
            "languages": ",".join(subscriber.languages),
            "lists": ",".join(names),
            "status": subscriber.status.value,
            "created": show_time(subscriber.created_at),
        }
        for subscriber, names in found
    ]
    emit(rows, LIST_COLUMNS, Format(output), sys.stdout)


@click.command("show")
@click.argument("email", callback=parse_email)
@click.option(
    "--format",
    "output",
    type=click.Choice([Format.TABLE.value, Format.JSON.value]),
    default=Format.TABLE.value,
    show_default=True,
)
@fails_cleanly
def show_command(email: str, output: str) -> None:
    """Print everything held about EMAIL: record, subscriptions, consent, and every other
    place the site's registry of personal data names (deliveries, outbox copies).

    --format json prints one object, as `GET /api/subscribers/{email}` gives it.
    """
    env = environment()
    opened = engine()
    try:
        person = show_person(opened, email)
    except UnknownSubscriber:
        if env.secret is not None and is_suppressed(opened, email, env.secret):
            click.echo(f"nothing is held about {email}: it was erased (only a keyed hash remains)")
            return
        raise
    held: Mapping[str, list[dict[str, str]]] = {}
    if env.access_hook is not None:
        with opened.connect() as conn:
            held = env.access_hook(conn, person.subscriber.email, [person.subscriber.id])
    if output == Format.JSON.value:
        print_json({**person_json(person), **held})
        return
    sections = {**_sections(person), **held}
    stream = sys.stdout
    for title, rows in sections.items():
        columns = list(dict.fromkeys(key for row in rows for key in row)) or ["(none)"]
        emit(rows, columns, Format.TABLE, stream, title=title)
        stream.write("\n")


def _sections(person: Person) -> dict[str, list[dict[str, str]]]:
    held = person.subscriber
    record = {
        "email": held.email,
        "name": held.name,
        "organisation": held.organisation,
        "languages": ",".join(held.languages),
        "status": held.status.value,
        "created": show_time(held.created_at),
        "confirmed": show_time(held.confirmed_at),
        "bounces": str(held.bounces),
    }
    return {
        "subscriber": [{"field": key, "value": value} for key, value in record.items()],
        "subscriptions": [
            {
                "list": item.list_name,
                "themes": ",".join(item.themes) or "(all)",
                "frequency": item.frequency.value,
                "since": show_time(item.created_at),
            }
            for item in person.subscriptions
        ],
        "consent": [
            {
                "source": item.source.value,
                "given": show_time(item.given_at),
                "confirmed": show_time(item.confirmed_at),
                "withdrawn": show_time(item.withdrawn_at),
                "detail": item.detail,
            }
            for item in person.consents
        ],
    }


@click.command("erase")
@click.argument("email", callback=parse_email)
@click.option("--yes", is_flag=True, help="Do not ask: erasing cannot be undone.")
@fails_cleanly
def erase_command(email: str, yes: bool) -> None:
    """Forget EMAIL everywhere, keeping a keyed hash so it is never mailed again.

    Asks first on a terminal; without one, needs --yes (exit 2 otherwise).
    """
    env = environment()
    if env.secret is None:
        fail(f"erase needs the site secret to keep the keyed hash: set {env.secret_env}")
        return
    if not confirm_or_refuse(f"Erase {email} for ever (it cannot be undone)?", yes=yes,
                             command=f"syndication subscribers erase {email}"):
        fail("nothing erased")
        return
    done = erase_person(engine(), email, env.secret, hook=env.erase_hook)
    if done.held:
        click.echo(f"erased {done.email}: record, subscriptions and consent deleted,")
        click.echo("delivery records unlinked; only a keyed hash is kept, so it is never mailed")
    else:
        click.echo(f"nothing was held about {done.email}; it is now blocked from being added")
    for line in done.removed:
        click.echo(f"also removed: {line}")
    if not done.wal_scrubbed:
        click.echo("warning: the SQLite write-ahead log is in use; run erase again later", err=True)


@click.command("purge-pending")
@fails_cleanly
def purge_pending_command() -> None:
    """Forget sign-ups never confirmed whose confirmation link has expired (7 days).

    `run` does this every hour; the record, its subscriptions and consents go, no hash stays.
    """
    purged = purge_pending(engine())
    click.echo(ngettext("purged %(num)d pending sign-up never confirmed",
                        "purged %(num)d pending sign-ups never confirmed", purged))
