"""Idle connections cannot make `run` unreachable: a head deadline, a cap, quiet logs.

`run` is started with RLIMIT_NOFILE lowered to 256 and flooded with more idle sockets than
that (half of them with a request head begun and never finished): after the head deadline it answers a normal GET, a tick still publishes, the log
stays small.
"""

from __future__ import annotations

import resource
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from harness.ports import free_port
from harness.processes import RunningService, smtp_server, use_smtp_and_port
from harness.sites import make_site, open_site
from syndication.web.serving import HEAD_TIMEOUT

DESCRIPTORS = 256
IDLE = 400


def _few_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTORS, DESCRIPTORS))


def test_idle_sockets_beyond_the_descriptor_limit_do_not_stop_the_service(
    tmp_path: Path, secrets_env: None
) -> None:
    config = make_site(tmp_path / "site")
    web_port = free_port()
    with smtp_server() as (smtp_port, _inbox):
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=web_port)
        site = open_site(config)
        published = datetime.now(UTC) + timedelta(seconds=HEAD_TIMEOUT + 2)
        site.add_release("after-the-flood", published.replace(microsecond=0).isoformat())
        site.engine.dispose()
        service = RunningService(config, preexec_fn=_few_descriptors)
        idle: list[socket.socket] = []
        try:
            service.wait_for_line("Serving")
            for number in range(IDLE):
                sock = socket.create_connection(("127.0.0.1", web_port), timeout=5)
                if number % 2:  # a head begun and never finished (slowloris)
                    sock.sendall(b"GET /fr/atom.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                idle.append(sock)
            time.sleep(HEAD_TIMEOUT + 3)
            closed = 0
            for sock in idle:
                sock.settimeout(0.5)
                try:
                    closed += sock.recv(1) == b""
                except (TimeoutError, ConnectionResetError):
                    closed += 0
            with httpx.Client(timeout=5) as client:
                response = client.get(f"http://127.0.0.1:{web_port}/fr/atom.xml")
        finally:
            for sock in idle:
                sock.close()
            code = service.stop()
    log = "".join(service.output)
    print(f"{closed} of {IDLE} idle sockets closed by the server; log {len(log)} bytes")
    assert code == 0, log
    assert response.status_code == 200, log
    assert "after-the-flood" in response.text, log  # a tick published after the flood
    assert closed >= IDLE // 3, log  # the held ones were closed at the deadline
    assert len(log) < 20_000, log
    assert "Too many open files" not in log, log
