"""A small HTTP/1.1 load generator on asyncio streams: many keep-alive connections at once.

Each of `connections` clients opens its connection, all wait until every one is open (so
the first requests really are concurrent), then each takes the next request of the shared
list and sends it, reading the answer (headers, then a `Content-Length` body) before taking
another. A failed request (timeout, reset, unparsable answer) counts as an error by kind
and the client reconnects. Raw streams rather than an HTTP library: the generator must
cost much less than the server it measures, on the same two cores, and each request goes
out in one write (an HTTP library writing a POST's headers and body apart meets Nagle's
algorithm and delayed ACKs: 40 ms a request). Loopback only.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Answer:
    """One response: status, headers (lower-case names), body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class LoadReport:
    """What a load run saw."""

    connections: int
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    wrong: int = 0  # answers the check refused
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def per_second(self) -> float:
        """Requests answered per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """A latency percentile, in milliseconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def line(self) -> str:
        """The report on one line."""
        return (
            f"{self.connections} connections, {self.requests} requests in {self.seconds:.2f} s: "
            f"{self.per_second():.0f} req/s, statuses {dict(self.statuses)}, errors "
            f"{sum(self.errors.values())} {dict(self.errors)}, wrong answers {self.wrong}, "
            f"latency p50 {self.percentile(0.5):.1f} ms p99 {self.percentile(0.99):.1f} ms"
        )


async def load(
    host: str,
    port: int,
    requests: Sequence[bytes],
    *,
    connections: int,
    check: Callable[[Answer], bool] | None = None,
    timeout: float = 30.0,
) -> LoadReport:
    """Send every request, over `connections` connections at once; what came back."""
    report = LoadReport(connections)
    opened = asyncio.Event()
    waiting = [connections]
    queue = iter(requests)

    async def client() -> None:
        streams = await _connect(host, port, timeout, report)
        waiting[0] -= 1
        if waiting[0] == 0:
            opened.set()
        await opened.wait()
        for request in queue:
            report.requests += 1
            if streams is None:
                streams = await _connect(host, port, timeout, report)
                if streams is None:
                    continue
            started = time.monotonic()
            try:
                answer = await asyncio.wait_for(_exchange(*streams, request), timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                report.errors[type(error).__name__] += 1
                streams[1].close()
                streams = None
                continue
            report.latencies.append(time.monotonic() - started)
            report.statuses[answer.status] += 1
            if check is not None and not check(answer):
                report.wrong += 1
            if answer.headers.get("connection", "").lower() == "close":
                streams[1].close()
                streams = None
        if streams is not None:
            streams[1].close()

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    report.seconds = time.monotonic() - started
    return report


async def _connect(
    host: str, port: int, timeout: float, report: LoadReport
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    try:
        return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError) as error:
        report.errors[f"connect: {type(error).__name__}"] += 1
        return None


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> Answer:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return Answer(status, headers, body)


def conditional_get(path: str, *, etag: str | None = None, since: str | None = None) -> bytes:
    """An HTTP/1.1 keep-alive GET of `path` with If-None-Match and/or If-Modified-Since."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "User-Agent: syndication-load"]
    if etag is not None:
        lines.append(f"If-None-Match: {etag}")
    if since is not None:
        lines.append(f"If-Modified-Since: {since}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def post_json(path: str, body: str, *, headers: dict[str, str] | None = None) -> bytes:
    """An HTTP/1.1 keep-alive POST of a JSON body, in one piece."""
    content = body.encode()
    lines = [
        f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
        "Accept: application/json", f"Content-Length: {len(content)}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content
