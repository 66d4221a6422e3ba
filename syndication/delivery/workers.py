"""One sending run: a claiming producer, `concurrency` workers and a batching recorder.

The producer claims small batches (each under a lease) and queues them, never more than a
claim window ahead: about `CLAIM_AHEAD` seconds of sending at this sender's share of the
rate (at least two messages per connection, at most `BATCH_MAX`), so a dead sender holds
little and live senders share a mailing evenly. When nothing is left to claim it looks for
dead senders' claims (`SenderPresence.reap`) before it gives up. Each worker takes a claim,
builds its message, waits for the rate limits and hands it to the transport; it turns the
outcome into a `Result`. The recorder writes results as soon as `RECORD_EVERY` are waiting
(or every `RECORD_INTERVAL` seconds), off the event loop; workers wait when `RECORD_LIMIT`
results are unrecorded, which bounds a crash's re-sends to `RECORD_LIMIT` + concurrency.
Whatever happens, the run ends by recording what it has and handing back claims it did
not attempt, so only messages really in flight can be sent twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.domain_lanes import DomainLanes, is_throttling
from syndication.delivery.outbox import Claim, Outcome, Result, claim_batch, pause_mailing
from syndication.delivery.outbox import record_results as write_results
from syndication.delivery.presence import SenderPresence
from syndication.delivery.ratelimit import KeyedLimiter
from syndication.delivery.signed_messages import RunMessages
from syndication.delivery.transports import HardBounce, Transport
from syndication.errors import DeliveryError, PermanentDeliveryError

RECORD_EVERY = 15  # results that start a write (5 more may gather while it runs)
RECORD_LIMIT = 20  # results sent but not yet recorded, at most: with in-flight, the re-send window
RECORD_INTERVAL = 0.5  # seconds between writes at most
CLAIM_AHEAD = 1.0  # seconds of sending claimed ahead of the workers
BATCH_MAX = 500  # deliveries claimed ahead, at most
LEASE_MIN = timedelta(minutes=5)  # renewed by the heartbeat; liveness's last fallback
PAUSE_AFTER = 50  # errors in a row that pause a mailing
PARKED_POLL = 0.05  # seconds between looks at claims waiting in domain lanes, at the end


class SendRun:
    """The state of one run of the sender; `run()` once."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        messages: RunMessages,
        transport: Transport,
        limiter: KeyedLimiter | None,
        presence: SenderPresence,
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
        self.presence = presence
        self.claimant = presence.claimant
        self.now = now
        self.limit = limit
        self.progress = progress
        self.stop = stop
        self.last_reply: str | None = None  # of the last transient failure
        self.counts: Counter[Outcome] = Counter()
        self._queue: asyncio.Queue[Claim | None] = asyncio.Queue()
        self._outstanding: dict[int, Claim] = {}
        self._room = asyncio.Event()  # set when the claim window has room again
        self._refill_at = 0  # claims outstanding at which the producer claims more
        self._pending: list[Result] = []
        self._writing = 0  # results in the write under way
        self._written = asyncio.Condition()
        self._streaks: Counter[int] = Counter()
        self._paused: set[int] = set()
        self._workers_left = transport.concurrency
        self._flush_wanted = asyncio.Event()
        self._finished = asyncio.Event()
        self.lanes = DomainLanes(
            settings.mail.domains, limiter=limiter, resume=self._queue.put_nowait
        )

    def window(self) -> int:
        """How many deliveries to hold claimed ahead of the workers at this moment."""
        workers = self.transport.concurrency
        share = self.limiter.share() if self.limiter is not None else None
        ahead = BATCH_MAX if share is None else int(share * CLAIM_AHEAD)
        return min(BATCH_MAX, max(2 * workers, ahead))

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
            self.lanes.close()
            await self._settle()
        return self.counts

    async def _produce(self) -> None:
        claimed = 0
        while not (self.stop.is_set() or self.presence.lost.is_set()):
            window = self.window()
            # Half a window at a time, once half of what is claimed has gone out.
            self._refill_at = window // 2
            while self._unsettled() > self._refill_at and not self.stop.is_set():
                self._room.clear()
                await self._room.wait()
            size = window - self._unsettled()
            if self.limit is not None:
                size = min(size, self.limit - claimed)
            if size <= 0:
                break
            claims = await asyncio.to_thread(
                claim_batch,
                self.engine,
                claimant=self.claimant,
                now=self.now(),
                size=size,
                lease=self.presence.lease,
            )
            if not claims:
                if await self.presence.reap():
                    continue  # a dead sender's claims came back: send them too
                if await self._lanes_settled():
                    continue  # claims held by a throttled or limited domain: wait for them
                break
            claimed += len(claims)
            self.messages.prepare(claims, date=self.now())
            for claim in claims:
                self._outstanding[claim.id] = claim
                self._queue.put_nowait(claim)
        # Not before every claim is settled (after `limit` too): a claim in flight may yet be
        # throttled, even by a domain that had no lane, and its lane hands it back through
        # the queue, which must not end before it.
        await self._lanes_settled()
        for _ in range(self.transport.concurrency):
            self._queue.put_nowait(None)

    def _unsettled(self) -> int:
        """Claims held by workers (those waiting in a domain's lane leave room to claim)."""
        return len(self._outstanding) - min(self.lanes.parked, BATCH_MAX)

    async def _lanes_settled(self) -> bool:
        """Wait until nothing is in flight or parked (a claim in flight may yet be throttled
        and park, whether or not its domain had a lane); True if claims were parked
        meanwhile and the run goes on."""
        parked = False
        while self._outstanding and not (self.stop.is_set() or self.presence.lost.is_set()):
            parked = parked or self.lanes.parked > 0
            await asyncio.sleep(PARKED_POLL)
        return parked and not (self.stop.is_set() or self.presence.lost.is_set())

    async def _work(self) -> None:
        while (claim := await self._queue.get()) is not None:
            result = await self._deliver(claim)
            if result is None:  # waiting in its domain's lane, which will hand it back
                if self._unsettled() <= self._refill_at:
                    self._room.set()
                continue
            await self._finish(claim, result)
        self._workers_left -= 1
        if self._workers_left == 0:
            self._finished.set()
            self._flush_wanted.set()

    async def _deliver(self, claim: Claim) -> Result | None:
        """The outcome of sending `claim`, or None when its domain's lane keeps it for later."""
        if claim.email is None or claim.subscriber_id is None:
            reply = "the subscriber is no longer active"
            return Result(claim.id, claim.subscriber_id, Outcome.SKIPPED, reply)
        if self.stop.is_set() or claim.mailing_id in self._paused or not self.presence.may_send():
            return Result(claim.id, claim.subscriber_id, Outcome.RELEASED)
        if not self.lanes.admit(claim):
            return None
        throttled = False
        try:
            message = await self.messages.build(
                claim, email=claim.email, subscriber_id=claim.subscriber_id, date=self.now()
            )
            if self.limiter is not None:  # the lane took the domain's token
                await self.limiter.acquire(claim.email, domain=False)
            reply = await self.transport.send(
                sender=self.messages.envelope_sender(claim), recipient=claim.email,
                message=message,
            )
        except HardBounce as error:
            return Result(claim.id, claim.subscriber_id, Outcome.BOUNCED, error.reply)
        except PermanentDeliveryError as error:
            return Result(claim.id, claim.subscriber_id, Outcome.FAILED, error.reply)
        except DeliveryError as error:
            throttled = is_throttling(error.code, error.reply)
            if throttled:
                self.lanes.done(claim, throttled=True)
                if self.lanes.defer(claim):
                    return None
            return self._transient(claim, error.reply)
        finally:
            if not throttled:
                self.lanes.done(claim, throttled=False)
        return Result(claim.id, claim.subscriber_id, Outcome.SENT, reply[:1000])

    def _transient(self, claim: Claim, reply: str) -> Result:
        self.last_reply = reply
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
        if len(self._outstanding) <= self._refill_at:
            self._room.set()
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
                async with asyncio.timeout(RECORD_INTERVAL):  # no extra task, unlike wait_for
                    await self._flush_wanted.wait()
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
