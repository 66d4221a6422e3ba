"""The connection deadlines of `run`'s server, with `[web]` values (issue 11, item 6).

A request whose body stops coming is closed at the body deadline (after the head's), a
head never finished at the head deadline; the deadlines come from `[web] head_timeout`,
`body_timeout` and `keep_alive`, which are checked like every config key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from harness.sites import Site
from syndication.config import load_settings
from syndication.errors import ConfigError
from syndication.scheduler.runner import server_config
from syndication.web.app import create_app
from syndication.web.serving import GuardedH11Protocol
from tests.security.served import serving

HEAD, BODY = 0.6, 0.8


@pytest.fixture
async def port(site: Site) -> AsyncIterator[int]:
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(config.replace('head_timeout = "10s"', f'head_timeout = "{HEAD}s"')
                           .replace('body_timeout = "30s"', f'body_timeout = "{BODY}s"'),
                           encoding="utf-8")
    settings = load_settings(site.config)
    app = create_app(settings, site.engine)
    async with serving(app, config=server_config(settings, app)) as served:
        yield served


async def closed_after(port: int, sent: bytes) -> float:
    """Send `sent`, then nothing more; seconds until the server closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    start = time.monotonic()
    writer.write(sent)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert answer == b""  # closed without an answer: there was no whole request to answer
    return time.monotonic() - start


async def test_a_body_that_stops_coming_is_closed_at_its_deadline(port: int) -> None:
    assert (GuardedH11Protocol.head_timeout, GuardedH11Protocol.body_timeout) == (HEAD, BODY)
    head = (b"POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nemail=a%40")
    seconds = await closed_after(port, head)
    assert HEAD + BODY - 0.1 <= seconds < HEAD + BODY + 2, seconds


async def test_an_unfinished_head_is_closed_at_the_head_deadline(port: int) -> None:
    seconds = await closed_after(port, b"GET /fr/atom.xml HTTP/1.1\r\nHost: x\r\n")
    assert HEAD - 0.1 <= seconds < HEAD + 2, seconds


@pytest.mark.parametrize("value", ['"0s"', '"2h"', '"soon"', "5"])
def test_a_bad_deadline_is_named(site: Site, value: str) -> None:
    text = site.config.read_text(encoding="utf-8").replace(
        'body_timeout = "30s"', f"body_timeout = {value}")
    site.config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"web\.body_timeout"):
        load_settings(site.config)
