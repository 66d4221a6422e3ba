"""Rendering and writing the files a build planned, on every core when there are many.

A full build of a large site renders tens of thousands of pages, and creating a file is
costly on some file systems: past `PARALLEL_THRESHOLD` files, those marked `parallel` are
rendered and written by worker processes (`process_pool`) while this process does the rest.
Every file is written atomically and only when its bytes changed
(`atomic_files.write_if_changed`), with its `.gz` copy beside it (`compression`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from syndication.atomic_files import write_if_changed
from syndication.process_pool import WorkerPool, worker_count
from syndication.site.compression import compressed_path, gzip_bytes, is_compressed

PARALLEL_THRESHOLD = 2_000


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
    """The outcome for one planned file: whether its bytes changed, and its stat once done;
    `compressed` is the same for its `.gz` copy, if it has one."""

    path: str
    written: bool
    mtime_ns: int
    size: int
    compressed: WrittenFile | None = None


def write_files(output_dir: Path, items: Sequence[PlannedFile]) -> list[WrittenFile]:
    """Render and write `items`; outcomes in the order of `items`."""
    bulk = [item for item in items if item.parallel]
    workers = worker_count()
    if len(bulk) < PARALLEL_THRESHOLD or workers < 2:
        return write_batch(str(output_dir), list(items))
    # Pages of the same release (or month) in each language go to the same worker, so each
    # release is pickled once.
    batches: list[list[PlannedFile]] = [[] for _ in range(workers)]
    for item in bulk:
        shared_part = item.path.partition("/")[2].encode()
        batches[zlib.crc32(shared_part) % workers].append(item)
    write = partial(write_batch, str(output_dir))
    with WorkerPool(write, [batch for batch in batches if batch],
                    purpose="page-writing") as pool:
        outcomes = {outcome.path: outcome for outcome in write_batch(
            str(output_dir), [item for item in items if not item.parallel]
        )}
        for written in pool.results():
            outcomes.update((outcome.path, outcome) for outcome in written)
    return [outcomes[item.path] for item in items]


def write_batch(output_dir: str, items: list[PlannedFile]) -> list[WrittenFile]:
    """Render and write `items` in this process."""
    outcomes = []
    for item in items:
        content = item.render()
        compressed = None
        if is_compressed(item.path):
            compressed = _write(output_dir, compressed_path(item.path), gzip_bytes(content))
        outcomes.append(_write(output_dir, item.path, content, compressed))
    return outcomes


def _write(
    output_dir: str, path: str, content: bytes, compressed: WrittenFile | None = None
) -> WrittenFile:
    target = Path(output_dir, path)
    written = write_if_changed(target, content)
    stat = target.stat()
    return WrittenFile(path, written, stat.st_mtime_ns, stat.st_size, compressed)
