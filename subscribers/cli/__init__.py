"""The ``subscribers`` and ``lists`` command groups, mounted by the main ``syndication`` CLI.

The mounting CLI sets ``ctx.meta["subscribers.context"]`` to a zero-argument callable
returning a ``SubscribersContext`` (see `context` for exit codes and errors).
"""

from __future__ import annotations

import click

from subscribers.cli.context import CONTEXT_KEY, SubscribersContext
from subscribers.cli.lists import create_list_command, delete_list_command, list_lists_command
from subscribers.cli.people import (
    add_command,
    erase_command,
    list_command,
    purge_pending_command,
    remove_command,
    show_command,
)
from subscribers.cli.transfer import export_command, import_command

__all__ = ["CONTEXT_KEY", "SubscribersContext", "lists_group", "subscribers_group"]


@click.group("subscribers")
def subscribers_group() -> None:
    """Manage subscribers: add, remove, list, show, erase, purge-pending, import, export."""


@click.group("lists")
def lists_group() -> None:
    """Manage the mailing lists releases are sent to."""


for _command in (
    add_command,
    remove_command,
    list_command,
    show_command,
    erase_command,
    purge_pending_command,
    import_command,
    export_command,
):
    subscribers_group.add_command(_command)
for _command in (create_list_command, list_lists_command, delete_list_command):
    lists_group.add_command(_command)
