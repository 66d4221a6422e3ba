"""`run`: the scheduler, the sender and the web server in one process.

- `lead` (on the main event loop): takes the scheduler lock when it is free (retrying every
  `LEADER_RETRY` seconds) and, while this process holds it, runs the APScheduler
  wake-ups; each wake-up is a tick (`publish_tick`, in a worker thread: ticks are blocking
  database and file work); a tick that wrote files bumps the site generation;
- `follow` (while another process leads): every `FOLLOW_POLL` seconds, looks at the site
  generation and rebuilds this process's own output folder when the leader published one
  (`SiteFollower`), so every process serves the same feeds within seconds;
- the sender (`SendingThread`, its own thread and event loop, so web traffic cannot starve
  it): sends whatever is due (`send_due`), woken at once when a tick planned something,
  else every `SEND_POLL` seconds (retries come due; another process planned); every
  process sends: claims are `FOR UPDATE SKIP LOCKED`, so none is sent twice;
- the leader also forgets sign-ups never confirmed whose link expired (`purge_pending`),
  when it takes the lock and every `PURGE_EVERY` seconds, and takes bounce reports in
  (`BounceIntake`): it serves `[bounces] listen` while it leads and reads `[bounces]
  maildir` every `LEADER_RETRY` seconds;
- uvicorn serving the Starlette app (feeds, pages, subscription, admin API), on the main
  event loop, with deadlines for slow or idle clients and a connection cap
  (`syndication.web.serving`); the log handlers drop repeats (`log_repeats`).
SIGTERM or SIGINT stops all three gracefully: no new tick starts, the running one ends,
the sender finishes or releases what it claimed, the server closes its connections.
On SQLite a single `run` process is assumed (a second one waits on the scheduler lock
file and only sends).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import uvicorn
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette

from subscribers.purge import purge_pending
from syndication.bounces.service import BounceIntake
from syndication.config import Settings
from syndication.database import open_store
from syndication.errors import Problem, ServiceError
from syndication.metrics import TICK_LAG, TICK_SECONDS, TICKS
from syndication.releases import LoadedReleases
from syndication.releases.catalog import ReleaseCatalog
from syndication.scheduler.follower import SiteFollower
from syndication.scheduler.leader import Leadership, scheduler_leadership
from syndication.scheduler.log_repeats import quiet_repeats
from syndication.scheduler.sending import SendingThread
from syndication.scheduler.site_generation import bump_generation
from syndication.scheduler.tick import TickReport, publish_tick
from syndication.scheduler.wakeups import ServiceScheduler
from syndication.web.app import create_app
from syndication.web.serving import guarded_server_config

LEADER_RETRY = 5.0  # seconds between attempts to take (or checks of) the scheduler lock
FOLLOW_POLL = 2.0  # seconds between a follower's looks at the site generation
PURGE_EVERY = 3600.0  # seconds between purges of expired pending sign-ups (leader only)
log = logging.getLogger("syndication.scheduler")


def run_service(settings: Settings, *, announce: Callable[[str], None] = print) -> None:
    """Run the service until SIGTERM or SIGINT."""
    quiet_repeats()
    asyncio.run(_run(settings, announce))


async def _run(settings: Settings, announce: Callable[[str], None]) -> None:
    try:
        engine = await asyncio.to_thread(open_store, settings)
    except SQLAlchemyError as error:
        raise ServiceError(f"cannot open the database: {error}") from None
    try:
        await Service(settings, engine).run(announce)
    finally:
        engine.dispose()


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the service owns SIGTERM and SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class Service:
    """The running service's parts and the tasks that drive them."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.catalog = ReleaseCatalog(engine, settings)
        self.stop = asyncio.Event()
        self.sender = SendingThread(engine, settings, self.catalog)
        self.follower = SiteFollower(engine, settings, self.catalog)
        self.scheduler: ServiceScheduler | None = None
        self.bounces = BounceIntake(settings, engine)
        self._reported: frozenset[Problem] = frozenset()
        self._next_purge = 0.0
        self._ticks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tick")

    def request_stop(self) -> None:
        """Begin a graceful shutdown."""
        if not self.stop.is_set():
            log.info("stopping: finishing the running tick and the deliveries in flight")
        self.stop.set()

    async def run(self, announce: Callable[[str], None]) -> None:
        """Serve, schedule and send until asked to stop."""
        web = self.settings.web
        try:
            listener = socket.create_server((web.host, web.port))
        except OSError as error:
            raise ServiceError(f"cannot listen on {web.host}:{web.port}: {error}") from None
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.request_stop)
        server = _Server(server_config(self.settings, create_app(
            self.settings, self.engine, releases=self.catalog.by_id, alive=self.alive,
        )))
        serving = asyncio.create_task(_serve(server, listener))
        try:
            while not server.started:
                if serving.done():
                    raise ServiceError(f"cannot serve on {web.host}:{web.port}")
                await asyncio.sleep(0.02)
            host, port = listener.getsockname()[:2]
            announce(
                f"Serving {self.settings.output_dir} on http://{host}:{port}/ "
                "(subscription pages, admin API under /api/); Ctrl+C stops."
            )
            self.sender.start()
            leading = asyncio.create_task(self.lead())
            following = asyncio.create_task(self.follow())
            await self.stop.wait()
            await leading
            await following
        finally:
            self.stop.set()
            self.sender.stop()
            await asyncio.to_thread(self.sender.join)
            server.should_exit = True
            await serving
            listener.close()
            await asyncio.to_thread(self._ticks.shutdown, wait=True)
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)

    def alive(self) -> bool:
        """Whether this process's scheduler or sender runs (what `/readyz` asks)."""
        return self.sender.alive() or self.scheduler is not None

    async def lead(self) -> None:
        """Schedule while holding the scheduler lock; retry taking it while another holds it."""
        leadership = scheduler_leadership(self.engine, self.settings)
        if self.engine.dialect.name == "sqlite":
            log.info("SQLite: one `run` process is assumed (another one would only send)")
        try:
            while not self.stop.is_set():
                try:
                    await self._take_or_keep(leadership)
                    if self.scheduler is not None:
                        await self._purge_when_due()
                        await self.bounces.read_maildir()
                except ServiceError as error:  # [bounces] listen: the port is taken
                    log.error("%s", error)
                except Exception:  # the database is unreachable: try again later
                    log.exception("cannot check the scheduler lock, purge sign-ups or "
                                  "read bounces")
                await _wait(self.stop, LEADER_RETRY)
        finally:
            if self.scheduler is not None:
                self.scheduler.shutdown()
                self.scheduler = None
            await self.bounces.stop()
            await asyncio.to_thread(leadership.release)

    async def follow(self) -> None:
        """While another process leads, rebuild the output folder when it published."""
        loop = asyncio.get_running_loop()
        while not self.stop.is_set():
            if self.scheduler is None:
                try:  # on the tick thread: a build never runs beside a tick's
                    await loop.run_in_executor(self._ticks, self.follower.catch_up)
                except Exception:  # the database is unreachable: look again later
                    log.exception("cannot follow the site generation")
            await _wait(self.stop, FOLLOW_POLL)

    async def _take_or_keep(self, leadership: Leadership) -> None:
        if self.scheduler is None:
            if await asyncio.to_thread(leadership.try_acquire):
                log.info("this process schedules (it holds the scheduler lock)")
                self.scheduler = ServiceScheduler(self.settings, self.tick)
                self.scheduler.start()
        elif not await asyncio.to_thread(leadership.still_held):
            log.warning("lost the scheduler lock: another process will schedule")
            self.scheduler.shutdown()
            self.scheduler = None
            await self.bounces.stop()
        if self.scheduler is not None:
            await self.bounces.start()  # again after a failure: the port may be free now

    async def _purge_when_due(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        purged = await asyncio.to_thread(purge_pending, self.engine)
        self._next_purge = time.monotonic() + PURGE_EVERY
        if purged:
            log.info("forgot %d sign-ups never confirmed (their link expired)", purged)

    async def tick(self, due: datetime | None) -> None:
        """One tick now (never before `due`), then re-arm the release wake-ups."""
        if self.stop.is_set():
            return
        at = datetime.now(UTC)
        if due is not None:
            TICK_LAG.set(max(0.0, (at - due).total_seconds()))
        if due is not None and due > at:
            at = due
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            loaded, report = await loop.run_in_executor(self._ticks, self._tick, at)
        except Exception:
            TICKS.labels("failed").inc()
            log.exception("the tick at %s failed; the next one will retry", at.isoformat())
            return
        finally:
            TICK_SECONDS.observe(time.perf_counter() - started)
        TICKS.labels("done").inc()
        if report.planned:
            self.sender.wake()
        if self.scheduler is not None:
            self.scheduler.schedule_releases(loaded.releases, report.at)
        _log_tick(report, self.settings.timezone)
        for problem in sorted(set(report.problems) - self._reported, key=str):
            log.warning("%s", problem)  # once, not at every scan
        self._reported = frozenset(report.problems)

    def _tick(self, at: datetime) -> tuple[LoadedReleases, TickReport]:
        loaded = self.catalog.load()
        report = publish_tick(self.engine, self.settings, at=at, releases=loaded)
        if report.written:  # the followers rebuild theirs as of the same instant
            self.follower.seen(bump_generation(self.engine, as_of=report.at))
        return loaded, report


def server_config(settings: Settings, app: Starlette) -> uvicorn.Config:
    """uvicorn's config for `app` (see `web.serving`), with the site's trusted proxies and
    connection deadlines."""
    web = settings.web
    return guarded_server_config(
        app, trusted_proxies=web.trusted_proxies, head_timeout=web.head_timeout.total_seconds(),
        body_timeout=web.body_timeout.total_seconds(), keep_alive=web.keep_alive.total_seconds(),
    )


async def _serve(server: uvicorn.Server, listener: socket.socket) -> None:
    # uvicorn exits the process on a failed start-up; here that ends this task only.
    try:
        await server.serve(sockets=[listener])
    except SystemExit:
        log.error("the web server stopped")


def _log_tick(report: TickReport, timezone: ZoneInfo) -> None:
    if not (report.written or report.planned or report.unmailed or report.published):
        return
    mailings = {key: count for key, count in report.planned_mailings().items() if count}
    parts = [
        "published " + (", ".join(report.published) or "nothing"),
        "planned " + (", ".join(f"{key} ({count})" for key, count in mailings.items())
                      or "no mailing"),
        f"{len(report.written)} files written",
    ]
    if report.unmailed:
        parts.append("too old to mail: " + ", ".join(report.unmailed))
    log.info(
        "tick at %s: %s", report.at.astimezone(timezone).isoformat(), "; ".join(parts),
        extra={"tick_at": report.at.astimezone(timezone).isoformat(),
               "releases_published": list(report.published), "mailings_planned": mailings,
               "files_written": len(report.written), "releases_unmailed": list(report.unmailed)},
    )


async def _wait(event: asyncio.Event, timeout: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)
