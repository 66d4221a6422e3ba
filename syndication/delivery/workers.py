"""One sending run: a claiming producer, `concurrency` workers and a batching recorder.

The producer claims batches (each under a lease) and queues them; it is never more than
two batches ahead. Each worker takes a claim, builds its message, waits for the rate
limit and hands it to the transport; it turns the outcome into a `Result`. The recorder
writes results every `RECORD_EVERY` results or `RECORD_INTERVAL` seconds, off the event
loop; workers wait when `RECORD_LIMIT` results are unrecorded, which bounds a crash's
re-sends. Whatever happens, the run ends by recording what it has and handing back claims it
did not attempt, so only messages really in flight can be sent twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.messages import MessageFactory, envelope_sender
from syndication.delivery.outbox import Claim, Outcome, Result, claim_batch, pause_mailing
from syndication.delivery.outbox import record_results as write_results
from syndication.delivery.ratelimit import TokenBucket
from syndication.delivery.transports import HardBounce, Transport
from syndication.errors import DeliveryError, PermanentDeliveryError

RECORD_EVERY = 100  # results that start a write
RECORD_LIMIT = 200  # results sent but not yet recorded, at most: the re-send window
RECORD_INTERVAL = 0.5  # seconds between writes at most
BATCH_MAX = 500  # deliveries per claim
LEASE_MIN = timedelta(minutes=5)
PAUSE_AFTER = 50  # errors in a row that pause a mailing


class SendRun:
    """The state of one run of the sender; `run()` once."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        messages: MessageFactory,
        transport: Transport,
        limiter: TokenBucket | None,
        claimant: str,
        now: Callable[[], datetime],
        limit: int | None,
        progress: Callable[[int], None] | None,
        stop: asyncio.Event,
    ) -> None:
        self.engine = engine
        self.mail = settings.mail
        self.messages = messages
        self.transport = transport
        self.limiter = limiter
        self.claimant = claimant
        self.now = now
        self.limit = limit
        self.progress = progress
        self.stop = stop
        self.sender = envelope_sender(settings)
        rate = settings.mail.smtp.rate if limiter is not None else float("inf")
        workers = transport.concurrency
        self.batch = int(min(BATCH_MAX, max(4 * workers, 2 * rate)))
        self.lease = max(LEASE_MIN, timedelta(seconds=4 * self.batch / rate))
        # Never start a send that could outlive the claim's lease.
        self.margin = settings.mail.smtp.timeout * 4
        self.counts: Counter[Outcome] = Counter()
        self._queue: asyncio.Queue[Claim | None] = asyncio.Queue(maxsize=self.batch)
        self._outstanding: dict[int, Claim] = {}
        self._pending: list[Result] = []
        self._writing = 0  # results in the write under way
        self._written = asyncio.Condition()
        self._streaks: Counter[int] = Counter()
        self._paused: set[int] = set()
        self._workers_left = workers
        self._flush_wanted = asyncio.Event()
        self._finished = asyncio.Event()

    async def run(self) -> Counter[Outcome]:
        """Send until nothing is due (or `limit` or `stop`); return the counts by outcome."""
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._produce())
                for _ in range(self.transport.concurrency):
                    group.create_task(self._work())
                group.create_task(self._record_loop())
        except BaseExceptionGroup as errors:
            raise errors.exceptions[0] from None
        finally:
            await self._settle()
        return self.counts

    async def _produce(self) -> None:
        claimed = 0
        while not self.stop.is_set():
            size = self.batch if self.limit is None else min(self.batch, self.limit - claimed)
            if size <= 0:
                break
            claims = await asyncio.to_thread(
                claim_batch,
                self.engine,
                claimant=self.claimant,
                now=self.now(),
                size=size,
                lease=self.lease,
            )
            if not claims:
                break
            claimed += len(claims)
            for claim in claims:
                self._outstanding[claim.id] = claim
                await self._queue.put(claim)
        for _ in range(self.transport.concurrency):
            await self._queue.put(None)

    async def _work(self) -> None:
        while (claim := await self._queue.get()) is not None:
            result = await self._deliver(claim)
            await self._finish(claim, result)
        self._workers_left -= 1
        if self._workers_left == 0:
            self._finished.set()
            self._flush_wanted.set()

    async def _deliver(self, claim: Claim) -> Result:
        if claim.email is None or claim.subscriber_id is None:
            reply = "the subscriber is no longer active"
            return Result(claim.id, claim.subscriber_id, Outcome.SKIPPED, reply)
        if (
            self.stop.is_set()
            or claim.mailing_id in self._paused
            or self.now() + self.margin >= claim.claimed_until
        ):
            return Result(claim.id, claim.subscriber_id, Outcome.RELEASED)
        try:
            message = self.messages.message(
                claim, email=claim.email, subscriber_id=claim.subscriber_id, date=self.now()
            )
            if self.limiter is not None:
                await self.limiter.acquire()
            reply = await self.transport.send(
                sender=self.sender, recipient=claim.email, message=message
            )
        except HardBounce as error:
            return Result(claim.id, claim.subscriber_id, Outcome.BOUNCED, error.reply)
        except PermanentDeliveryError as error:
            return Result(claim.id, claim.subscriber_id, Outcome.FAILED, error.reply)
        except DeliveryError as error:
            return self._transient(claim, error.reply)
        return Result(claim.id, claim.subscriber_id, Outcome.SENT, reply[:1000])

    def _transient(self, claim: Claim, reply: str) -> Result:
        attempts = claim.attempts + 1
        if attempts >= self.mail.max_attempts:
            reply = f"{reply} (gave up after {attempts} attempts)"
            return Result(claim.id, claim.subscriber_id, Outcome.FAILED, reply[:1000])
        # Doubling backoff: retry_base, 2 × retry_base, 4 × retry_base, ...
        delay = self.mail.retry_base * 2 ** (attempts - 1)
        return Result(
            claim.id, claim.subscriber_id, Outcome.RETRY, reply[:1000], self.now() + delay
        )

    async def _finish(self, claim: Claim, result: Result) -> None:
        self._outstanding.pop(claim.id, None)
        self._pending.append(result)
        if len(self._pending) >= RECORD_EVERY:
            self._flush_wanted.set()
        if self._writing + len(self._pending) >= RECORD_LIMIT:
            # Back-pressure: never more than RECORD_LIMIT results at risk of a re-send.
            async with self._written:
                await self._written.wait_for(
                    lambda: self._writing + len(self._pending) < RECORD_LIMIT
                )
        if result.outcome is Outcome.RELEASED:
            return
        self.counts[result.outcome] += 1
        if result.outcome in (Outcome.SENT, Outcome.SKIPPED):
            self._streaks[claim.mailing_id] = 0
            return
        self._streaks[claim.mailing_id] += 1
        streak = self._streaks[claim.mailing_id]
        if streak >= PAUSE_AFTER and claim.mailing_id not in self._paused:
            self._paused.add(claim.mailing_id)
            reason = f"{streak} errors in a row; the last: {result.reply}"
            await asyncio.to_thread(
                pause_mailing, self.engine, claim.mailing_id, at=self.now(), reason=reason
            )

    async def _record_loop(self) -> None:
        while not (self._finished.is_set() and not self._pending):
            with suppress(TimeoutError):
                await asyncio.wait_for(self._flush_wanted.wait(), RECORD_INTERVAL)
            self._flush_wanted.clear()
            await self._flush()

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        self._writing = len(batch)
        try:
            await asyncio.to_thread(
                write_results,
                self.engine,
                batch,
                claimant=self.claimant,
                now=self.now(),
                suppress_after=self.mail.suppress_after,
            )
        finally:
            self._writing = 0
            async with self._written:
                self._written.notify_all()
        if self.progress is not None:
            done = sum(1 for result in batch if result.outcome is not Outcome.RELEASED)
            if done:
                self.progress(done)

    async def _settle(self) -> None:
        """Record what is known and hand back claims not attempted (after a stop or a crash)."""
        untouched = [
            Result(claim.id, claim.subscriber_id, Outcome.RELEASED)
            for claim in self._outstanding.values()
        ]
        self._outstanding.clear()
        self._pending.extend(untouched)
        await self._flush()
