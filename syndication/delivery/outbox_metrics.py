"""Deliveries by status and the outbox depth as Prometheus gauges, counted at scrape time.

Read from the deliveries table, not counted in memory: every process of a shared database
reports the same totals, the ones `deliveries --format json` prints.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from syndication.delivery.outbox_schema import DeliveryStatus, deliveries
from syndication.metrics import REGISTRY

# Statuses still to be sent: what a backlog is made of.
WAITING = (DeliveryStatus.PLANNED.value, DeliveryStatus.SENDING.value)


class OutboxCollector(Collector):
    """Deliveries by status and the outbox depth, counted in the database at scrape time."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the two gauge families (one query)."""
        query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
        with self._engine.connect() as conn:
            counts = {str(status): int(count) for status, count in conn.execute(query)}
        by_status = GaugeMetricFamily(
            "syndication_deliveries", "Deliveries in the outbox, by status", labels=["status"]
        )
        for status in DeliveryStatus:
            by_status.add_metric([status.value], counts.get(status.value, 0))
        yield by_status
        yield GaugeMetricFamily(
            "syndication_outbox_depth", "Deliveries planned or being sent (not finished yet)",
            value=sum(counts.get(status, 0) for status in WAITING),
        )


def exposition(engine: Engine) -> bytes:
    """The Prometheus text of this process's counters and the database's outbox."""
    database = CollectorRegistry(auto_describe=False)
    database.register(OutboxCollector(engine))
    return generate_latest(REGISTRY) + generate_latest(database)
