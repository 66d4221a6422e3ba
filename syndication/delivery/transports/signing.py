"""A transport that DKIM-signs each message, off the event loop, before handing it on.

For the messages sent one at a time (sign-up confirmations, test sends): signing costs
≈ 0.4 ms of CPU, most of it the RSA signature, during which OpenSSL releases the GIL, so a
small thread pool keeps it off the loop. Mailings are signed by `send`'s own signing
process instead (syndication/delivery/signed_messages.py), which scales better.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from syndication.delivery.transports.base import Transport
from syndication.dkim import DkimSigner

SIGNING_THREADS = 2


class SigningTransport:
    """Signs with `signer`, then sends through `inner`."""

    def __init__(self, inner: Transport, signer: DkimSigner) -> None:
        self.inner = inner
        self.signer = signer
        self._threads = ThreadPoolExecutor(SIGNING_THREADS, thread_name_prefix="dkim")

    @property
    def concurrency(self) -> int:
        """As many sends at once as the inner transport takes."""
        return self.inner.concurrency

    async def send(self, *, sender: str, recipient: str, message: bytes) -> str:
        """Sign `message` in a thread, then send it."""
        sign = partial(self.signer.sign, message, timestamp=int(time.time()))
        signed = await asyncio.get_running_loop().run_in_executor(self._threads, sign)
        return await self.inner.send(sender=sender, recipient=recipient, message=signed)

    async def close(self) -> None:
        """Close the inner transport and stop the signing threads."""
        try:
            await self.inner.close()
        finally:
            self._threads.shutdown(wait=False)
