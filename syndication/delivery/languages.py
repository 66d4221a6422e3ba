"""SQL for the languages a delivery is written in: offered ∩ read, in the reader's order.

Subscribers keep their languages comma-joined in order of preference ("nl,fr"). A planner
asks, inside one INSERT ... SELECT, for the languages of a release (or digest) that the
subscriber reads, still in their order. Two steps: `language_position` finds where each
offered language stands in the subscriber's list (0 when absent), and `ordered_languages`
joins the present ones sorted by that position. The expression grows with the square of
the number of offered languages, which configuration keeps to a handful.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement, Integer, and_, case, func, literal, or_
from sqlalchemy.sql.functions import coalesce


def language_position(
    preferences: ColumnElement[str], language: str, *, dialect: str
) -> ColumnElement[int]:
    """SQL: the 1-based offset of `language` in the comma-joined `preferences`, 0 if absent."""
    haystack = literal(",") + preferences + literal(",")
    needle = literal(f",{language},")
    # SQLite spells it instr(haystack, needle); PostgreSQL strpos(haystack, needle).
    name = "strpos" if dialect == "postgresql" else "instr"
    return getattr(func, name)(haystack, needle, type_=Integer)  # type: ignore[no-any-return]


def ordered_languages(positions: Mapping[str, ColumnElement[int]]) -> ColumnElement[str]:
    """SQL: the languages whose position is above 0, sorted by position, comma-joined."""
    codes = list(positions)
    present = {code: positions[code] > 0 for code in codes}

    def rank(code: str) -> ColumnElement[int]:
        # How many present languages stand before this one.
        before = [
            case((and_(present[other], positions[other] < positions[code]), 1), else_=0)
            for other in codes
            if other != code
        ]
        total: ColumnElement[int] = literal(0, type_=Integer)
        for term in before:
            total = total + term
        return total

    ranks = {code: rank(code) for code in codes}
    slots = [
        case(*((and_(present[code], ranks[code] == index), literal(code)) for code in codes))
        for index in range(len(codes))
    ]
    joined: ColumnElement[str] = coalesce(slots[0], literal(""))
    for slot in slots[1:]:
        joined = joined + coalesce(literal(",") + slot, literal(""))
    return joined


def any_present(positions: Mapping[str, ColumnElement[int]]) -> ColumnElement[bool]:
    """SQL: at least one of the languages is present."""
    return or_(*(position > 0 for position in positions.values()))
