"""Command-line output: Rich on a terminal, plain columns in a pipe, CSV, JSON."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone

from subscribers.cli.display import Format, emit, show_time

ROWS = [{"email": "a@example.be", "name": "[bold]Anne[/bold]"}, {"email": "b@x.be", "name": "B"}]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_rich_table_on_a_terminal_without_markup() -> None:
    out = Terminal()
    emit(ROWS, ("email", "name"), Format.TABLE, out)
    text = out.getvalue()
    assert "┃" in text or "│" in text
    assert "[bold]Anne[/bold]" in text


def test_plain_columns_in_a_pipe() -> None:
    out = io.StringIO()
    emit(ROWS, ("email", "name"), Format.TABLE, out)
    assert out.getvalue().splitlines() == [
        "email         name",
        "a@example.be  [bold]Anne[/bold]",
        "b@x.be        B",
    ]


def test_csv_is_guarded_and_json_is_plain() -> None:
    out = io.StringIO()
    emit([{"email": "a@x.be", "name": "=1+1"}], ("email", "name"), Format.CSV, out)
    assert out.getvalue() == "email,name\na@x.be,'=1+1\n"
    out = io.StringIO()
    emit([{"email": "a@x.be", "name": "Zoë"}], ("email", "name"), Format.JSON, out)
    assert json.loads(out.getvalue()) == [{"email": "a@x.be", "name": "Zoë"}]
    assert "Zoë" in out.getvalue()


def test_times_are_shown_in_utc() -> None:
    brussels = datetime(2016, 8, 31, 15, 50, tzinfo=timezone(timedelta(hours=2)))
    assert show_time(brussels) == "2016-08-31T13:50:00+00:00"
    assert show_time(datetime(2016, 1, 1, tzinfo=UTC)) == "2016-01-01T00:00:00+00:00"
    assert show_time(None) == ""
