"""Rendering and writing the files a build planned, on every core when there are many.

A full build of a large site renders tens of thousands of pages, and creating a file is
costly on some file systems: past `PARALLEL_THRESHOLD` files, those marked `parallel` are
rendered and written by worker processes (`python -m syndication.site.writer`) while this
process does the rest. Workers are fresh interpreters fed a pickled batch on their standard
input: not forked (a build may run inside the threaded service, and forking a
threaded process can deadlock the child), and not `multiprocessing` (whose spawn re-runs
the caller's main script). Every file is written atomically and only when its bytes
changed (`atomic_files.write_if_changed`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from syndication.atomic_files import write_if_changed

PARALLEL_THRESHOLD = 2_000
_MAX_WORKERS = 8


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One output file: path in the output folder, fingerprint of its inputs, renderer.

    `parallel` files may be rendered in a worker process: their renderer is a picklable
    module-level function (a `functools.partial`) that shares no state with other files.
    """

    path: str
    fingerprint: str
    render: Callable[[], bytes]
    parallel: bool = False


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """The outcome for one planned file: whether its bytes changed, and its stat once done."""

    path: str
    written: bool
    mtime_ns: int
    size: int


class WorkerError(RuntimeError):
    """A worker process failed; carries its error output."""


def write_files(output_dir: Path, items: Sequence[PlannedFile]) -> list[WrittenFile]:
    """Render and write `items`; outcomes in the order of `items`."""
    bulk = [item for item in items if item.parallel]
    workers = min(os.cpu_count() or 1, _MAX_WORKERS)
    if len(bulk) < PARALLEL_THRESHOLD or workers < 2:
        return write_batch(str(output_dir), list(items))
    # Pages of the same release (or month) in each language go to the same worker, so each
    # release is pickled once.
    batches: list[list[PlannedFile]] = [[] for _ in range(workers)]
    for item in bulk:
        shared_part = item.path.partition("/")[2].encode()
        batches[zlib.crc32(shared_part) % workers].append(item)
    with tempfile.TemporaryDirectory(prefix="syndication-build-") as scratch:
        # Start every worker first: they import while this process pickles their batches.
        running = [(_start_worker(Path(scratch, f"{index}.result")), batch)
                   for index, batch in enumerate(batches) if batch]
        try:
            for (process, _), batch in running:
                _send(process, str(output_dir), batch)
            outcomes = {outcome.path: outcome for outcome in write_batch(
                str(output_dir), [item for item in items if not item.parallel]
            )}
            for (process, result_path), _ in running:
                outcomes.update((outcome.path, outcome)
                                for outcome in _finish(process, result_path))
        finally:
            for (process, _), _ in running:
                _stop(process)
    return [outcomes[item.path] for item in items]


def write_batch(output_dir: str, items: list[PlannedFile]) -> list[WrittenFile]:
    """Render and write `items` in this process."""
    outcomes = []
    for item in items:
        target = Path(output_dir, item.path)
        written = write_if_changed(target, item.render())
        stat = target.stat()
        outcomes.append(WrittenFile(item.path, written, stat.st_mtime_ns, stat.st_size))
    return outcomes


def _start_worker(result: Path) -> tuple[subprocess.Popen[bytes], Path]:
    process = subprocess.Popen(
        [sys.executable, "-m", "syndication.site.writer", str(result)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return process, result


def _send(process: subprocess.Popen[bytes], output_dir: str, batch: list[PlannedFile]) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(pickle.dumps((output_dir, batch), protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the worker died early: `_finish` reports its error output


def _finish(process: subprocess.Popen[bytes], result: Path) -> list[WrittenFile]:
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read()  # until the worker exits: it writes only on failure
    if process.wait() != 0:
        raise WorkerError(f"a page-writing worker failed:\n{errors.decode(errors='replace')}")
    outcomes: list[WrittenFile] = pickle.loads(result.read_bytes())  # noqa: S301 - our worker
    return outcomes


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Make sure a worker is gone and its pipes closed (after a failure elsewhere, too)."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stderr):
        if stream is not None:
            stream.close()


def _work(result: Path) -> None:
    output_dir, batch = pickle.load(sys.stdin.buffer)  # noqa: S301 - sent by our parent
    result.write_bytes(pickle.dumps(write_batch(output_dir, batch),
                                    protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    # Through the package module, so pickled outcomes name `syndication.site.writer` classes.
    from syndication.site.writer import _work as work

    work(Path(sys.argv[1]))
