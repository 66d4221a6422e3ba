"""Precompressed copies: a `.gz` beside every page and feed, deterministic, kept in step."""

from __future__ import annotations

import gzip
from datetime import timedelta

from syndication.config import Settings
from syndication.site.compression import is_compressed
from tests.site.building import FUTURE_PUBLISHED, NOW, build, output_files

FNAME = 0x08  # RFC 1952 FLG bit: an original file name follows the header


def test_every_page_and_feed_has_its_gzip_copy(example_settings: Settings) -> None:
    build(example_settings)
    files = output_files(example_settings, compressed=True)
    plain = {path: data for path, data in files.items() if not path.endswith(".gz")}
    assert "fr/atom.xml" in plain
    assert "nl/index.html" in plain
    assert "feeds.opml" in plain
    text = {path: data for path, data in plain.items() if is_compressed(path)}
    assert {path for path in plain if path.endswith((".html", ".xml", ".json", ".opml"))} <= set(
        text
    )
    for path, data in text.items():
        copy = files[path + ".gz"]
        assert gzip.decompress(copy) == data
        assert copy[3] & FNAME == 0, f"{path}.gz names a file"
        assert copy[4:8] == b"\0\0\0\0", f"{path}.gz carries a time"
    assert len(files) == len(plain) + len(text)


def test_a_second_build_rewrites_no_gzip_copy(example_settings: Settings) -> None:
    build(example_settings)
    root = example_settings.output_dir
    stamps = {p: p.stat().st_mtime_ns for p in root.rglob("*.gz")}
    again = build(example_settings, NOW + timedelta(days=1))
    assert again.written == []
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*.gz")} == stamps


def test_gzip_copies_follow_their_file(example_settings: Settings) -> None:
    build(example_settings)
    atom = example_settings.output_dir / "fr/atom.xml"
    before = (atom.parent / "atom.xml.gz").read_bytes()
    report = build(example_settings, FUTURE_PUBLISHED)
    assert atom.with_name("atom.xml.gz") in report.written
    assert gzip.decompress(atom.with_name("atom.xml.gz").read_bytes()) == atom.read_bytes()
    assert atom.with_name("atom.xml.gz").read_bytes() != before
    # A lost copy is restored by the next build, and only it is written.
    lost = example_settings.output_dir / "nl/index.html.gz"
    lost.unlink()
    assert build(example_settings, FUTURE_PUBLISHED).written == [lost]
    assert gzip.decompress(lost.read_bytes()) == lost.with_suffix("").read_bytes()


def test_a_withdrawn_page_takes_its_copy_along(example_settings: Settings) -> None:
    build(example_settings, FUTURE_PUBLISHED)
    page = next(example_settings.output_dir.glob("fr/2027-*.html"))
    assert page.with_name(page.name + ".gz").exists()
    report = build(example_settings, FUTURE_PUBLISHED - timedelta(seconds=1))
    assert page.with_name(page.name + ".gz") in report.removed
    assert not page.with_name(page.name + ".gz").exists()
