"""Which lists are closed: joined only by an admin's explicit choice, never by default.

A list is closed when config.toml declares it `public = false`, or when any release names it
in `[embargo] lists`: embargoed advance copies are for journalists an admin accredited. A
closed list is never offered on the web and never a default: `subscribers add` and an import
row without lists, the API and the sign-up form put people on the open lists only (issue 11:
an empty lists cell once put people on the embargo list). Every caller asks this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from syndication.config import Settings
from syndication.releases import Release


def closed_lists(settings: Settings, releases: Iterable[Release]) -> frozenset[str]:
    """The lists no default and no web form may put anyone on."""
    closed = {name for name, declared in settings.lists.items() if not declared.public}
    closed |= {name for release in releases if release.embargo is not None
               for name in release.embargo.lists}
    return frozenset(closed)


def open_lists(names: Iterable[str], closed: frozenset[str]) -> tuple[str, ...]:
    """`names` without the closed lists, in their order."""
    return tuple(name for name in names if name not in closed)
