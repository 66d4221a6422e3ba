"""What every command shares: the settings, loaded once, and the database engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click
import sqlalchemy

from subscribers.cli import SubscribersContext
from syndication.audience import closed_lists
from syndication.cli.options import config_path
from syndication.cli.words import cli_words
from syndication.config import Settings, default_config_path, load_settings
from syndication.errors import ConfigError
from syndication.personal_data import access_hook, erase_hook
from syndication.releases.catalog import load_site_releases

EXIT_INVALID = 1
EXIT_USAGE = 2  # SPEC "Precisely": a malformed command line, a missing --yes


@dataclass
class CliState:
    """Lazily loaded settings and engine for the commands of one invocation."""

    config_path: Path | None = None  # else the --config given anywhere on the line
    _settings: Settings | None = field(default=None, init=False)
    _engine: sqlalchemy.Engine | None = field(default=None, init=False)

    def settings(self) -> Settings:
        """The settings; on a bad config, print every problem and exit 1."""
        if self._settings is None:
            path = self.config_path or config_path() or default_config_path()
            try:
                self._settings = load_settings(path)
            except ConfigError as error:
                for problem in error.problems:
                    click.echo(f"error: {problem}", err=True)
                raise click.exceptions.Exit(EXIT_INVALID) from None
        return self._settings

    def engine(self) -> sqlalchemy.Engine:
        """The database, its schema created or upgraded."""
        if self._engine is None:
            from syndication.database import open_store

            settings = self.settings()
            try:
                self._engine = open_store(settings)
            except sqlalchemy.exc.SQLAlchemyError as error:
                url = sqlalchemy.make_url(settings.database_url).render_as_string()
                reason = str(getattr(error, "orig", None) or error).splitlines()[0]
                click.echo(f"error: {settings.config_path}: database.url: cannot open {url}: "
                           f"{reason}", err=True)
                raise click.exceptions.Exit(EXIT_INVALID) from None
            click.get_current_context().call_on_close(self._engine.dispose)
        return self._engine


def subscribers_context(state: CliState) -> SubscribersContext:
    """The environment the `subscribers` and `lists` commands need, from the settings."""
    settings = state.settings()
    from syndication.database import open_store  # noqa: F401 - syndication tables first

    engine = state.engine()
    return SubscribersContext(
        database_url=settings.database_url,
        languages=settings.languages,
        themes=frozenset(settings.themes),
        secret=settings.keyring(),
        secret_env=settings.web.secret_env,
        access_hook=access_hook(settings),  # deliveries, outbox copies: GDPR access
        closed_lists=closed_lists(settings, load_site_releases(engine, settings).releases),
        declared_lists=frozenset(settings.lists),
        erase_hook=erase_hook(settings),  # the outbox's replies and Maildir copies too
        plural=cli_words().ngettext,
    )
