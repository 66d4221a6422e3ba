"""A follower rebuilds its own output folder only when the leader published a generation."""

from __future__ import annotations

from datetime import UTC, datetime

from harness.sites import Site
from syndication.releases.catalog import ReleaseCatalog
from syndication.scheduler.follower import SiteFollower
from syndication.scheduler.site_generation import bump_generation, current_generation

AS_OF = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_rebuilds_as_of_each_new_generation_and_only_then(site: Site) -> None:
    follower = SiteFollower(site.engine, site.settings, ReleaseCatalog(site.engine, site.settings))
    feed = site.settings.output_dir / "fr" / "atom.xml"
    assert current_generation(site.engine) is None
    assert not follower.catch_up()  # the leader has published nothing yet
    site.add_release("first", "2026-02-01T10:00:00+01:00")
    site.add_release("later", "2026-04-01T10:00:00+02:00")  # not public as of AS_OF
    assert bump_generation(site.engine, as_of=AS_OF).number == 1
    assert follower.catch_up()
    assert "Titre first" in feed.read_text(encoding="utf-8")
    assert "Titre later" not in feed.read_text(encoding="utf-8")
    assert not follower.catch_up()  # nothing new: one query, no build
    follower.seen(bump_generation(site.engine, as_of=datetime(2026, 5, 1, tzinfo=UTC)))
    assert not follower.catch_up()  # this process built that one itself
    bump_generation(site.engine, as_of=datetime(2026, 5, 2, tzinfo=UTC))
    assert follower.catch_up()
    assert "Titre later" in feed.read_text(encoding="utf-8")
    generation = current_generation(site.engine)
    assert generation is not None
    assert (generation.number, generation.as_of) == (3, datetime(2026, 5, 2, tzinfo=UTC))
