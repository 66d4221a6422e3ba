"""The worker pool: every call in a fresh process, results in task order, failures loud."""

from __future__ import annotations

import os

import pytest

from syndication.process_pool import WorkerError, WorkerPool


def test_results_come_back_in_the_order_of_the_tasks() -> None:
    with WorkerPool(_square_and_pid, [3, 1, 2], purpose="test") as pool:
        results = pool.results()
    assert [square for square, _ in results] == [9, 1, 4]
    # Each task ran in a process of its own, none of them this one.
    assert len({pid for _, pid in results} | {os.getpid()}) == 4


def test_a_failing_call_raises_with_the_workers_error_output() -> None:
    with WorkerPool(_fail, ["no good"], purpose="test") as pool:
        with pytest.raises(WorkerError, match="a test worker failed") as raised:
            pool.results()
    assert "ValueError: no good" in str(raised.value)


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)
