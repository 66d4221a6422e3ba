"""Multi-valued fields, frequencies and list names."""

from __future__ import annotations

import pytest

from subscribers.errors import InvalidValue
from subscribers.fields import (
    check_languages,
    check_list_name,
    check_themes,
    join_values,
    parse_frequency,
    split_values,
)
from subscribers.model import Frequency


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("fr;nl", ("fr", "nl")),
        ("nl, fr", ("nl", "fr")),
        ("a|b;c,d", ("a", "b", "c", "d")),
        (" ; ;", ()),
        ("fr;fr;nl", ("fr", "nl")),
        ("", ()),
    ],
)
def test_split_values(text: str, values: tuple[str, ...]) -> None:
    assert split_values(text) == values


def test_join_then_split_round_trips() -> None:
    assert split_values(join_values(["nl", "fr"])) == ("nl", "fr")


def test_languages_keep_order_and_refuse_unknown() -> None:
    assert check_languages(["nl", "fr"], ("fr", "nl")) == ("nl", "fr")
    with pytest.raises(InvalidValue, match="unknown language 'de'"):
        check_languages(["de"], ("fr", "nl"))
    with pytest.raises(InvalidValue, match="no language"):
        check_languages([], ("fr", "nl"))


def test_themes_may_be_empty_but_not_unknown() -> None:
    assert check_themes([], {"health"}) == ()
    with pytest.raises(InvalidValue, match="unknown theme 'sport'"):
        check_themes(["sport"], {"health"})


@pytest.mark.parametrize(
    ("text", "frequency"),
    [("", Frequency.IMMEDIATE), ("Daily", Frequency.DAILY), (" weekly ", Frequency.WEEKLY)],
)
def test_frequency(text: str, frequency: Frequency) -> None:
    assert parse_frequency(text) is frequency


def test_bad_frequency_names_the_choices() -> None:
    with pytest.raises(InvalidValue, match=r"bad frequency 'hourly'.*immediate, daily, weekly"):
        parse_frequency("hourly")


@pytest.mark.parametrize("name", ["press", "accredited-2", "a_b", "x"])
def test_good_list_names(name: str) -> None:
    assert check_list_name(name) == name


@pytest.mark.parametrize("name", ["", "Press", "a;b", "a,b", "-x", "a b", "x" * 65])
def test_bad_list_names(name: str) -> None:
    with pytest.raises(InvalidValue, match="bad list name"):
        check_list_name(name)
