"""Work spread over worker processes: one call per task, each in a fresh interpreter.

The two jobs that a large site makes long, parsing a cold release cache and writing tens of
thousands of pages, hand a few big batches to workers. Workers are spawned, never forked (a
build or a load may run inside the threaded service, and forking a threaded process can
deadlock the child), and not through `multiprocessing` (whose spawn re-runs the caller's
main script: a bench, a test runner, in every worker). Each worker reads one pickled call on
its standard input and writes the pickled result to a file; a failed worker's error output
is raised as `WorkerError`.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Generic, TypeVar

from syndication.errors import WorkerError

MAX_WORKERS = 8

T = TypeVar("T")
R = TypeVar("R")

# The worker: this module imported by name, so pickled results name the caller's classes.
_WORKER = "import sys; from syndication.process_pool import serve_call; serve_call(sys.argv[1])"


def worker_count() -> int:
    """How many workers a pool may usefully start: one per core, at most `MAX_WORKERS`."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


class WorkerPool(Generic[T, R]):
    """`function(task)` for every task, each in its own worker process, started at once.

    Use it as a context manager: the caller can do other work while the workers run, then
    collect `results()`; leaving the block stops any worker still running.
    """

    def __init__(self, function: Callable[[T], R], tasks: Sequence[T], *, purpose: str) -> None:
        self.purpose = purpose
        self._scratch = tempfile.TemporaryDirectory(prefix="syndication-workers-")
        self._running: list[tuple[subprocess.Popen[bytes], Path]] = []
        try:
            # Start every worker first: they import while this process pickles their tasks.
            for index in range(len(tasks)):
                result = Path(self._scratch.name, f"{index}.result")
                process = subprocess.Popen(
                    [sys.executable, "-c", _WORKER, str(result)],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                )
                self._running.append((process, result))
            for (process, _), task in zip(self._running, tasks, strict=True):
                _send(process, (function, task))
        except BaseException:
            self.close()
            raise

    def results(self) -> list[R]:
        """Wait for every worker; their results in the order of the tasks."""
        return [self._finish(process, result) for process, result in self._running]

    def close(self) -> None:
        """Make sure every worker is gone and its pipes closed (after a failure, too)."""
        for process, _ in self._running:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stderr):
                if stream is not None:
                    stream.close()
        self._scratch.cleanup()

    def __enter__(self) -> WorkerPool[T, R]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _finish(self, process: subprocess.Popen[bytes], result: Path) -> R:
        assert process.stderr is not None
        errors = process.stderr.read()  # until the worker exits: it writes only on failure
        if process.wait() != 0:
            raise WorkerError(
                f"a {self.purpose} worker failed:\n{errors.decode(errors='replace')}"
            )
        value: R = pickle.loads(result.read_bytes())  # noqa: S301 - our own worker's
        return value


def _send(process: subprocess.Popen[bytes], call: tuple[Callable[[T], R], T]) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the worker died early: `results` reports its error output


def serve_call(result: str) -> None:
    """In a worker: run the pickled call read from standard input, pickle its result."""
    function, task = pickle.load(sys.stdin.buffer)  # noqa: S301 - sent by our parent
    Path(result).write_bytes(pickle.dumps(function(task), protocol=pickle.HIGHEST_PROTOCOL))
