"""`run` watched from outside: /metrics during a mailing, /readyz while the database goes away.

`run` reaches PostgreSQL through a TCP proxy of the test (`SYNDICATION_DATABASE_URL` names
it, overriding the config's URL), so the database can vanish and return without touching
the shared server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness.ports import free_port
from harness.processes import SYNDICATION, RunningService, smtp_server, use_smtp_and_port
from harness.sites import ADMIN_TOKEN, SECRET, make_site, open_site
from tests.ops.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics: (name, sorted labels) to value."""
    answer = httpx.get(f"{base}/metrics", headers=AUTH, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def sent(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> float:
    return samples[("syndication_deliveries", (("status", "sent"),))]


def proxied(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()


def deliveries_json(config: Path) -> dict[str, object]:
    done = subprocess.run(
        [str(SYNDICATION), "--config", str(config), "deliveries", "--format", "json"],
        capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "SYNDICATION_SECRET": SECRET, "SYNDICATION_ADMIN_TOKEN": ADMIN_TOKEN},
    )
    return json.loads(done.stdout)


@pytest.fixture
def proxy() -> TcpProxy:
    tcp = TcpProxy(("127.0.0.1", 5432))
    tcp.open()
    yield tcp
    tcp.close()


def test_metrics_follow_a_mailing_and_readiness_follows_the_database(
    tmp_path: Path, secrets_env: None, pg_url: str, proxy: TcpProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with smtp_server() as (smtp_port, inbox):
        config = make_site(tmp_path / "site", database_url=pg_url)
        port = free_port()
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=port)
        # Slow enough (40 messages a second) to be scraped while it sends; logs in JSON.
        text = config.read_text().replace("rate = 100 ", "rate = 40 ")
        config.write_text(text.replace('format = "text" ', 'format = "json" '))
        site = open_site(config)
        people = [f"reader{index:03d}@example.org" for index in range(120)]
        for email in people:
            site.add_subscriber(email)
        published = (datetime.now(UTC) + timedelta(seconds=4)).isoformat(timespec="seconds")
        site.add_release("watched", published)
        site.engine.dispose()
        monkeypatch.setenv("SYNDICATION_DATABASE_URL", proxied(pg_url, proxy))
        service = RunningService(config)
        base = f"http://127.0.0.1:{port}"
        try:
            service.wait_for_line("Serving")
            assert httpx.get(f"{base}/healthz").status_code == 200
            assert httpx.get(f"{base}/metrics").status_code == 401  # behind the token
            seen = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                samples = scrape(base)
                seen.append(sent(samples))
                if seen[-1] == len(people):
                    break
                time.sleep(0.3)
            assert seen[-1] == len(people)
            # The counter moved while the mailing went out, never backwards.
            assert len({value for value in seen if 0 < value < len(people)}) >= 1
            assert seen == sorted(seen)
            report = deliveries_json(config)
            (mailing,) = report["mailings"]
            assert mailing["key"] == "alert:watched"
            for status, count in mailing["counts"].items():
                assert samples[("syndication_deliveries", (("status", status),))] == count
            assert samples[("syndication_outbox_depth", ())] == 0
            assert samples[("syndication_smtp_replies_total", (("reply_class", "2xx"),))] >= len(
                people
            )
            assert len(inbox.wait_for(len(people), timeout=5)) == len(people)
            assert samples[("syndication_ticks_total", (("outcome", "done"),))] >= 1
            assert ("syndication_tick_lag_seconds", ()) in samples
            assert samples[("syndication_http_requests_total", (
                ("method", "GET"), ("route", "/metrics"), ("status_class", "2xx"),
            ))] >= 1
            # Requests are counted and logged by route template: no token in the log.
            httpx.get(f"{base}/confirm/not-a-real-token-Zq81")
            after = scrape(base)
            assert after[("syndication_http_requests_total", (
                ("method", "GET"), ("route", "/confirm/{token}"), ("status_class", "4xx"),
            ))] == 1

            assert httpx.get(f"{base}/readyz").status_code == 200
            proxy.close()
            assert wait_for_status(f"{base}/readyz", 503, timeout=15).json()["database"] == (
                "unreachable"
            )
            assert httpx.get(f"{base}/healthz").status_code == 200  # it still serves
            proxy.open()
            assert wait_for_status(f"{base}/readyz", 200, timeout=30).json() == {
                "database": "ok", "scheduler_or_sender": "alive",
            }
        finally:
            code = service.stop()
    log = "".join(service.output)
    assert code == 0, log
    assert "not-a-real-token-Zq81" not in log
    assert "@example.org" not in log
    records = [json.loads(line) for line in service.output if line.startswith("{")]
    assert records
    for record in records:  # the site's zone, with its offset
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00", record["time"])
    (tick,) = [r for r in records if r.get("releases_published")]
    assert tick["releases_published"] == ["watched"]
    assert tick["mailings_planned"] == {"alert:watched": 120}
    assert "published watched" in tick["message"]
    (confirm,) = [r for r in records if r.get("route") == "/confirm/{token}"]
    assert confirm["status"] // 100 == 4
    assert confirm["path"] == "/confirm/{token}"
    assert confirm["logger"] == "syndication.access"


def wait_for_status(url: str, status: int, *, timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(url, timeout=10)
        if answer.status_code == status or time.monotonic() > deadline:
            assert answer.status_code == status, answer.text
            return answer
        time.sleep(0.3)
