"""CSV import (line numbers, every rejection reason, strict) and export (round trip)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from subscribers.csvio import ImportReport, RowError, export_csv, import_csv
from subscribers.directory import find_subscriber, list_subscribers
from subscribers.errors import MissingSecret
from subscribers.lists import create_list
from subscribers.membership import add_subscriber
from subscribers.model import ConsentSource, Frequency, Status
from subscribers.privacy import erase_person, show_person
from subscribers.schema import open_database
from tests.subscribers.conftest import LANGUAGES, SECRET, THEMES

MESSY = (
    "\ufeffemail;name;organisation;languages;lists;themes;frequency\r\n"  # 1
    "anne@example.be;Anne;Le Soir;fr;press;;immediate\r\n"  # 2
    "not-an-email;Bad;;fr;press;;\r\n"  # 3
    "bert@example.be;Bert;;de;press;;\r\n"  # 4
    'carla@example.be;Carla;"De\r\n'  # 5: a quoted cell over two lines
    'Standaard";nl;press;;daily\r\n'  # 6
    ";;;;;;\r\n"  # 7: an empty row, skipped
    "dirk@example.be;Dirk;;nl;nope;;\r\n"  # 8
    "emma@example.be;Emma;;nl;press;;hourly\r\n"  # 9
    "ANNE@example.BE;Anne again;;fr;press;;\r\n"  # 10: same address as line 2
    '\'=2+5@example.be;\'=HYPERLINK("http://x");;fr;"press;accredited";;\r\n'  # 11
    "fien@example.be;Fien;;nl|fr;press,accredited;health;weekly\r\n"  # 12
    "gust@example.be;Gust;;fr;press;sport;\r\n"  # 13
)


def _write(tmp_path: Path, content: str | bytes, name: str = "people.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _import(engine: Engine, path: Path, **options: object) -> ImportReport:
    return import_csv(engine, path, languages=LANGUAGES, themes=THEMES, secret=SECRET, **options)  # type: ignore[arg-type]


@pytest.fixture
def site(engine: Engine) -> Engine:
    create_list(engine, "press")
    create_list(engine, "accredited")
    return engine


def test_good_rows_imported_bad_rows_reported_with_their_lines(
    site: Engine, tmp_path: Path
) -> None:
    report = _import(site, _write(tmp_path, MESSY))
    assert [(error.line, error.reason.split(" ")[0:2]) for error in report.errors] == [
        (3, ["bad", "email"]),
        (4, ["unknown", "language"]),
        (8, ["unknown", "list"]),
        (9, ["bad", "frequency"]),
        (10, ["duplicate", "in"]),
        (13, ["unknown", "theme"]),
    ]
    reasons = {error.line: error.reason for error in report.errors}
    assert "'de'" in reasons[4]
    assert "'nope'" in reasons[8]
    assert "'hourly'" in reasons[9]
    assert "line 2" in reasons[10]
    assert "'sport'" in reasons[13]
    assert report.imported == 4
    carla = show_person(site, "carla@example.be")
    assert carla.subscriber.organisation == "De Standaard"
    assert carla.subscriptions[0].frequency is Frequency.DAILY
    formula = find_subscriber(site, "=2+5@example.be")
    assert formula.name == '=HYPERLINK("http://x")'
    fien = show_person(site, "fien@example.be")
    assert fien.subscriber.languages == ("nl", "fr")
    assert [(s.list_name, s.themes) for s in fien.subscriptions] == [
        ("accredited", ("health",)),
        ("press", ("health",)),
    ]
    assert fien.consents[0].source is ConsentSource.IMPORT
    assert fien.consents[0].detail == "import of people.csv, line 12"
    assert fien.subscriber.status is Status.ACTIVE


def test_strict_imports_nothing_when_a_row_is_bad(site: Engine, tmp_path: Path) -> None:
    report = _import(site, _write(tmp_path, MESSY), strict=True)
    assert report.imported == 0
    assert [error.line for error in report.errors] == [3, 4, 8, 9, 10, 13]
    assert list_subscribers(site, include_all=True) == []
    good = "email,lists\nanne@example.be,press\n"
    assert _import(site, _write(tmp_path, good, "good.csv"), strict=True).imported == 1


def test_comma_file_defaults(site: Engine, tmp_path: Path) -> None:
    content = 'email,name,languages\nhans@example.be,"Hans, Jr.",\nines@example.be,Ines,"nl;fr"\n'
    report = _import(site, _write(tmp_path, content))
    assert report == ImportReport(imported=2, errors=())
    hans = show_person(site, "hans@example.be")
    assert hans.subscriber.name == "Hans, Jr."
    assert hans.subscriber.languages == LANGUAGES
    assert [s.list_name for s in hans.subscriptions] == ["accredited", "press"]
    assert {s.frequency for s in hans.subscriptions} == {Frequency.IMMEDIATE}
    assert find_subscriber(site, "ines@example.be").languages == ("nl", "fr")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty file"),
        ("anne@example.be,Anne\n", "header row missing"),
        ("email,phone\nanne@example.be,123\n", "unknown column 'phone'"),
        ("name,lists\nAnne,press\n", "no 'email' column"),
        ("email,email\na@example.be,b@example.be\n", "appears twice"),
        ('"email,name\na@example.be,A\n', "unreadable header"),
    ],
)
def test_header_problems_are_line_one(
    site: Engine, tmp_path: Path, content: str, reason: str
) -> None:
    report = _import(site, _write(tmp_path, content))
    assert report.imported == 0
    assert len(report.errors) == 1
    assert report.errors[0].line == 1
    assert reason in report.errors[0].reason


def test_row_level_file_problems(site: Engine, tmp_path: Path) -> None:
    content = (
        b"email,name\n"
        b"ok@example.be,Ok\n"
        b"latin@example.be,Jos\xe9\n"
        b"extra@example.be,Extra,surplus\n"
        b"trail@example.be,Trail,,\n"
        b'nul@example.be,"a\x00b"\n'
    )
    report = _import(site, _write(tmp_path, content))
    assert [error.line for error in report.errors] == [3, 4, 6]
    assert "control character U+0000 in name" in report.errors[2].reason
    assert "UTF-8" in report.errors[0].reason
    assert "3 cells but the header has 2" in report.errors[1].reason
    assert report.imported == 2


def test_unclosed_quote_is_reported_not_swallowed(site: Engine, tmp_path: Path) -> None:
    content = 'email,name\nok@example.be,"Ok"\nopen@example.be,"Open\nlost@example.be,Lost\n'
    report = _import(site, _write(tmp_path, content))
    assert report.errors == (RowError(3, "a quoted cell starting here is never closed"),)
    assert report.imported == 1
    junk = 'email,name\nok@example.be,"Ok"x\nnext@example.be,Next\n'
    report = _import(site, _write(tmp_path, junk, "junk.csv"))
    assert [error.line for error in report.errors] == [2]
    assert report.errors[0].reason.startswith("unreadable CSV: ")
    assert report.imported == 1


def test_existing_and_erased_addresses_are_rejected(site: Engine, tmp_path: Path) -> None:
    add_subscriber(site, "old@example.be", languages=["fr"])
    add_subscriber(site, "gone@example.be", languages=["fr"])
    erase_person(site, "gone@example.be", SECRET)
    content = "email\nold@example.be\ngone@example.be\nnew@example.be\n"
    report = _import(site, _write(tmp_path, content))
    assert report.imported == 1
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "old@example.be is a subscriber already (active)"),
        (
            3,
            "gone@example.be was erased at the person's request:"
            " add it with --resubscribe, if they ask",
        ),
    ]
    with pytest.raises(MissingSecret):
        import_csv(site, _write(tmp_path, content), languages=LANGUAGES, themes=THEMES)


def test_batches_keep_line_numbers_and_catch_duplicates_across_them(
    site: Engine, tmp_path: Path
) -> None:
    rows = [f"p{number}@example.be,fr" for number in range(2_500)]
    rows[2_100] = "p7@example.be,fr"  # line 2102 repeats line 9
    rows[1_500] = "broken,fr"  # line 1502
    content = "email,languages\n" + "\n".join(rows) + "\n"
    seen: list[tuple[int, int]] = []
    report = _import(site, _write(tmp_path, content), progress=lambda d, t: seen.append((d, t)))
    assert [error.line for error in report.errors] == [1502, 2102]
    assert "line 9" in report.errors[1].reason
    assert report.imported == 2_498
    assert seen[-1] == (len(content), len(content))


def test_export_guards_formulas_and_round_trips(
    site: Engine, tmp_path: Path, fresh_url: str
) -> None:
    add_subscriber(
        site,
        "Zoë@example.be",
        languages=["nl", "fr"],
        name='Zoë ; Smith, "Z"',
        organisation="=cmd|' /C calc'!A0",
        lists=["press"],
        themes=["health", "international"],
        frequency=Frequency.WEEKLY,
    )
    add_subscriber(site, "-minus@example.be", languages=["fr"], name="@at", organisation="+32")
    add_subscriber(site, "pending@example.be", languages=["fr"], source=ConsentSource.WEB)
    first = io.StringIO()
    assert export_csv(site, first) == 2
    text = first.getvalue()
    assert text.splitlines()[0] == "email,name,organisation,languages,lists,themes,frequency"
    assert "'-minus@example.be,'@at,'+32,fr,accredited;press,,immediate" in text
    assert "'=cmd|' /C calc'!A0" in text
    assert "pending@example.be" not in text
    path = _write(tmp_path, text, "export.csv")
    other = open_database(fresh_url)
    try:
        create_list(other, "press")
        create_list(other, "accredited")
        assert _import(other, path) == ImportReport(imported=2, errors=())
        second = io.StringIO()
        export_csv(other, second)
    finally:
        other.dispose()
    assert second.getvalue() == text


def test_row_error_is_a_value() -> None:
    assert RowError(3, "x") == RowError(3, "x")


def test_values_naming_languages_lists_themes_and_frequencies_ignore_case(
    site: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path, "email,languages,lists,themes,frequency\n"
                            "hans@example.be,NL;Fr,Press,HEALTH,Daily\n")

    report = _import(site, path)

    assert not report.errors
    held = show_person(site, "hans@example.be")
    assert held.subscriber.languages == ("nl", "fr")
    assert [(s.list_name, s.themes, s.frequency) for s in held.subscriptions] == [
        ("press", ("health",), Frequency.DAILY)
    ]


def test_every_problem_of_a_row_is_reported(site: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, "email,languages,lists,themes,frequency\n"
                            "not-an-email,de,nope,sport,hourly\n")

    report = _import(site, path)

    assert [error.line for error in report.errors] == [2]
    reason = report.errors[0].reason
    for part in ("bad email 'not-an-email'", "unknown language 'de'", "unknown list 'nope'",
                 "unknown theme 'sport'", "bad frequency 'hourly'"):
        assert part in reason
