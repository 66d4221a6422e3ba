"""DKIM signatures made in a process of their own, a chunk of messages per round trip.

Signing costs ≈ 0.37 ms of CPU a message: 0.27 ms of RSA (OpenSSL, without the GIL) and
≈ 0.1 ms of Python that would hold the GIL the event loop needs (≈ 0.3 ms a message of its
own), so threads make the two take turns. Here the loop keeps what is cheap (personalising,
the body hash from the template relaxed once: tens of µs) and sends a process only each
message's header block and body hash (≈ 2 KB), `CHUNK` messages at a time; the process
answers with the DKIM-Signature fields to put in front. The process is started with
`spawn` (never `fork` from a process with threads), reads the keys from the environment it
inherits, and is stopped with the run; what runs in it (syndication/dkim_keys.py) imports
little, so it starts in a fraction of a second.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from syndication.dkim_keys import Unsigned, sign_headers, start_signer
from syndication.sending_settings import DkimSettings


class SigningPool:
    """Processes that sign header blocks with the keys of `dkim`."""

    def __init__(self, dkim: DkimSettings, *, source: str) -> None:
        self._dkim, self._source = dkim, source
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        processes = max(1, (os.cpu_count() or 2) - 1)  # the loop keeps a core
        return ProcessPoolExecutor(
            processes, mp_context=multiprocessing.get_context("spawn"),
            initializer=start_signer, initargs=(self._dkim, self._source),
        )

    def sign(self, items: Sequence[Unsigned], *, timestamp: int) -> asyncio.Future[list[bytes]]:
        """The DKIM-Signature fields of each item, in order, when the process answers.

        A pool whose process died (killed, out of memory) is started again: the chunks it
        held fail (their deliveries are retried later), the next ones are signed."""
        try:
            future = self._pool.submit(sign_headers, list(items), timestamp)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            future = self._pool.submit(sign_headers, list(items), timestamp)
        return asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop the processes (work still queued is dropped) and reap them."""
        self._pool.shutdown(wait=True, cancel_futures=True)  # idle: exits at once
