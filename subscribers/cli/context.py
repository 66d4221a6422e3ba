"""What the subscribers commands run in: the site environment, error reporting, parameters.

The mounting CLI puts in ``ctx.meta["subscribers.context"]`` a callable returning a
``SubscribersContext``; it is called once, when a command first needs it.

Exit codes (SPEC, Command line, "Precisely"): 0 on success; 1 when the command line is
well-formed but names something that does not exist (a list, subscriber, language or theme
the site does not have: `not_found`), when some input was invalid or some work failed (an
erased address, a rejected CSV row, an unreachable database); 2 for a malformed command
line (a malformed address or list name, a bad ``--frequency`` or ``--format``).
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, ParamSpec

import click
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from subscribers.addresses import normalise_email
from subscribers.cli.display import Format
from subscribers.errors import InvalidEmail, InvalidValue, MissingSecret, SubscriberError
from subscribers.fields import check_languages, check_list_name, check_themes, split_values
from subscribers.keyring import Secret
from subscribers.privacy import AccessHook, EraseHook
from subscribers.schema import open_database

CONTEXT_KEY = "subscribers.context"
_CACHE_KEY = "subscribers.context.value"
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class SubscribersContext:
    """What the commands need from the site: database, languages, themes, secret."""

    database_url: str
    languages: tuple[str, ...]
    themes: frozenset[str]
    secret: Secret | None
    secret_env: str
    # Everything else held on a person (deliveries, outbox copies: the site's registry).
    access_hook: AccessHook | None = None
    closed_lists: frozenset[str] = frozenset()  # never a default: only when named
    declared_lists: frozenset[str] = frozenset()  # the site's config declares them
    erase_hook: EraseHook | None = None  # the site's own places of personal data
    # The mounting CLI's words (its language's plural forms); English source by default.
    plural: Callable[[str, str, int], str] = lambda singular, plural, n: (
        singular if n == 1 else plural)


def environment() -> SubscribersContext:
    """Return the site environment the mounting CLI put in the click context."""
    ctx = click.get_current_context()
    cached = ctx.meta.get(_CACHE_KEY)
    if isinstance(cached, SubscribersContext):
        return cached
    factory = ctx.meta.get(CONTEXT_KEY)
    if factory is None:
        raise click.UsageError("no site configured for the subscribers commands")
    value = factory()
    ctx.meta[_CACHE_KEY] = value
    return value  # type: ignore[no-any-return]


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for `n` in the CLI's language, `%(num)d` and the other `values` filled in."""
    return environment().plural(singular, plural, n) % {"num": n, **values}


def engine() -> Engine:
    """Open the site database for this command; it is disposed when the command ends."""
    opened = open_database(environment().database_url)
    click.get_current_context().call_on_close(opened.dispose)
    return opened


def fail(message: str) -> None:
    """Print one error line on stderr and exit 1."""
    click.echo(f"error: {message}", err=True)
    click.get_current_context().exit(1)


def fails_cleanly(command: Callable[P, None]) -> Callable[P, None]:
    """Turn this package's and the database's errors into one line on stderr and exit 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except MissingSecret as error:
            fail(f"{error}: set the {environment().secret_env} environment variable")
        except SubscriberError as error:
            fail(str(error))
        except (OperationalError, IntegrityError) as error:
            fail(f"database: {str(error.orig).strip().splitlines()[0]}")

    return run


def not_found(option: str, message: str) -> NoReturn:
    """A well-formed option value naming nothing the site has: one line, exit 1 (not 2)."""
    click.echo(f"error: {option}: {message}", err=True)
    raise click.exceptions.Exit(1)


def _option_name(param: click.Parameter) -> str:
    return param.opts[0] if param.opts else (param.name or "value")


def parse_email(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Click callback: a normalised email address."""
    try:
        return normalise_email(value)
    except InvalidEmail as error:
        raise click.BadParameter(error.reason) from None


def parse_languages(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    """Click callback: languages the site has, in the given order (None when omitted)."""
    if value is None:
        return None
    values = split_values(value.lower())
    if not values:
        raise click.BadParameter("no language given")
    try:
        return check_languages(values, environment().languages)
    except InvalidValue as error:
        not_found(_option_name(_param), str(error))


def parse_themes(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[str, ...]:
    """Click callback: configured theme slugs (empty: every theme)."""
    try:
        return check_themes(split_values((value or "").lower()), environment().themes)
    except InvalidValue as error:
        not_found(_option_name(_param), str(error))


def parse_list_names(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    """Click callback: well-formed list names (None when omitted)."""
    if value is None:
        return None
    return tuple(parse_list_name(_ctx, _param, name) for name in split_values(value.lower()))


def parse_list_name(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Click callback: one well-formed list name."""
    try:
        return check_list_name(value)
    except InvalidValue as error:
        raise click.BadParameter(str(error)) from None


def parse_optional_list_name(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """Click callback: one well-formed list name, or None when omitted."""
    return None if value is None else parse_list_name(ctx, param, value)


format_option = click.option(
    "--format",
    "output",
    type=click.Choice([member.value for member in Format]),
    default=Format.TABLE.value,
    show_default=True,
    help="table: a table on a terminal, aligned columns otherwise.",
)
