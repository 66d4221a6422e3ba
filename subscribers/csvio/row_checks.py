"""Checking one imported CSV row on its own, before anything touches the database."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

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

T = TypeVar("T")


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
    """Check one data row's cells; return the candidate or every problem found in it."""
    columns = header.positions
    if any(cell.strip() for cell in cells[header.width :]):
        return RowError(line, f"{len(cells)} cells but the header has {header.width}")

    def cell(name: str) -> str:
        index = columns.get(name)
        return plain(cells[index]).strip() if index is not None and index < len(cells) else ""

    reasons: list[str] = []  # every problem of the row, not only the first

    def checked(check: Callable[[], T], fallback: T) -> T:
        try:
            return check()
        except (InvalidValue, UnknownList) as error:
            reasons.append(str(error))
            return fallback

    try:
        email = normalise_email(cell("email"))
    except InvalidEmail as error:
        email = ""
        reasons.append(f"bad email {cell('email')!r}: {error.reason}")
    name = checked(lambda: clean_text(cell("name"), "name"), "")
    organisation = checked(lambda: clean_text(cell("organisation"), "organisation"), "")
    # Values that name a language, list, theme or frequency are case-insensitive: NL, Press.
    languages_cell = split_values(cell("languages").lower())
    nothing: tuple[str, ...] = ()
    languages = checked(
        lambda: check_languages(languages_cell or tuple(rules.languages), rules.languages),
        nothing)
    lists = split_values(cell("lists").lower()) or tuple(
        sorted(name for name in rules.lists if name not in rules.closed_lists))
    for list_name in lists:
        if list_name not in rules.lists:
            reasons.append(str(UnknownList(list_name)))
    themes = checked(lambda: check_themes(split_values(cell("themes").lower()), rules.themes),
                     nothing)
    frequency = checked(lambda: parse_frequency(cell("frequency")), Frequency.IMMEDIATE)
    if reasons:
        return RowError(line, "; ".join(reasons))
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
