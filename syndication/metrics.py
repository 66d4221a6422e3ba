"""The process's Prometheus metrics: what the sender, the scheduler and the web server count.

One registry of our own (not prometheus-client's default one, which adds `process_` and
`python_` families): every name starts with `syndication_`. Counters and histograms here
move as the process works; what the database holds (deliveries by status, outbox depth)
is read at scrape time by `delivery/outbox_metrics.py`.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

SMTP_REPLIES = Counter(
    "syndication_smtp_replies", "SMTP replies to a transaction, by class (2xx, 4xx, 5xx) or "
    "'none' when the connection failed or timed out", ["reply_class"], registry=REGISTRY,
)
TICKS = Counter("syndication_ticks", "Scheduler ticks run, by outcome", ["outcome"],
                registry=REGISTRY)
TICK_SECONDS = Histogram(
    "syndication_tick_duration_seconds", "Time one scheduler tick took",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60), registry=REGISTRY,
)
TICK_LAG = Gauge(
    "syndication_tick_lag_seconds", "How late the last tick started after the time it was due",
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "syndication_http_requests", "HTTP requests answered, by route template and status class",
    ["method", "route", "status_class"], registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "syndication_http_request_duration_seconds", "Time to answer an HTTP request, by route",
    ["route"], registry=REGISTRY,
)


def reply_class(code: int | None) -> str:
    """The label of an SMTP reply code: '2xx', '4xx', '5xx', or 'none' without a reply."""
    if code is None or not 200 <= code < 600:
        return "none"
    return f"{code // 100}xx"
