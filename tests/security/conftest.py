"""Fixtures of the security and hostile-input tests: a built site, its app, its good data.

`good_data` is what no hostile request may change: two active subscribers (one on every
list, one on the closed embargo list) with their subscriptions and consents, and the
lists. `Tally` counts cases by outcome, for the summaries the tests print.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Engine, select

from harness.sites import Site
from subscribers.schema import consents, lists, subscribers, subscriptions

GOOD = ("good@example.org", "accredited@example.org")


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secrets the security tests sign and authenticate with."""
    monkeypatch.setenv("SYNDICATION_SECRET", "security-test-secret")
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", "security-test-admin-token")


@pytest.fixture
def site(built_site: Site) -> Site:
    """A private SQLite site: example releases built, lists, the two good subscribers."""
    built_site.add_subscriber(GOOD[0], languages=("nl", "fr"), lists=("press", "public"))
    built_site.add_subscriber(GOOD[1], languages=("fr",), lists=("accredited",))
    return built_site


@pytest.fixture
def raise_app_exceptions() -> bool:
    """Hostile requests must get 5xx answers, not exceptions, from `client`."""
    return False


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
