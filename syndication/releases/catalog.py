"""The site's releases as a running process knows them, checked against the lists.

`load_site_releases` reads the folder and validates it against the lists config.toml
declares and the lists the database holds. `ReleaseCatalog` keeps the latest result for a
running process: the sender needs the releases to compose messages, in every process; the
leading process refreshes them with each tick, the others reload the folder once per
`scan_every` (the loader's cache makes that a `stat` per file).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from sqlalchemy import Engine

from subscribers import list_names
from syndication.config import Settings
from syndication.releases import LoadedReleases, Release, load_releases


def load_site_releases(engine: Engine, settings: Settings) -> LoadedReleases:
    """Every release of the site, validated against config lists and database lists."""
    return load_releases(settings, known_lists=list_names(engine))


class ReleaseCatalog:
    """The latest releases read from the folder, shared by the ticks and the sender."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._lock = threading.Lock()
        self._by_id: Mapping[str, Release] = {}
        self._loaded_at: float | None = None

    def load(self) -> LoadedReleases:
        """Read the releases folder now (blocking) and keep the result."""
        loaded = load_site_releases(self._engine, self._settings)
        self.update(loaded)
        return loaded

    def update(self, loaded: LoadedReleases) -> None:
        """Keep releases just read by someone else (a tick)."""
        with self._lock:
            self._by_id = {release.id: release for release in loaded.releases}
            self._loaded_at = time.monotonic()

    def stale(self) -> bool:
        """Whether the releases are older than one scan interval (or never read)."""
        loaded_at = self._loaded_at
        interval = self._settings.schedule.scan_every.total_seconds()
        return loaded_at is None or time.monotonic() - loaded_at >= interval

    def by_id(self) -> Mapping[str, Release]:
        """The releases known, by id."""
        with self._lock:
            return self._by_id
