"""Fixtures of the command-line tests: a private site and a way to run the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result

from harness.sites import Site

Run = Callable[..., Result]


@pytest.fixture
def site(empty_site: Site) -> Site:
    """A private SQLite site (Maildir transport) with no release and no subscriber yet."""
    return empty_site


@pytest.fixture
def run(site: Site) -> Run:
    """Run `syndication --config SITE ARGUMENTS...` in this process (input= types answers)."""
    from syndication.cli import cli

    def invoke(*arguments: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--config", str(site.config), *arguments], input=input)

    return invoke


def rfc3339(moment: datetime) -> str:
    """An instant as the command line takes it."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def hours_from_now(hours: float) -> datetime:
    """An instant relative to the real clock, to the second."""
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0)
