"""The CSV format helpers: formula guard, delimiter detection, decoding."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subscribers.csvio.fileformat import decoded_lines, detect_delimiter, neutralise, plain


@pytest.mark.parametrize("cell", ["=1+1", "+32 2", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert plain(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["", "Jane", "'quoted", "a=b", "O'Neil"])
def test_other_cells_are_untouched(cell: str) -> None:
    assert neutralise(cell) == cell
    assert plain(cell) == cell


@given(st.text())
def test_guard_round_trips_any_text(cell: str) -> None:
    guarded = neutralise(cell)
    assert guarded[:1] not in set("=+-@\t\r") or guarded == ""
    assert plain(guarded) == cell or (cell[:1] == "'" and cell[1:2] in set("=+-@\t\r"))


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        (b"email,name,lists\r\n", ","),
        (b"email;name;lists\n", ";"),
        (b"email\tname\n", "\t"),
        (b"email\n", ","),
        (b"\xef\xbb\xbfemail;name\n", ";"),
    ],
)
def test_delimiter_detection(header: bytes, delimiter: str) -> None:
    assert detect_delimiter(header) == delimiter


def test_decoding_drops_bom_and_flags_bad_lines() -> None:
    raw = io.BytesIO(b"\xef\xbb\xbfemail\r\nok@x.be\r\nbad\xe9@x.be\r\n")
    bad: set[int] = set()
    seen: list[int] = []
    lines = list(decoded_lines(raw, bad, seen.append))
    assert lines[0] == "email\r\n"
    assert lines[1] == "ok@x.be\r\n"
    assert bad == {3}
    assert seen[-1] == len(raw.getvalue())
