"""Fixtures of the security and hostile-input tests: a built site, its app, its good data.

`good_data` is what no hostile request may change: two active subscribers (one on every
list, one on the closed embargo list) with their subscriptions and consents, and the
lists. `Tally` counts cases by outcome, for the summaries the tests print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette

from subscribers.schema import consents, lists, subscribers, subscriptions
from syndication.web.app import create_app
from tests.scheduler.sites import Site, open_built_example

GOOD = ("good@example.org", "accredited@example.org")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A private SQLite site: example releases built, lists, the two good subscribers."""
    monkeypatch.setenv("SYNDICATION_SECRET", "security-test-secret")
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", "security-test-admin-token")
    opened = open_built_example(tmp_path / "site")
    opened.add_subscriber(GOOD[0], languages=("nl", "fr"), lists=("press", "public"))
    opened.add_subscriber(GOOD[1], languages=("fr",), lists=("accredited",))
    yield opened
    opened.engine.dispose()


@pytest.fixture
def app(site: Site) -> Starlette:
    """The web app of the site; confirmations go to the site's Maildir."""
    return create_app(site.settings, site.engine)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in process (5xx answers, not exceptions)."""
    transport = httpx.ASGITransport(
        app=app, client=("192.0.2.10", 40000), raise_app_exceptions=False
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def good_data(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the good subscribers, and the lists."""
    with engine.connect() as conn:
        ids = conn.scalars(select(subscribers.c.id).where(subscribers.c.email.in_(GOOD))).all()
        assert len(ids) == len(GOOD)
        return {
            "subscribers": _rows(conn, select(subscribers).where(subscribers.c.id.in_(ids))),
            "subscriptions": _rows(
                conn, select(subscriptions).where(subscriptions.c.subscriber_id.in_(ids))
            ),
            "consents": _rows(conn, select(consents).where(consents.c.subscriber_id.in_(ids))),
            "lists": _rows(conn, select(lists)),
        }


def _rows(conn: Any, query: Any) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in conn.execute(query))


class Tally:
    """Cases counted by (kind, outcome), printed as one summary table."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, kind: str, outcome: str) -> None:
        """Count one case."""
        self.counts[(kind, outcome)] += 1

    def total(self) -> int:
        """Cases counted."""
        return sum(self.counts.values())

    def print(self) -> None:
        """Print the table (pytest -s shows it; -rA keeps it in the report)."""
        print(f"\n{self.title}: {self.total()} cases")
        kinds = max((len(kind) for kind, _outcome in self.counts), default=0)
        outcomes = max((len(outcome) for _kind, outcome in self.counts), default=0)
        for (kind, outcome), count in sorted(self.counts.items()):
            print(f"  {kind:<{kinds}}  {outcome:<{outcomes}}  {count:>5}")
