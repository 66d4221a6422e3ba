"""The service: scheduler ticks (`publish_tick`), digest times, the leader lock and `run`."""

from syndication.service.tick import DigestRun, TickReport, publish_tick

__all__ = ["DigestRun", "TickReport", "publish_tick"]
