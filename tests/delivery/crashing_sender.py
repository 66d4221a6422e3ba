"""A sender run in a child process so a test can kill it (SIGKILL) in the middle of a mailing.

python -m tests.delivery.crashing_sender CONFIG DATABASE_URL SMTP_PORT RATE START
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from syndication.config import Settings, load_settings
from syndication.database import open_store
from syndication.delivery.sender import send_due
from syndication.releases import load_releases


def start_crashing_sender(
    settings: Settings, database_url: str, smtp_port: int, *, rate: int, start: datetime
) -> subprocess.Popen[bytes]:
    """This module as a child process, sending what is due at `start`; kill it at will."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.delivery.crashing_sender",
            str(settings.config_path),
            database_url,
            str(smtp_port),
            str(rate),
            start.isoformat(),
        ],
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def kill_after(child: subprocess.Popen[bytes], arrived: Callable[[], int], count: int) -> None:
    """SIGKILL `child` once `arrived()` reaches `count` (30 s at most), then let the server
    finish reading the message it had."""
    deadline = time.monotonic() + 30
    while arrived() < count and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    time.sleep(0.2)


def main() -> None:
    """Send everything due at START through the SMTP server on SMTP_PORT, at RATE a second."""
    config, database_url, port, rate, start = sys.argv[1:6]
    settings = load_settings(Path(config))
    smtp = dataclasses.replace(
        settings.mail.smtp, host="127.0.0.1", port=int(port), rate=float(rate), concurrency=3
    )
    settings = dataclasses.replace(
        settings,
        database_url=database_url,
        mail=dataclasses.replace(settings.mail, transport="smtp", smtp=smtp),
    )
    releases = {release.id: release for release in load_releases(settings).releases}
    engine = open_store(settings)
    moment = datetime.fromisoformat(start)
    asyncio.run(send_due(engine, settings, releases, now=lambda: moment))


if __name__ == "__main__":
    main()
