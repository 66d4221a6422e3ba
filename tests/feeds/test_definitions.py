"""Which releases each feed holds: publication time, order, cut, corrections."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from syndication.config import Settings
from syndication.feeds.definitions import (
    EMPTY_FEED_UPDATED,
    FeedDocuments,
    define_feeds,
    entry_id,
)
from tests.site.building import FUTURE_ID, FUTURE_PUBLISHED, NOW, load


def test_a_release_enters_the_feeds_at_its_publication_instant(
    example_settings: Settings,
) -> None:
    releases = load(example_settings)
    before = define_feeds(example_settings, releases, now=FUTURE_PUBLISHED - timedelta(seconds=1))
    at = define_feeds(example_settings, releases, now=FUTURE_PUBLISHED)
    assert all(FUTURE_ID not in {r.id for r in d.releases} for d in before)
    holding = {d.folder for d in at if FUTURE_ID in {r.id for r in d.releases}}
    assert holding == {"fr", "nl", "fr/themes/pensions", "nl/themes/pensions",
                       "fr/themes/social-protection", "nl/themes/social-protection"}


def test_feeds_are_newest_first_and_cut_at_feed_items(example_settings: Settings) -> None:
    settings = dataclasses.replace(example_settings, feed_items=2)
    definitions = define_feeds(settings, load(settings), now=NOW)
    french = next(d for d in definitions if d.folder == "fr")
    assert [r.id for r in french.releases] == [
        "2026-02-10-belincosoc-senegal", "2021-06-08-telework-well-being-survey"
    ]
    assert all(len(d.releases) <= 2 for d in definitions)
    assert [d.folder for d in definitions][:2] == ["fr", "fr/themes/international"]


def test_empty_feed_time_is_constant_and_others_take_the_newest_entry(
    example_settings: Settings,
) -> None:
    releases = load(example_settings)
    documents = FeedDocuments(example_settings)
    for definition in define_feeds(example_settings, releases, now=NOW):
        document = documents.document(definition)
        if document.entries:
            assert document.updated == max(entry.updated for entry in document.entries)
        else:
            assert document.updated == EMPTY_FEED_UPDATED


def test_a_correction_updates_the_entry_and_keeps_its_id(example_settings: Settings) -> None:
    (original,) = [r for r in load(example_settings) if r.updated is None and
                   r.id == "2016-08-31-belincosoc-china"]
    corrected = dataclasses.replace(original, updated=original.published + timedelta(days=1))
    entries = []
    for release in (original, corrected):
        (definition,) = [d for d in define_feeds(example_settings, [release], now=NOW)
                         if d.folder == "fr"]
        entries.append(FeedDocuments(example_settings).document(definition).entries)
    assert [len(found) for found in entries] == [1, 1]
    (before,), (after,) = entries
    assert before.id == after.id == entry_id(example_settings, original, "fr")
    assert before.updated.isoformat() == "2016-08-31T15:50:00+02:00"
    assert after.updated.isoformat() == "2016-09-01T15:50:00+02:00"
    assert after.published == before.published
