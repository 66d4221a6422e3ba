"""The app on a real uvicorn server on a free loopback port, and raw HTTP requests to it.

`raw_request` writes the request bytes exactly as given, so no client library cleans a
`..`, an encoded slash or a NUL byte before the server sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import uvicorn
from starlette.applications import Starlette

from harness.ports import free_port


class _Server(uvicorn.Server):
    """uvicorn leaving pytest's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serving(
    app: Starlette, *, config: uvicorn.Config | None = None
) -> AsyncIterator[int]:
    """Serve `app` (or `config`'s app, as `run` configures it) on 127.0.0.1 for the block;
    yield the port."""
    port = free_port()
    config = config or uvicorn.Config(app, log_level="critical", lifespan="off")
    config.host, config.port = "127.0.0.1", port
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def raw_request(port: int, request: bytes, *, timeout: float = 10.0) -> tuple[int, bytes]:
    """Send `request` as is; return the status code (0 if none came) and the whole answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    parts = answer.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, answer


def get(target: bytes | str, method: str = "GET") -> bytes:
    """A one-shot HTTP/1.1 request for `target`, written exactly as given."""
    if isinstance(target, str):
        target = target.encode("latin-1")
    return method.encode() + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
