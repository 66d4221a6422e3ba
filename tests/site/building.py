"""What the feed, page and site tests share: times, building the example site, TOML text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from syndication.config import Settings
from syndication.releases import Release, load_releases
from syndication.site.build import BuildReport, build_site

# After every example release but the future one (2027-03-15, under embargo until 10:00).
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
FUTURE_ID = "2027-03-15-pension-adequacy-study"
FUTURE_PUBLISHED = datetime.fromisoformat("2027-03-15T10:00:00+01:00")


def load(settings: Settings) -> tuple[Release, ...]:
    """The example releases, failing loudly on any problem."""
    loaded = load_releases(settings)
    assert loaded.problems == (), loaded.problems
    return loaded.releases


def build(settings: Settings, now: datetime = NOW) -> BuildReport:
    """Load the releases and build the site at `now`."""
    return build_site(settings, load(settings), now=now)


def output_files(settings: Settings, *, compressed: bool = False) -> dict[str, bytes]:
    """Every file of the output folder, by path relative to it; the `.gz` copies only
    if `compressed` (tests/site/test_compression.py checks they hold their sibling)."""
    root = settings.output_dir
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and (compressed or path.suffix != ".gz")
    }


def feed_paths(settings: Settings, suffix: str) -> list[Path]:
    """Every feed file of one format (`atom.xml`, `rss.xml`, `feed.json`)."""
    return sorted(settings.output_dir.rglob(suffix))


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and controls escaped.

    Characters TOML cannot carry at all (lone surrogates) are escaped too, which TOML then
    rejects: the loader must report that as a problem, not crash.
    """
    parts = ['"']
    for character in text:
        code = ord(character)
        if character in '"\\':
            parts.append("\\" + character)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            parts.append(f"\\u{code:04X}")
        else:
            parts.append(character)
    parts.append('"')
    return "".join(parts)


def release_toml(
    *, title: str, body: str, published: str = "2020-01-15T10:00:00+01:00",
    updated: str | None = None, themes: tuple[str, ...] = ("pensions",),
    languages: tuple[str, ...] = ("fr", "nl"),
) -> str:
    """A release file with the same title and body in each of `languages`."""
    lines = [f"published = {published}"]
    if updated:
        lines.append(f"updated = {updated}")
    lines.append("themes = [" + ", ".join(toml_string(theme) for theme in themes) + "]")
    for language in languages:
        lines += [f"[{language}]", f"title = {toml_string(title)}", f"body = {toml_string(body)}"]
    lines += ["[[contacts]]", 'ref = "press-service"']
    return "\n".join(lines) + "\n"
