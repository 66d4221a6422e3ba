"""Sending what is due: register → claim windows → compose → rate limit → transport → record.

`send_due` first takes back the claims of senders that died (their lock is free: no lease
to wait for), then, if anything is due, registers this sender (its lock, its row in
`senders`, a heartbeat that renews its claims and splits the rate limits among the live
senders) and runs the producer, the `transport.concurrency` workers and the recorder of
workers.py. A crash re-sends at most what was sent but not yet recorded (never more than
`RECORD_LIMIT`) plus what was in flight (see docs/adr/0001-delivery-semantics.md). The
summary says what was done and what is left, and why (backlog.py).

Errors: a transient one plans a retry after `retry_base` doubled per attempt, up to
`max_attempts`; a permanent one fails the delivery with the server's reply; a hard bounce
also counts toward suppression. `PAUSE_AFTER` errors in a row pause the mailing; the next
`send` resumes it after `PAUSE_COOL_DOWN` (or at once with `resume=True`).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.backlog import Backlog, outbox_backlog
from syndication.delivery.claimant_locks import SenderLocks, sender_locks
from syndication.delivery.messages import ComposeMailing, MessageFactory
from syndication.delivery.outbox import (
    Outcome,
    any_due,
    count_due,
    paused_mailings,
    resume_mailings,
)
from syndication.delivery.presence import SenderPresence, wall_clock
from syndication.delivery.ratelimit import SITE, KeyedLimiter
from syndication.delivery.senders import live_senders, reap_dead
from syndication.delivery.signed_messages import RunMessages
from syndication.delivery.signing_pool import SigningPool
from syndication.delivery.transports import Transport, open_transport
from syndication.delivery.workers import LEASE_MIN, SendRun
from syndication.dkim_keys import dkim_problems
from syndication.errors import ConfigError, Problem
from syndication.mail import compose_mailing
from syndication.releases import Release

PAUSE_COOL_DOWN = timedelta(minutes=10)


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SendSummary:
    """What one `send_due` did (or, on a dry run, would do)."""

    sent: int = 0
    failed: int = 0
    bounced: int = 0
    retry: int = 0  # transient failures, planned again for later
    skipped: int = 0  # the subscriber was no longer active
    due: int = 0  # on a dry run: deliveries a send would attempt now
    paused: tuple[tuple[str, str], ...] = ()  # (mailing key, reason) still paused at the end
    resumed: tuple[str, ...] = ()  # mailing keys resumed at the start
    reclaimed: int = 0  # claims of dead senders (or past their lease) taken back
    last_reply: str | None = None  # the server's last transient reply in this run
    backlog: Backlog = field(default_factory=Backlog)  # what is left at the end, and why

    @property
    def undeliverable(self) -> bool:
        """Whether due deliveries were tried and none could be handed to the server."""
        return self.retry > 0 and self.sent == 0


async def send_due(
    engine: Engine,
    settings: Settings,
    releases: Mapping[str, Release],
    *,
    now: Callable[[], datetime] = utc_now,
    limit: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    stop: asyncio.Event | None = None,
    resume: bool = False,
    transport: Transport | None = None,
    compose: ComposeMailing = compose_mailing,
    signing: SigningPool | None = None,
) -> SendSummary:
    """Deliver every planned delivery that is due; return the counts.

    `limit` caps the deliveries attempted; `progress` is called with the number of
    deliveries just finished; setting `stop` ends the run after the messages in flight.
    A mailing paused more than `PAUSE_COOL_DOWN` ago is resumed (any paused one with
    `resume`). The caller's `transport` is left open; one opened here is closed. So is
    the caller's DKIM `signing` pool (`run` keeps one for its life: starting the signing
    process costs about half a second, which every alert would otherwise wait); without
    it, a site that signs gets a pool for this run only.
    """
    secret = settings.secret()
    problems = [] if secret is not None else [_missing_secret(settings)]
    smtp = settings.mail.smtp
    if settings.mail.transport == "smtp" and smtp.username and smtp.password() is None:
        problems.append(
            Problem(
                str(settings.config_path),
                "mail.smtp.password_env",
                f"the environment variable {smtp.password_env} is not set: SMTP user "
                f"{smtp.username!r} cannot log in, so nothing is sent",
            )
        )
    problems.extend(dkim_problems(settings))  # never unsigned when [mail.dkim] asks to sign
    if problems or secret is None:
        raise ConfigError(problems)
    started = now()
    locks = sender_locks(engine, settings)
    if dry_run:
        return SendSummary(
            due=count_due(engine, now=started),
            paused=_paused(engine),
            backlog=_backlog(engine, locks, now=started),
        )
    resumed = await asyncio.to_thread(
        resume_mailings, engine, paused_before=None if resume else started - PAUSE_COOL_DOWN
    )
    reclaimed = await asyncio.to_thread(reap_dead, engine, locks, now=started, at=wall_clock())
    results: Mapping[Outcome, int] = {}
    last_reply = None
    if await asyncio.to_thread(any_due, engine, now=started):
        limiter = _limiter(settings)
        # The message factory signs (faster, see messages.py): the transport must not.
        run_transport = transport if transport is not None else open_transport(
            settings, sign=False
        )
        dkim = settings.mail.dkim
        pool, own_pool = signing, False
        if dkim is None:
            pool = None
        elif signing is None:
            pool, own_pool = SigningPool(dkim, source=str(settings.config_path)), True
        messages = RunMessages(
            MessageFactory(settings, releases, secret=secret, compose=compose),
            pool, owns_signing=own_pool,
        )
        try:
            async with SenderPresence(
                engine,
                locks,
                claimant=secrets.token_hex(8),
                lease=LEASE_MIN,
                now=now,
                on_live=limiter.split if limiter is not None else lambda live: None,
            ) as presence:
                run = SendRun(
                    engine,
                    settings,
                    messages=messages,
                    transport=run_transport,
                    limiter=limiter,
                    presence=presence,
                    now=now,
                    limit=limit,
                    progress=progress,
                    stop=stop or asyncio.Event(),
                )
                results = await run.run()
                last_reply = run.last_reply
            reclaimed += presence.reclaimed
        finally:
            messages.close()
            if transport is None:
                await run_transport.close()
    backlog = await asyncio.to_thread(_backlog, engine, locks, now=now())
    return _summarise(
        results,
        paused=_paused(engine),
        resumed=tuple(resumed),
        reclaimed=reclaimed,
        last_reply=last_reply,
        backlog=backlog,
    )


def limiter_for(settings: Settings, *, domains: Mapping[str, float] | None = None) -> KeyedLimiter:
    """The rate limits of SMTP sending: the site's `[mail.smtp] rate`, and per-domain rates."""
    limiter = KeyedLimiter({SITE: settings.mail.smtp.rate})
    for domain, rate in (domains or {}).items():
        limiter.limit_domain(domain, rate)
    return limiter


