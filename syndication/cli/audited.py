"""The CLI's part of the audit log: each command that changes something is recorded.

`AuditedGroup` is the top `syndication` group: it keeps the command line it parsed and,
once a changing command has run (exit 0; an import also when some rows were rejected,
since the others went in), records it with the OS user and the host. An erase is
recorded without the address it erased.
"""

from __future__ import annotations

from typing import Any

import click

from syndication.cli.options import SyndicationGroup
from syndication.console.audit import cli_actor, record_change

# The command paths that change state, and the exit statuses after which they did.
CHANGES: dict[tuple[str, ...], frozenset[int]] = {
    ("subscribers", "add"): frozenset({0}),
    ("subscribers", "remove"): frozenset({0}),
    ("subscribers", "erase"): frozenset({0}),
    ("subscribers", "purge-pending"): frozenset({0}),
    ("subscribers", "import"): frozenset({0, 1}),
    ("lists", "create"): frozenset({0}),
    ("lists", "delete"): frozenset({0}),
    ("mailings", "cancel"): frozenset({0}),
    ("mailings", "retry"): frozenset({0}),
    ("admins", "add"): frozenset({0}),
    ("admins", "remove"): frozenset({0}),
}
ARGV_KEY = "audit.argv"
HELP = frozenset({"--help", "-h"})


class AuditedGroup(SyndicationGroup):
    """A group recording the changing commands it runs in the audit log."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Keep the command line, then parse it as a group does."""
        ctx.meta[ARGV_KEY] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; record it if it changed something."""
        try:
            result = super().invoke(ctx)
        except click.exceptions.Exit as stop:
            _record(ctx, stop.exit_code)
            raise
        except SystemExit as stop:
            _record(ctx, stop.code if isinstance(stop.code, int) else 1)
            raise
        _record(ctx, 0)
        return result


def _record(ctx: click.Context, status: int) -> None:
    argv: list[str] = ctx.meta.get(ARGV_KEY, [])
    if HELP & set(argv):
        return  # `--help` changes nothing
    words = [word for word in argv if not word.startswith("-")]
    path = next((key for key in CHANGES if _starts_with(words, key)), None)
    if path is None or status not in CHANGES[path]:
        return
    state = ctx.obj
    rest = argv[argv.index(path[1]) + 1:] if path[1] in argv else []
    subject = rest[0] if rest and not rest[0].startswith("-") else ""
    erased = subject if path == ("subscribers", "erase") else None
    engine = state.engine()
    try:
        record_change(engine, cli_actor(), " ".join(path), subject=subject,
                      detail=" ".join(rest[1:] if subject else rest), erased=erased)
    finally:
        # The command's own context has closed (and disposed the engine) by now: the
        # connection this opened is closed here, not left to the garbage collector.
        engine.dispose()


def _starts_with(words: list[str], path: tuple[str, ...]) -> bool:
    # Group options come first (--config FILE): the path is the first pair of known words.
    return any((words[index], words[index + 1]) == path for index in range(len(words) - 1))
