"""The bounce path on PostgreSQL: the same rules, the same store, row locks included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harness.sites import Site, make_site, open_site
from subscribers import Status, get_subscriber
from syndication.cli import cli
from tests.bounces.conftest import CORPUS, configure, fill, send_to

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_site(tmp_path: Path, secrets_env: None, pg_url: str) -> Iterator[Site]:
    """A private site on a PostgreSQL database of its own, with VERP return paths."""
    config = make_site(tmp_path / "site", database_url=pg_url)
    configure(config)
    opened = open_site(config)
    yield opened
    opened.engine.dispose()


def test_hard_soft_complaint_and_forged_on_postgresql(pg_site: Site, tmp_path: Path) -> None:
    def run(*arguments: str) -> Result:
        return CliRunner().invoke(cli, ["--config", str(pg_site.config), *arguments])

    people = {"hard": "ann@example.org", "soft": "bob@example.org",
              "complaint": "cy@example.org", "forged": "di@example.org"}
    sent = send_to(pg_site, run, list(people.values()))
    samples = {"hard": "rfc3464-failed", "soft": "rfc3464-delayed", "complaint": "arf-abuse",
               "forged": "forged-message-id"}
    for part in ("new", "cur", "tmp"):
        (tmp_path / "in" / part).mkdir(parents=True)
    for kind, name in samples.items():
        data = fill((CORPUS / f"{name}.eml").read_bytes(), sent[people[kind]])
        (tmp_path / "in" / "new" / kind).write_bytes(data)

    first = run("bounces", "import", str(tmp_path / "in"))
    again = run("bounces", "import", str(tmp_path / "in"))

    assert first.exit_code == 0, first.output
    assert "3 reports matched (1 complaint, 1 hard, 1 soft), 3 counted" in first.output
    assert "1 report kept aside unmatched (1 unsigned)." in first.output
    assert "3 reports matched (1 complaint, 1 hard, 1 soft), 1 counted" in again.output
    held = {kind: get_subscriber(pg_site.engine, sent[address].subscriber_id)
            for kind, address in people.items()}
    assert (held["hard"].bounces, held["hard"].status) == (1, Status.ACTIVE)
    assert (held["soft"].bounces, held["soft"].status) == (0, Status.ACTIVE)
    assert held["complaint"].status is Status.SUPPRESSED
    assert (held["forged"].bounces, held["forged"].status) == (0, Status.ACTIVE)
