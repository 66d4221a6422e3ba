"""An aiosmtpd handler served on a free loopback port, for the servers tests and benches run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from harness.ports import free_port


@contextmanager
def serving_smtp(handler: object) -> Iterator[int]:
    """Serve `handler` (its `handle_DATA` and other hooks) on 127.0.0.1; yield the port."""
    port = free_port()  # aiosmtpd's Controller cannot take port 0
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
