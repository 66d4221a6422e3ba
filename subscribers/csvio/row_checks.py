"""Checking one imported CSV row on its own, before anything touches the database."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from subscribers.addresses import normalise_email
from subscribers.csvio.fileformat import COLUMNS, plain
from subscribers.errors import InvalidEmail, InvalidValue, UnknownList
from subscribers.fields import (
    check_languages,
    check_themes,
    clean_text,
    parse_frequency,
    split_values,
)
from subscribers.model import Frequency


@dataclass(frozen=True, slots=True)
class RowError:
    """A rejected row: its line in the file (header = line 1) and why."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row that passed the checks that need no database."""

    line: int
    email: str
    name: str
    organisation: str
    languages: tuple[str, ...]
    lists: tuple[str, ...]
    themes: tuple[str, ...]
    frequency: Frequency


@dataclass(frozen=True, slots=True)
class RowRules:
    """What a row is checked against: the site's languages, themes and lists."""

    languages: Sequence[str]
    themes: Collection[str]
    lists: Collection[str]
    closed_lists: Collection[str] = ()  # never the default of an empty lists cell


@dataclass(frozen=True, slots=True)
class Header:
    """The header row: where each column is, and how many cells it has."""

    positions: dict[str, int]
    width: int


def read_header(cells: Sequence[str]) -> Header | str:
    """Return the column positions of a header row, or the reason it is not one."""
    names = [plain(cell).strip().lower() for cell in cells]
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if "@" in name:
            return f"header row missing: line 1 must name the columns ({','.join(COLUMNS)})"
        if name not in COLUMNS:
            return f"unknown column {name!r} (columns: {','.join(COLUMNS)})"
        if name in positions:
            return f"column {name!r} appears twice"
        positions[name] = index
    if "email" not in positions:
        return "no 'email' column in the header"
    return Header(positions=positions, width=len(cells))


def check_row(
    line: int, cells: Sequence[str], header: Header, rules: RowRules
) -> Candidate | RowError:
    """Check one data row's cells; return the candidate or the first problem found."""
    columns = header.positions
    if any(cell.strip() for cell in cells[header.width :]):
        return RowError(line, f"{len(cells)} cells but the header has {header.width}")

    def cell(name: str) -> str:
        index = columns.get(name)
        return plain(cells[index]).strip() if index is not None and index < len(cells) else ""

    try:
        email = normalise_email(cell("email"))
    except InvalidEmail as error:
        return RowError(line, f"bad email {cell('email')!r}: {error.reason}")
    try:
        name = clean_text(cell("name"), "name")
        organisation = clean_text(cell("organisation"), "organisation")
        languages_cell = split_values(cell("languages"))
        languages = check_languages(languages_cell or tuple(rules.languages), rules.languages)
        lists = split_values(cell("lists")) or tuple(
            sorted(name for name in rules.lists if name not in rules.closed_lists))
        for list_name in lists:
            if list_name not in rules.lists:
                raise UnknownList(list_name)
        themes = check_themes(split_values(cell("themes")), rules.themes)
        frequency = parse_frequency(cell("frequency"))
    except (InvalidValue, UnknownList) as error:
        return RowError(line, str(error))
    return Candidate(
        line=line,
        email=email,
        name=name,
        organisation=organisation,
        languages=languages,
        lists=lists,
        themes=themes,
        frequency=frequency,
    )
