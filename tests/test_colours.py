"""Colours measured as WCAG 2.1 does: the accent's text colour and link shade read at AA."""

from __future__ import annotations

import pytest

from syndication.colours import (
    AA_TEXT,
    TINT,
    WHITE,
    contrast_ratio,
    link_colour,
    parse_colour,
    readable_text_colour,
)


def test_hex_colours_parse_and_others_do_not() -> None:
    assert parse_colour("#123A63") == (0x12, 0x3A, 0x63)
    assert parse_colour("#c00") == (0xCC, 0, 0)
    for text in ("navy", "#12345", "rgb(0,0,0)", "#ggg", ""):
        assert parse_colour(text) is None


def test_contrast_ratios_are_wcags() -> None:
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1)
    assert contrast_ratio((0x76, 0x76, 0x76), WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("accent", ["#123a63", "#ffcc00", "#00a3e0", "#d8262f", "#ffffff"])
def test_text_on_the_accent_and_links_in_it_reach_aa(accent: str) -> None:
    colour = parse_colour(accent)
    assert colour is not None
    on_it = parse_colour(readable_text_colour(colour))
    assert on_it is not None
    assert contrast_ratio(colour, on_it) >= AA_TEXT
    link = parse_colour(link_colour(colour))
    assert link is not None
    assert contrast_ratio(link, WHITE) >= AA_TEXT
    assert contrast_ratio(link, TINT) >= AA_TEXT
