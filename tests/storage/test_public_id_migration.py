"""Migration 0002 of the subscribers chain on a database holding subscribers (issue 11).

Existing rows get distinct random public ids and the new address keys (ASCII case only,
IDNA domain); the links mailed before it (row-id tokens) still find their people; two
stored addresses the new key cannot tell apart stop the upgrade, named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from harness.postgres import throwaway_database
from storage import open_engine, schema_drift, write_transaction
from subscribers import LegacySubject, find_subscriber, subscriber_for_token
from subscribers.schema import CHAIN, open_database

THEN = datetime(2025, 3, 1, tzinfo=UTC)
INSERT = text(
    "INSERT INTO subscribers (email, email_key, languages, status, created_at, bounces)"
    " VALUES (:email, :key, 'fr', 'active', :at, 0)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'site.db'}"
    else:
        with throwaway_database("public_ids") as made:
            yield made


def at_0001(url: str, emails: list[str]) -> None:
    """A database as the first release left it, holding `emails` (keys by casefold)."""
    engine = open_engine(url)
    config = Config()
    config.set_main_option("script_location", str(CHAIN.script_location))
    try:
        with write_transaction(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            at = THEN.replace(tzinfo=None) if conn.dialect.name == "sqlite" else THEN
            for email in emails:
                conn.execute(INSERT, {"email": email, "key": email.casefold(), "at": at})
            conn.execute(text("INSERT INTO lists (name, label) VALUES ('press', '')"))
            conn.execute(text(
                "INSERT INTO subscriptions (subscriber_id, list_id, themes, frequency, created_at)"
                " SELECT s.id, l.id, '', 'immediate', s.created_at FROM subscribers s, lists l"))
    finally:
        engine.dispose()


def test_existing_subscribers_get_public_ids_and_new_keys(url: str) -> None:
    at_0001(url, ["Sam@example.org", "user@bücher.de", "Straße@example.org"])
    engine: Engine = open_database(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, email, email_key, public_id FROM subscribers"
                                     " ORDER BY id")).all()
            assert schema_drift(conn, CHAIN) == []
            # Altered in place: a rebuilt table would have cascaded to the subscriptions.
            assert conn.scalar(text("SELECT count(*) FROM subscriptions")) == 3
        keys = {email: key for _id, email, key, _public in rows}
        assert keys == {"Sam@example.org": "sam@example.org",
                        "user@bücher.de": "user@xn--bcher-kva.de",
                        "Straße@example.org": "straße@example.org"}
        public_ids = [public for *_rest, public in rows]
        assert len(set(public_ids)) == 3
        assert all(len(p) == 22 for p in public_ids)
        # Found by any letter case of the ASCII letters and either spelling of the domain ...
        assert find_subscriber(engine, "SAM@EXAMPLE.ORG").email == "Sam@example.org"
        assert find_subscriber(engine, "user@xn--bcher-kva.de").email == "user@bücher.de"
        # ... and a link mailed before the upgrade (a row id) still names its person.
        first_id = rows[0][0]
        mailed = LegacySubject(first_id, datetime(2026, 1, 1, tzinfo=UTC))
        assert subscriber_for_token(engine, mailed).email == "Sam@example.org"
        assert subscriber_for_token(engine, public_ids[1]).email == "user@bücher.de"
    finally:
        engine.dispose()


def test_addresses_the_new_key_merges_stop_the_upgrade(url: str) -> None:
    # Two rows whose casefold keys differed but whose new keys are one: not ours to merge.
    at_0001(url, ["user@bücher.de", "user@xn--bcher-kva.de"])
    with pytest.raises(RuntimeError, match=re.escape("now share the address key 'user@xn--bcher-kva.de'")):
        open_database(url).dispose()
