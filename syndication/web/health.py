"""`/healthz`, `/readyz` and `/metrics`: what a load balancer and Prometheus ask `run`.

- `GET /healthz`: 200 while the process serves HTTP (it answered, so it serves).
- `GET /readyz`: 200 when the database answers a `SELECT 1` within `READY_WAIT` seconds and
  the process's scheduler or sender is alive (`alive`, given by `run`); 503 otherwise, with
  what failed, so a load balancer takes this process out while its database is away and
  back in when it returns.
- `GET /metrics`: Prometheus text (`syndication.metrics` and the outbox gauges), behind the
  admin bearer token like the admin API: counts of deliveries are not for the public.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syndication.delivery.outbox_metrics import exposition
from syndication.metrics import CONTENT_TYPE
from syndication.web.api import admin
from syndication.web.context import context

READY_WAIT = 2.0  # seconds the database has to answer a readiness probe
NO_STORE = {"Cache-Control": "no-store"}


def health_routes(alive: Callable[[], bool]) -> list[Route]:
    """The three routes; `alive` says whether the scheduler or the sender runs."""

    async def readyz(request: Request) -> Response:
        database = await database_answers(context(request).engine)
        working = alive()
        body = {"database": "ok" if database else "unreachable",
                "scheduler_or_sender": "alive" if working else "stopped"}
        return JSONResponse(body, status_code=200 if database and working else 503,
                            headers=NO_STORE)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


async def healthz(request: Request) -> Response:
    """200 while the process serves."""
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@admin
async def metrics(request: Request) -> Response:
    """The Prometheus text format of this process's metrics."""
    body = await run_in_threadpool(exposition, context(request).engine)
    return Response(body, media_type=CONTENT_TYPE, headers=NO_STORE)


async def database_answers(engine: Engine) -> bool:
    """Whether the database answers `SELECT 1` within READY_WAIT seconds."""

    def probe() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        # A thread: a connect to a vanished host may block for its whole timeout.
        await asyncio.wait_for(asyncio.to_thread(probe), READY_WAIT)
    except Exception:  # unreachable, refused, timed out, broken pooled connection
        return False
    return True
