"""Whole-site builds: nothing rewritten without a change, embargo by time, withdrawals."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

from syndication.config import Settings
from syndication.site.manifest import manifest_path
from tests.site.building import FUTURE_ID, FUTURE_PUBLISHED, NOW, build, output_files

TELEWORK = "2021-06-08-telework-well-being-survey.toml"


def stamps(settings: Settings) -> dict[str, int]:
    """Modification time of every output file."""
    root = settings.output_dir
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file()}


def test_a_second_build_writes_nothing(example_settings: Settings) -> None:
    first = build(example_settings)
    assert first.public == 6
    assert len(first.written) == len(output_files(example_settings, compressed=True))
    assert first.unchanged == 0
    before = stamps(example_settings)
    second = build(example_settings)
    assert second.written == []
    assert second.removed == []
    assert second.unchanged == len(before)
    assert stamps(example_settings) == before


def test_output_is_byte_identical_when_rebuilt_from_scratch(example_settings: Settings) -> None:
    build(example_settings)
    first = output_files(example_settings, compressed=True)
    shutil.rmtree(example_settings.output_dir)
    manifest_path(example_settings.data_dir).unlink()
    build(example_settings, NOW + timedelta(days=30))  # a later build time changes nothing
    assert output_files(example_settings, compressed=True) == first


def test_a_future_release_appears_only_at_its_publication(example_settings: Settings) -> None:
    build(example_settings, FUTURE_PUBLISHED - timedelta(seconds=1))
    early = output_files(example_settings, compressed=True)
    assert not any(FUTURE_ID in path for path in early)
    assert not any(FUTURE_ID.encode() in content for content in early.values())

    report = build(example_settings, FUTURE_PUBLISHED)
    assert report.public == 7
    late = output_files(example_settings, compressed=True)
    assert f"fr/{FUTURE_ID}.html" in late
    assert f"nl/{FUTURE_ID}.html" in late
    for feed in ("fr/atom.xml", "nl/rss.xml", "fr/themes/pensions/feed.json"):
        assert FUTURE_ID.encode() in late[feed]
    # Only what shows the new release changed: its pages, its feeds, listings, its month.
    changed = {path.relative_to(example_settings.output_dir).as_posix()
               for path in report.written}
    assert changed == {path for path in late if late[path] != early.get(path)}
    assert "fr/themes/digital/atom.xml" not in changed
    assert "fr/2016-08-31-belincosoc-china.html" not in changed


def test_a_release_moved_to_the_future_is_withdrawn(example_settings: Settings) -> None:
    build(example_settings)
    release = example_settings.releases_dir / TELEWORK
    page = example_settings.output_dir / "fr" / TELEWORK.replace(".toml", ".html")
    assert page.exists()
    # No `updated` any more: its correction note goes too (a note needs a correction).
    release.write_text(
        re.sub(r"\[correction\]\nnote = .*\n", "", release.read_text("utf-8"))
        .replace("published = 2021-06-08T14:00:00+02:00", "published = 2031-06-08T14:00:00+02:00")
        .replace("updated = 2021-06-09T11:30:00+02:00\n", ""),
        encoding="utf-8",
    )
    report = build(example_settings)
    assert page in report.removed
    assert not page.exists()
    assert b"telework" not in (example_settings.output_dir / "fr/atom.xml").read_bytes()


def test_a_correction_rewrites_its_files_only(example_settings: Settings) -> None:
    build(example_settings)
    release = example_settings.releases_dir / "2016-08-31-belincosoc-china.toml"
    release.write_text(
        release.read_text("utf-8").replace(
            "published = 2016-08-31T15:50:00+02:00",
            "published = 2016-08-31T15:50:00+02:00\nupdated = 2016-09-02T09:00:00+02:00",
        ),
        encoding="utf-8",
    )
    report = build(example_settings)
    changed = {path.relative_to(example_settings.output_dir).as_posix()
               for path in report.written}
    assert "fr/2016-08-31-belincosoc-china.html" in changed
    assert "fr/themes/international/atom.xml" in changed
    assert "fr/2020-11-17-social-situation-report-2020.html" not in changed
    assert "fr/themes/digital/atom.xml" not in changed
    atom = (example_settings.output_dir / "fr/atom.xml").read_text("utf-8")
    assert atom.count("tag:press.example.be,2016-08-31:/fr/2016-08-31-belincosoc-china") == 1
    assert "<updated>2016-09-02T09:00:00+02:00</updated>" in atom


def test_a_deleted_or_edited_output_file_is_restored(example_settings: Settings) -> None:
    build(example_settings)
    files = output_files(example_settings)
    deleted = example_settings.output_dir / "nl/index.html"
    edited = example_settings.output_dir / "fr/rss.xml"
    deleted.unlink()
    edited.write_bytes(b"<rss>vandalised</rss>")
    report = build(example_settings)
    assert sorted(report.written) == sorted([deleted, edited])
    assert output_files(example_settings) == files


def test_files_the_build_did_not_write_are_left_alone(example_settings: Settings) -> None:
    mine = example_settings.output_dir / "ads.txt"  # (robots.txt is the build's own)
    mine.parent.mkdir(parents=True)
    mine.write_text("User-agent: *\n", encoding="utf-8")
    build(example_settings)
    build(example_settings, FUTURE_PUBLISHED)
    assert mine.read_text("utf-8") == "User-agent: *\n"
