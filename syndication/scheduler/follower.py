"""A process that does not lead keeps its own output folder in step with the leader's.

`SiteFollower.catch_up` reads the site generation (`site_generation.py`) and, when it
moved since the last look (or at the first look: the folder may be from another day),
rebuilds this process's output folder from its releases folder as of the generation's
instant. Only changed files are written, so a look that finds nothing new costs one
query. The leader's own ticks tell the follower what they built (`seen`), so a process
that stops leading does not rebuild what it built itself.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.releases.catalog import ReleaseCatalog
from syndication.scheduler.site_generation import Generation, current_generation
from syndication.site.build import build_site

log = logging.getLogger("syndication.scheduler")


class SiteFollower:
    """Rebuilds this process's output folder whenever the leader published a generation."""

    def __init__(self, engine: Engine, settings: Settings, catalog: ReleaseCatalog) -> None:
        self._engine = engine
        self._settings = settings
        self._catalog = catalog
        self._built: int | None = None

    def seen(self, generation: Generation) -> None:
        """Note a generation this process built itself (as the leader)."""
        self._built = generation.number

    def catch_up(self) -> bool:
        """Rebuild if the leader published since the last look; True if rebuilt."""
        generation = current_generation(self._engine)
        if generation is None or generation.number == self._built:
            return False
        loaded = self._catalog.load()
        report = build_site(self._settings, loaded.releases, now=generation.as_of)
        self._built = generation.number
        log.info(
            "followed the leader's generation %d (as of %s): %d files written",
            generation.number, generation.as_of.isoformat(), len(report.written),
        )
        return True
