"""With several `run` processes on one database, only the leader listens for bounces.

Two processes share a PostgreSQL database and one `[bounces] listen` address: the one
holding the scheduler lock serves it, the other does not try; when the leader stops, the
other takes the lock over and starts listening.
"""

from __future__ import annotations

import smtplib
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from harness.ports import free_port
from harness.processes import RunningService, sites_sharing_releases, smtp_server
from harness.sites import open_site
from syndication.bounces.schema import unmatched_reports
from tests.bounces.conftest import configure

pytestmark = pytest.mark.postgres

ACCEPTING = "accepting bounce reports"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition: object, what: str, services: list[RunningService]) -> None:
    deadline = time.monotonic() + 30
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            output = "\n---\n".join("".join(service.output) for service in services)
            raise AssertionError(f"timed out waiting for {what}:\n{output}")
        time.sleep(0.1)


def _said(service: RunningService, words: str) -> bool:
    return any(words in line for line in service.output)


def test_only_the_leader_listens_and_the_next_leader_takes_over(
    tmp_path: Path, secrets_env: None, pg_url: str
) -> None:
    listen = free_port()
    with smtp_server() as (smtp_port, _inbox):
        configs = sites_sharing_releases(tmp_path, database_url=pg_url, smtp_port=smtp_port)
        for config in configs:
            configure(config, bounces=f'listen = "127.0.0.1:{listen}"')
        services = [RunningService(config) for config in configs]
        try:
            for service in services:
                service.wait_for_line("Serving")
            _wait(lambda: _listening(listen) and any(_said(s, ACCEPTING) for s in services),
                  "the leader to listen", services)
            time.sleep(6)  # a follower that tried would have failed by now (LEADER_RETRY 5 s)
            leaders = [s for s in services if _said(s, "this process schedules")]
            assert len(leaders) == 1
            assert [s for s in services if _said(s, ACCEPTING)] == leaders
            assert not any(_said(s, "cannot listen") for s in services)

            assert leaders[0].stop() == 0
            follower = next(s for s in services if s is not leaders[0])
            _wait(lambda: _said(follower, ACCEPTING) and _listening(listen),
                  "the next leader to listen", services)
            with smtplib.SMTP("127.0.0.1", listen) as client:
                refused = client.sendmail("", ["bounces@press.example.be"],
                                          b"Subject: not a report\r\n\r\nhello\r\n")
        finally:
            codes = [service.stop() for service in services]
    site = open_site(configs[0])
    with site.engine.connect() as conn:
        kept = list(conn.scalars(select(unmatched_reports.c.reason)))
    site.engine.dispose()
    assert refused == {}
    assert kept == ["unparseable"]
    assert codes == [0, 0]
