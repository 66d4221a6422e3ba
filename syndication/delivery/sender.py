"""Sending what is due: claim batches → compose → rate limit → transport → record, in one loop.

One producer claims batches of due deliveries (at most two batches ahead of the workers);
`transport.concurrency` workers turn each into a message and hand it to the transport
through the global rate limit; a recorder writes results every `RECORD_EVERY` results or
`RECORD_INTERVAL` seconds, in a thread, so the database is never the bottleneck. A crash
re-sends at most what was sent but not yet recorded (never more than `RECORD_LIMIT`) plus
what was in flight (see docs/adr/0001-delivery-semantics.md).

Errors: a transient one plans a retry after `retry_base` doubled per attempt, up to
`max_attempts`; a permanent one fails the delivery with the server's reply; a hard bounce
also counts toward suppression. `PAUSE_AFTER` errors in a row pause the mailing; the next
`send` resumes it after `PAUSE_COOL_DOWN` (or at once with `resume=True`).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.messages import ComposeMailing, MessageFactory
from syndication.delivery.outbox import (
    Outcome,
    count_due,
    paused_mailings,
    reclaim_expired,
    resume_mailings,
)
from syndication.delivery.ratelimit import TokenBucket
from syndication.delivery.transports import Transport, open_transport
from syndication.delivery.workers import SendRun
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
) -> SendSummary:
    """Deliver every planned delivery that is due; return the counts.

    `limit` caps the deliveries attempted; `progress` is called with the number of
    deliveries just finished; setting `stop` ends the run after the messages in flight.
    A mailing paused more than `PAUSE_COOL_DOWN` ago is resumed (any paused one with
    `resume`). The caller's `transport` is left open; one opened here is closed.
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
    if problems or secret is None:
        raise ConfigError(problems)
    started = now()
    if dry_run:
        return SendSummary(due=count_due(engine, now=started), paused=_paused(engine))
    resumed = await asyncio.to_thread(
        resume_mailings, engine, paused_before=None if resume else started - PAUSE_COOL_DOWN
    )
    await asyncio.to_thread(reclaim_expired, engine, now=started)
    own_transport = transport is None
    active = transport if transport is not None else open_transport(settings)
    run = SendRun(
        engine,
        settings,
        messages=MessageFactory(settings, releases, secret=secret, compose=compose),
        transport=active,
        limiter=_limiter(settings),
        claimant=secrets.token_hex(8),
        now=now,
        limit=limit,
        progress=progress,
        stop=stop or asyncio.Event(),
    )
    try:
        results = await run.run()
    finally:
        if own_transport:
            await active.close()
    return _summarise(results, paused=_paused(engine), resumed=tuple(resumed))


def _limiter(settings: Settings) -> TokenBucket | None:
    # The rate in config is the SMTP server's; writing a Maildir needs no limit.
    if settings.mail.transport != "smtp":
        return None
    return TokenBucket(settings.mail.smtp.rate)


def _paused(engine: Engine) -> tuple[tuple[str, str], ...]:
    return tuple(paused_mailings(engine))


def _summarise(
    results: Mapping[Outcome, int], *, paused: tuple[tuple[str, str], ...], resumed: tuple[str, ...]
) -> SendSummary:
    return SendSummary(
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
