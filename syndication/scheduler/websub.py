"""WebSub publishing (W3C WebSub §4, PubSubHubbub 0.4 "publish" ping): tell the hubs.

When a tick (`run`'s leader or `publish`) wrote a feed whose bytes changed, each hub of
`[feeds] websub_hubs` gets a form POST `hub.mode=publish&hub.url=<feed URL>` for it; the
hub then fetches the feed and pushes it to its subscribers. Only ticks ping: a follower
rebuilding its own folder to match the leader's never does, so one change makes one
ping per hub and feed whatever the number of `run` processes.

A hub that fails (no answer, a non-2xx reply) does not stop the tick: its pings are kept in
`data/cache/websub-pending.json` and tried again by the next tick, and the failure is
logged once per tick and hub. After the first failure to a hub in a tick its other pings
wait for the next tick too (a hub that is down must not hold a tick for every feed).
Archive documents are never pinged: they do not change.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from syndication.atomic_files import write_bytes_atomic
from syndication.config import Settings
from syndication.site.paths import FeedFormat, absolute_url

log = logging.getLogger("syndication.websub")

TIMEOUT = 5.0  # seconds per ping: a tick runs every 30 s
_FEED_FILES = frozenset(feed_format.value for feed_format in FeedFormat)

Post = Callable[[str, dict[str, str]], int]  # (hub, form) -> HTTP status


@dataclass(frozen=True, slots=True)
class PingReport:
    """What one round of pings did: (hub, feed URL) pairs acknowledged, and still pending."""

    sent: tuple[tuple[str, str], ...]
    pending: tuple[tuple[str, str], ...]
    failures: tuple[str, ...]  # one line per hub that failed, for the log and the CLI


def changed_feed_urls(settings: Settings, written: Iterable[Path]) -> list[str]:
    """The URLs of the current feeds (not archive pages) among the files a build wrote."""
    output = settings.output_dir
    urls = []
    for path in written:
        relative = path.relative_to(output).as_posix()
        if path.name in _FEED_FILES and "/feed-archive/" not in f"/{relative}":
            urls.append(absolute_url(settings.base_url, relative))
    return urls


def pending_path(settings: Settings) -> Path:
    """Where the pings that failed wait for the next tick."""
    return settings.data_dir / "cache" / "websub-pending.json"


def notify_hubs(
    settings: Settings, written: Sequence[Path], *, post: Post | None = None
) -> PingReport:
    """Ping every hub for every changed feed, and retry the pings an earlier tick left."""
    hubs = settings.websub_hubs
    path = pending_path(settings)
    waiting = _read_pending(path)
    wanted = [*waiting, *((hub, url) for url in changed_feed_urls(settings, written)
                          for hub in hubs)]
    # A hub since removed from the config gets no more pings; each pair once.
    todo = list(dict.fromkeys(pair for pair in wanted if pair[0] in hubs))
    if not todo:
        if waiting:
            _write_pending(path, [])
        return PingReport((), (), ())
    sent, pending, failures = [], [], []
    down: set[str] = set()
    send = post or post_form
    for hub, url in todo:
        if hub in down:
            pending.append((hub, url))
            continue
        reason = _ping(send, hub, url)
        if reason is None:
            sent.append((hub, url))
        else:
            down.add(hub)
            pending.append((hub, url))
            failures.append(f"WebSub hub {hub} did not take the ping for {url}: {reason} "
                            "(retried at the next tick)")
    for failure in failures:
        log.warning("%s", failure)
    if pending or waiting:
        _write_pending(path, pending)
    return PingReport(tuple(sent), tuple(pending), tuple(failures))


def post_form(hub: str, form: dict[str, str]) -> int:
    """POST `form` (application/x-www-form-urlencoded) to `hub`; the reply's status."""
    request = urllib.request.Request(  # noqa: S310 - config checked it is http(s)
        hub, data=urlencode(form).encode("ascii"), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "User-Agent": "syndication (WebSub publisher)"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:  # noqa: S310
            return int(reply.status)
    except urllib.error.HTTPError as error:  # a reply, just not a 2xx one
        return int(error.code)


def _ping(post: Post, hub: str, url: str) -> str | None:
    """None if the hub took the ping, else why not."""
    try:
        status = post(hub, {"hub.mode": "publish", "hub.url": url})
    except (OSError, ValueError) as error:  # URLError, timeouts, refused connections
        return f"{type(error).__name__}: {error}"
    if 200 <= status < 300:  # WebSub hubs answer 202 Accepted (some 204 or 200)
        return None
    return f"HTTP {status}"


def _read_pending(path: Path) -> list[tuple[str, str]]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []  # none, or unreadable: the next change pings again anyway
    if not isinstance(data, list):
        return []
    return [(item[0], item[1]) for item in data
            if isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)]


def _write_pending(path: Path, pending: Sequence[tuple[str, str]]) -> None:
    write_bytes_atomic(path, json.dumps([list(pair) for pair in pending]).encode(), private=True)
