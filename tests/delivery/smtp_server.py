"""A real SMTP server for tests (aiosmtpd on a free loopback port) that can be told to fail.

    with running_smtp_server() as server:
        server.handler.defer("a@example.org", times=1)   # 451 at RCPT, once
        server.handler.refuse("b@example.org")           # 550 5.1.1 at RCPT, always
        server.handler.drop(2)                           # drop the next 2 connections at DATA
        server.handler.slow(0.5)                         # wait 0.5 s before each DATA reply
        ...                                              # send to 127.0.0.1:server.port
        server.handler.messages                          # what was accepted
        server.handler.sessions                          # how many connections were opened
    with running_smtp_server(credentials=("user", "password")) as server: ...  # AUTH needed
    with running_smtp_server(tls=context) as server: ...  # STARTTLS needed (self_signed_tls)
        server.stop(); server.start()                    # down, then up on the same port

aiosmtpd's Controller cannot take port 0, so a free port is found first.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from harness.ports import free_port


@dataclass(frozen=True)
class Received:
    """One message the server accepted: its envelope and bytes."""

    sender: str
    recipients: tuple[str, ...]
    content: bytes

    def parsed(self) -> EmailMessage:
        """The message, parsed with the modern email policy."""
        message = message_from_bytes(self.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class FaultyHandler:
    """An aiosmtpd handler that accepts mail, unless told to defer, refuse or drop it."""

    messages: list[Received] = field(default_factory=list)
    sessions: int = 0
    attempts: Counter[str] = field(default_factory=Counter)  # RCPT commands per address
    _deferrals: Counter[str] = field(default_factory=Counter)
    _defer_everyone: int = 0
    _refused: set[str] = field(default_factory=set)
    _drops: int = 0
    _delay: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def defer(self, address: str | None = None, *, times: int = 1) -> None:
        """Answer 451 to the next `times` RCPTs of `address` (of anyone, when None)."""
        with self._lock:
            if address is None:
                self._defer_everyone += times
            else:
                self._deferrals[address.lower()] += times

    def refuse(self, address: str) -> None:
        """Answer 550 5.1.1 (no such user) to every RCPT of `address`."""
        with self._lock:
            self._refused.add(address.lower())

    def drop(self, times: int = 1) -> None:
        """Close the next `times` connections abruptly when they send DATA."""
        with self._lock:
            self._drops += times

    def slow(self, seconds: float) -> None:
        """Wait `seconds` before answering each DATA (only that connection waits)."""
        with self._lock:
            self._delay = seconds

    def heal(self) -> None:
        """Forget every deferral, refusal and drop still pending: accept everything."""
        with self._lock:
            self._deferrals.clear()
            self._defer_everyone = 0
            self._refused.clear()
            self._drops = 0

    def recipients(self) -> list[str]:
        """Every envelope recipient of every accepted message, in order."""
        return [address for message in self.messages for address in message.recipients]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Defer, refuse or accept one recipient."""
        key = address.lower()
        with self._lock:
            self.attempts[key] += 1
            if key in self._refused:
                return "550 5.1.1 No such user here"
            if self._deferrals[key] > 0 or self._defer_everyone > 0:
                if self._deferrals[key] > 0:
                    self._deferrals[key] -= 1
                else:
                    self._defer_everyone -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message, or drop the connection without answering."""
        with self._lock:
            dropping = self._drops > 0
            if dropping:
                self._drops -= 1
            delay = self._delay
        if delay:
            await asyncio.sleep(delay)
        if dropping:
            server.transport.abort()
            return "421 4.4.2 Connection dropped"
        content = envelope.original_content or envelope.content
        self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(content)))
        return f"250 2.0.0 Ok: queued as {len(self.messages)}"


class _CountingController(Controller):
    """A Controller that counts the SMTP sessions (connections) it serves."""

    def factory(self) -> Any:
        self.handler.sessions += 1
        return super().factory()  # type: ignore[no-untyped-call]


@dataclass
class SmtpServer:
    """A running test SMTP server on 127.0.0.1:`port`."""

    host: str
    port: int
    handler: FaultyHandler
    credentials: tuple[str, str] | None = None  # require AUTH with this login and password
    tls: ssl.SSLContext | None = None  # offer STARTTLS (or, with implicit_tls, TLS at once)
    implicit_tls: bool = False
    _controller: Controller | None = None

    def start(self) -> None:
        """Start listening (again) on the same port."""
        if self._controller is None:
            before = self.handler.sessions
            options: dict[str, Any] = {}
            if self.credentials is not None:
                options = {"authenticator": self._authenticate, "auth_require_tls": False}
            if self.tls is not None and self.implicit_tls:
                options["ssl_context"] = self.tls
            elif self.tls is not None:
                options.update(tls_context=self.tls, require_starttls=True)
            controller = _CountingController(
                self.handler, hostname=self.host, port=self.port, **options
            )
            controller.start()
            # start() connects once itself to check the server is up: not a client session.
            self.handler.sessions = before
            self._controller = controller

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        expected = self.credentials
        given = (auth_data.login.decode(), auth_data.password.decode())
        # handled=False: let aiosmtpd answer 535 itself (True means "I replied already").
        return AuthResult(success=expected is not None and given == expected, handled=False)

    def stop(self) -> None:
        """Stop listening: connections are refused until `start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 and the certificate clients must trust (openssl)."""
    certificate, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    return context, certificate


@contextmanager
def running_smtp_server(
    handler: FaultyHandler | None = None,
    *,
    credentials: tuple[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
) -> Iterator[SmtpServer]:
    """Run an SMTP server on a free loopback port for the duration of the block.

    With `credentials` (login, password), clients must log in (AUTH PLAIN or LOGIN); with
    `tls`, they must say STARTTLS first (or, with `implicit_tls`, speak TLS at once).
    """
    server = SmtpServer(
        "127.0.0.1", free_port(), handler or FaultyHandler(), credentials, tls, implicit_tls
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
