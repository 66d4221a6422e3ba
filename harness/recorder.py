"""A recording SMTP server (aiosmtpd): every accepted message as (recipient, Message-ID).

Only the envelope recipient and the Message-ID are kept, in arrival order, so a run of
thousands of messages costs little memory and can be sliced by arrival (`between`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
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
        return "250 2.0.0 Ok: queued"

    def count(self) -> int:
        """Messages accepted so far."""
        with self._lock:
            return len(self.arrivals)

    def between(self, start: int, end: int) -> list[Arrival]:
        """The arrivals numbered start to end - 1."""
        with self._lock:
            return self.arrivals[start:end]

    def addresses(self) -> set[str]:
        """Every address that got at least one message."""
        with self._lock:
            return {address for address, _message_id in self.arrivals}


@contextmanager
def recording_server() -> Iterator[tuple[int, Recorder]]:
    """A recording SMTP server on a free loopback port: (port, recorder)."""
    recorder = Recorder()
    with serving_smtp(recorder) as port:
        yield port, recorder
