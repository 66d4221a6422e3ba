"""A recording SMTP server (aiosmtpd): every accepted message as (recipient, Message-ID).

Only the envelope recipient, the Message-ID and the arrival time are kept, in arrival
order, so a run of thousands of messages costs little memory and can be sliced by arrival
(`between`) or timed (`arrived_at`, `last_at`).
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from harness.smtp import serving_smtp

_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)

Arrival = tuple[str, str]  # (recipient, Message-ID)


@dataclass
class Recorder:
    """aiosmtpd handler that accepts everything and notes who got which Message-ID."""

    arrivals: list[Arrival] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # time.monotonic() of each arrival
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Note the message, then accept it."""
        content: bytes = envelope.original_content or envelope.content
        head = content.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1).decode("ascii", "replace") if found else ""
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.arrivals.append((recipient.lower(), message_id))
                self.times.append(time.monotonic())
        return "250 2.0.0 Ok: queued"

    def count(self) -> int:
        """Messages accepted so far."""
        with self._lock:
            return len(self.arrivals)

    def between(self, start: int, end: int) -> list[Arrival]:
        """The arrivals numbered start to end - 1."""
        with self._lock:
            return self.arrivals[start:end]

    def arrived_at(self, number: int) -> float | None:
        """When arrival `number` came (time.monotonic()); None if it has not yet."""
        with self._lock:
            return self.times[number] if 0 <= number < len(self.times) else None

    def last_at(self) -> float | None:
        """When the latest message arrived (time.monotonic()), if any did."""
        with self._lock:
            return self.times[-1] if self.times else None

    def addresses(self) -> set[str]:
        """Every address that got at least one message."""
        with self._lock:
            return {address for address, _message_id in self.arrivals}


@dataclass(frozen=True)
class Copies:
    """What arrived, against what was expected."""

    missing: int  # expected addresses that got nothing
    duplicates: int  # extra copies, all addresses together
    changed_message_ids: int  # addresses whose copies do not all share one Message-ID


def count_copies(recorder: Recorder, expected: Iterable[str]) -> Copies:
    """Compare every arrival so far with the expected addresses."""
    copies: Counter[str] = Counter()
    message_ids: defaultdict[str, set[str]] = defaultdict(set)
    for address, message_id in recorder.between(0, recorder.count()):
        copies[address] += 1
        message_ids[address].add(message_id)
    return Copies(
        missing=len(set(expected) - set(copies)),
        duplicates=sum(count - 1 for count in copies.values()),
        changed_message_ids=sum(1 for ids in message_ids.values() if len(ids) > 1),
    )


@contextmanager
def recording_server() -> Iterator[tuple[int, Recorder]]:
    """A recording SMTP server on a free loopback port: (port, recorder)."""
    recorder = Recorder()
    with serving_smtp(recorder) as port:
        yield port, recorder
