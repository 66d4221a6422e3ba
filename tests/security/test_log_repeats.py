"""The same error repeated is logged once, then counted: logs cannot flood."""

from __future__ import annotations

import io
import logging

from syndication.scheduler.log_repeats import RepeatFilter


def test_a_repeated_error_is_written_once_then_counted() -> None:
    now = [0.0]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RepeatFilter(window=60, clock=lambda: now[0]))
    logger = logging.getLogger("tests.log_repeats")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        for fd in range(10_000):
            _accept_failed(logger, fd)
        logger.info("a tick")
        now[0] = 61.0
        _accept_failed(logger, 1)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert sum("out of system resource" in line for line in lines) == 2
    assert "a tick" in lines
    assert lines[-1].endswith("(repeated 9,999 times in the last 60 s)")
    assert len(stream.getvalue()) < 2_000


def _accept_failed(logger: logging.Logger, fd: int) -> None:
    try:
        raise OSError(24, "Too many open files")
    except OSError:
        logger.exception("socket.accept() out of system resource\nsocket: fd=%d", fd)
