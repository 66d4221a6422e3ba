"""The default transport: a real Maildir (new/, cur/, tmp/) that a person can open.

Messages are written by `mailbox.Maildir`, which writes into tmp/ and renames into new/,
so a mail client never sees half a message. Lines end in LF on disk, as mail clients
reading a Maildir expect; `Return-Path` and `Delivered-To` record the envelope, as a
local delivery agent would.
"""

from __future__ import annotations

import mailbox
from pathlib import Path

from syndication.errors import TransientDeliveryError


class MaildirTransport:
    """Writes each message as one file in a Maildir folder (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._maildir: mailbox.Maildir | None = None

    @property
    def concurrency(self) -> int:
        """Writes are synchronous and fast: one at a time."""
        return 1

    async def send(self, *, sender: str, recipient: str, message: bytes) -> str:
        """Write the message into new/; return its file name."""
        envelope = f"Return-Path: <{sender}>\nDelivered-To: {recipient}\n".encode()
        try:
            if self._maildir is None:
                self._maildir = mailbox.Maildir(self.path, factory=None, create=True)
            key = self._maildir.add(envelope + message.replace(b"\r\n", b"\n"))
        except OSError as error:
            # A full disk or a permission problem is worth retrying once fixed.
            raise TransientDeliveryError(f"cannot write to {self.path}: {error}") from None
        return f"written to {self.path / 'new' / key}"

    async def close(self) -> None:
        """Nothing stays open between messages."""
        self._maildir = None
