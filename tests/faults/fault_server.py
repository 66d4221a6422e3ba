"""An SMTP test server that can commit every fault the sender must survive (aiosmtpd).

It extends `tests.delivery.smtp_server.FaultyHandler` (451 deferrals, 550 5.1.1 refusals,
drops after the final dot) with what that handler cannot do:

    with running_fault_server() as server:
        server.plan.greet("421 4.3.2 Busy", times=2)        # instead of 220, then hang up
        server.plan.answer_rcpt(address, "552 5.2.2 Mailbox full")   # every RCPT of it
        server.plan.answer_data(address, "554 5.6.0 Rejected")       # its final DATA reply
        server.plan.drop_mid_data(times=1)   # hang up after the first line of the message
        server.plan.stall_rcpt(address, seconds=5)    # say nothing to its RCPT for a while
        server.plan.stall_after_data(address, seconds=5)  # store it, answer late
        server.stop(); server.start()        # refused connections, then up on the same port

aiosmtpd's greeting and DATA loop are methods of its `SMTP` class, so the greeting and
mid-DATA faults live in a small subclass of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from harness.ports import free_port
from tests.delivery.smtp_server import FaultyHandler


@dataclass
class FaultPlan(FaultyHandler):
    """The faults still to commit, consumed as connections and commands arrive."""

    _greetings: list[str] = field(default_factory=list)
    _rcpt_replies: dict[str, str] = field(default_factory=dict)
    _data_replies: dict[str, str] = field(default_factory=dict)
    _mid_data_drops: int = 0
    _rcpt_stalls: dict[str, float] = field(default_factory=dict)
    _data_stalls: dict[str, float] = field(default_factory=dict)

    def greet(self, reply: str, *, times: int = 1) -> None:
        """Answer the next `times` connections with `reply` instead of 220, and close them."""
        with self._lock:
            self._greetings.extend([reply] * times)

    def answer_rcpt(self, address: str, reply: str) -> None:
        """Answer `reply` to every RCPT of `address`."""
        with self._lock:
            self._rcpt_replies[address.lower()] = reply

    def answer_data(self, address: str, reply: str) -> None:
        """Refuse every message to `address` with `reply` after its final dot."""
        with self._lock:
            self._data_replies[address.lower()] = reply

    def drop_mid_data(self, *, times: int = 1) -> None:
        """Close the next `times` connections after the first line of their message."""
        with self._lock:
            self._mid_data_drops += times

    def stall_rcpt(self, address: str, *, seconds: float) -> None:
        """Say nothing for `seconds` to each RCPT of `address`."""
        with self._lock:
            self._rcpt_stalls[address.lower()] = seconds

    def stall_after_data(self, address: str, *, seconds: float) -> None:
        """Store each message to `address`, then wait `seconds` before saying 250."""
        with self._lock:
            self._data_stalls[address.lower()] = seconds

    def heal(self) -> None:
        """Commit no more faults of any kind."""
        super().heal()
        with self._lock:
            self._greetings.clear()
            self._rcpt_replies.clear()
            self._data_replies.clear()
            self._mid_data_drops = 0
            self._rcpt_stalls.clear()
            self._data_stalls.clear()

    def take_greeting(self) -> str | None:
        """The fault reply for a new connection, if one is due."""
        with self._lock:
            return self._greetings.pop(0) if self._greetings else None

    def take_mid_data_drop(self) -> bool:
        """Whether to drop this message's connection in the middle of DATA."""
        with self._lock:
            if self._mid_data_drops <= 0:
                return False
            self._mid_data_drops -= 1
            return True

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Stall or answer a fixed reply for planned addresses; else the base behaviour."""
        key = address.lower()
        with self._lock:
            stall = self._rcpt_stalls.get(key, 0.0)
            reply = self._rcpt_replies.get(key)
        if stall:
            await asyncio.sleep(stall)  # cancelled when the client hangs up
        if reply is not None:
            with self._lock:
                self.attempts[key] += 1
            return reply
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Refuse, store then stall, or defer to the base behaviour."""
        keys = [address.lower() for address in envelope.rcpt_tos]
        with self._lock:
            refusal = next((self._data_replies[k] for k in keys if k in self._data_replies), None)
            stall = max((self._data_stalls.get(key, 0.0) for key in keys), default=0.0)
        if refusal is not None:
            return refusal
        reply = await super().handle_DATA(server, session, envelope)
        if stall:
            await asyncio.sleep(stall)  # the message is stored: only the 250 comes late
        return reply


class _FaultySMTP(SMTP):
    """aiosmtpd's SMTP with the faults that happen outside the handler hooks."""

    @property
    def plan(self) -> FaultPlan:
        handler: FaultPlan = self.event_handler
        return handler

    async def _handle_client(self) -> None:
        reply = self.plan.take_greeting()
        if reply is None:
            await super()._handle_client()
            return
        await self.push(reply)  # RFC 5321 §3.1: a 421 greeting, then the server closes
        assert self.transport is not None
        self.transport.close()

    async def smtp_DATA(self, arg: str) -> None:
        assert self.envelope is not None
        if not (self.envelope.rcpt_tos and self.plan.take_mid_data_drop()):
            await super().smtp_DATA(arg)
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")  # the first line of the message, then gone
        assert self.transport is not None
        self.transport.abort()


class _FaultController(Controller):
    """A Controller serving `_FaultySMTP` sessions, counting them."""

    def factory(self) -> Any:
        self.handler.sessions += 1
        return _FaultySMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class FaultServer:
    """A running fault-capable SMTP server on 127.0.0.1:`port`."""

    host: str
    port: int
    plan: FaultPlan
    _controller: Controller | None = None

    @property
    def handler(self) -> FaultPlan:
        """The plan, under the name `tests.delivery` helpers use."""
        return self.plan

    def start(self) -> None:
        """Listen (again) on the same port."""
        if self._controller is None:
            before = self.plan.sessions
            controller = _FaultController(self.plan, hostname=self.host, port=self.port)
            controller.start()
            self.plan.sessions = before  # start() connects once itself to check it is up
            self._controller = controller

    def stop(self) -> None:
        """Stop listening: connections are refused until `start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@contextmanager
def running_fault_server() -> Iterator[FaultServer]:
    """A fault-capable SMTP server on a free loopback port, for the duration of the block."""
    server = FaultServer("127.0.0.1", free_port(), FaultPlan())
    server.start()
    try:
        yield server
    finally:
        server.stop()
