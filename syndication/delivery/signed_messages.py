"""The messages of a sending run, DKIM-signed or not, ready for the workers.

Unsigned, a worker builds its message on the event loop when it sends it (a few µs). Signed,
the producer hands each claimed batch to `prepare`: its messages are personalised and their
body hashes taken on the loop (tens of µs each), and their header blocks go `CHUNK` at a time
to the signing process (signing_pool.py); `build` then awaits the chunk and puts the
DKIM-Signature fields in front. A claim with nothing prepared (tried again after its domain
throttled) is signed alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

from syndication.delivery.messages import MessageFactory
from syndication.delivery.outbox import Claim
from syndication.delivery.signing_pool import SigningPool
from syndication.errors import DeliveryError, TransientDeliveryError

CHUNK = 16  # messages signed per round trip to the signing process


@dataclass(frozen=True, slots=True)
class _Chunk:
    messages: tuple[bytes | DeliveryError, ...]  # by position in the chunk
    signed_at: dict[int, int]  # position in the chunk → position in the signatures
    signatures: asyncio.Future[list[bytes]]


class RunMessages:
    """What `SendRun` asks for messages: `prepare` a batch, `build` one, `close` at the end."""

    def __init__(
        self, factory: MessageFactory, signing: SigningPool | None = None, *,
        owns_signing: bool = True,
    ) -> None:
        self.factory = factory
        self.signing = signing
        self._owns_signing = owns_signing  # False: the caller's pool outlives this run
        self._prepared: dict[int, tuple[_Chunk, int]] = {}

    def envelope_sender(self, claim: Claim) -> str:
        """MAIL FROM of `claim` (its VERP address with `[mail] return_path`)."""
        return self.factory.envelope_sender(claim)

    def prepare(self, claims: Sequence[Claim], *, date: datetime) -> None:
        """Start signing the messages of `claims` (when the site signs)."""
        if self.signing is None:
            return
        ready = [claim for claim in claims if claim.email and claim.subscriber_id is not None]
        for start in range(0, len(ready), CHUNK):
            chunk = ready[start:start + CHUNK]
            built: list[bytes | DeliveryError] = []
            to_sign: list[tuple[bytes, bytes]] = []
            signed_at: dict[int, int] = {}
            for claim in chunk:
                try:
                    message, body_hash = self.factory.message_to_sign(
                        claim, email=claim.email or "", subscriber_id=claim.subscriber_id or 0,
                        date=date,
                    )
                except DeliveryError as error:
                    built.append(error)
                    continue
                signed_at[len(built)] = len(to_sign)
                built.append(message)
                to_sign.append((_header(message), body_hash))
            signatures = self.signing.sign(to_sign, timestamp=int(time.time()))
            prepared = _Chunk(tuple(built), signed_at, signatures)
            for index, claim in enumerate(chunk):
                self._prepared[claim.id] = (prepared, index)

    async def build(self, claim: Claim, *, email: str, subscriber_id: int, date: datetime) -> bytes:
        """The message of `claim`, signed when the site signs; or a DeliveryError."""
        if self.signing is None:
            return self.factory.message(claim, email=email, subscriber_id=subscriber_id, date=date)
        prepared = self._prepared.pop(claim.id, None)
        if prepared is None:
            message, body_hash = self.factory.message_to_sign(
                claim, email=email, subscriber_id=subscriber_id, date=date
            )
            (signature,) = await self.signing.sign([(_header(message), body_hash)],
                                                   timestamp=int(time.time()))
            return signature + message
        chunk, index = prepared
        built = chunk.messages[index]
        if isinstance(built, DeliveryError):
            raise built
        try:
            return (await chunk.signatures)[chunk.signed_at[index]] + built
        except BrokenProcessPool as error:  # retried later, by a run with a new process
            raise TransientDeliveryError(f"cannot sign: {error}") from None

    def close(self) -> None:
        """Forget what was prepared and stop the signing process (if this run started it)."""
        for chunk, _ in self._prepared.values():
            if chunk.signatures.done() and not chunk.signatures.cancelled():
                chunk.signatures.exception()  # retrieved: no "never retrieved" warning
            else:
                chunk.signatures.cancel()
        self._prepared.clear()
        if self.signing is not None and self._owns_signing:
            self.signing.close()


def _header(message: bytes) -> bytes:
    return message[: message.index(b"\r\n\r\n") + 2]
