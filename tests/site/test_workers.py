"""Worker processes: a big build renders in parallel and writes exactly what one process would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from syndication.config import Settings
from syndication.process_pool import WorkerError
from syndication.site import writer
from syndication.site.manifest import manifest_path
from tests.site.building import build, output_files


def test_parallel_build_writes_the_same_files_as_a_serial_one(
    example_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = build(example_settings)
    expected = output_files(example_settings)
    shutil.rmtree(example_settings.output_dir)
    manifest_path(example_settings.data_dir).unlink()

    monkeypatch.setattr(writer, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = build(example_settings)
    assert output_files(example_settings) == expected
    assert sorted(parallel.written) == sorted(serial.written)
    # The manifest recorded the workers' files: nothing is rendered again.
    assert build(example_settings).written == []


def test_a_failing_worker_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    # A renderer that raises in the worker: the build fails loudly, with the worker's error.
    items = [writer.PlannedFile(f"page-{n}.html", "f", _explode, parallel=True)
             for n in range(4)]
    with pytest.raises(WorkerError, match="page-writing worker failed"):
        writer.write_files(tmp_path, items)


def _explode() -> bytes:
    raise RuntimeError("template exploded")
