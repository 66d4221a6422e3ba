"""`run`'s leader forgets sign-ups never confirmed once their confirmation link expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harness.ports import free_port
from harness.processes import RunningService, smtp_server, use_smtp_and_port
from harness.sites import make_site, open_site
from subscribers.directory import find_subscriber
from subscribers.errors import UnknownSubscriber
from subscribers.membership import add_subscriber
from subscribers.model import ConsentSource, Status
from subscribers.tokens import CONFIRM_MAX_AGE


def test_run_purges_expired_pending_sign_ups(tmp_path: Path, secrets_env: None) -> None:
    config = make_site(tmp_path / "site")
    with smtp_server() as (smtp_port, _inbox):
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=free_port())
        site = open_site(config)
        long_ago = datetime.now(UTC) - CONFIRM_MAX_AGE - timedelta(hours=1)
        add_subscriber(site.engine, "stale@example.org", languages=["fr"], lists=["press"],
                       source=ConsentSource.WEB, now=long_ago)
        add_subscriber(site.engine, "recent@example.org", languages=["fr"], lists=["press"],
                       source=ConsentSource.WEB)
        service = RunningService(config)
        try:
            service.wait_for_line("Serving")
            line = ""
            for _ in range(20):  # the log lines of start-up, the first tick, the purge
                line = service.wait_for_line("20", timeout=20)  # timestamped: 2026-…
                if "forgot" in line:
                    break
        finally:
            code = service.stop()
        assert code == 0, "".join(service.output)
        assert "forgot 1 sign-ups never confirmed" in line
        with pytest.raises(UnknownSubscriber):
            find_subscriber(site.engine, "stale@example.org")
        assert find_subscriber(site.engine, "recent@example.org").status is Status.PENDING
        site.engine.dispose()