def _backlog(engine: Engine, locks: SenderLocks, *, now: datetime) -> Backlog:
    return outbox_backlog(engine, now=now, live=live_senders(engine, locks, at=wall_clock()))


def _limiter(settings: Settings) -> KeyedLimiter | None:
    # The rate in config is the SMTP server's; writing a Maildir needs no limit.
    if settings.mail.transport != "smtp":
        return None
    rates = {name: limit.rate for name, limit in settings.mail.domains.items() if limit.rate}
    return limiter_for(settings, domains=rates)


def _paused(engine: Engine) -> tuple[tuple[str, str], ...]:
    return tuple(paused_mailings(engine))


def _summarise(
    results: Mapping[Outcome, int],
    *,
    paused: tuple[tuple[str, str], ...],
    resumed: tuple[str, ...],
    reclaimed: int,
    last_reply: str | None,
    backlog: Backlog,
) -> SendSummary:
    return SendSummary(
        reclaimed=reclaimed,
        last_reply=last_reply,
        backlog=backlog,
        sent=results.get(Outcome.SENT, 0),
        failed=results.get(Outcome.FAILED, 0),
        bounced=results.get(Outcome.BOUNCED, 0),
        retry=results.get(Outcome.RETRY, 0),
        skipped=results.get(Outcome.SKIPPED, 0),
        paused=paused,
        resumed=resumed,
    )


def _missing_secret(settings: Settings) -> Problem:
    return Problem(
        str(settings.config_path),
        "web.secret_env",
        f"the environment variable {settings.web.secret_env} is not set: it signs the "
        "unsubscribe and preferences links every newsletter carries, so nothing is sent",
    )
