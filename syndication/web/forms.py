"""Reading what a browser or a script posts: a form or a JSON object, in bounded size.

Multi-valued fields (`languages`, `lists`, `themes`) come as repeated fields
(`lists=press&lists=public`), as `;`-joined text (`lists=press;public`) or, in JSON, as a
list or a string; all end up as one tuple of values, first occurrence kept.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.requests import Request

from subscribers import (
    Frequency,
    InvalidValue,
    check_languages,
    check_themes,
    parse_frequency,
    split_values,
)
from syndication.errors import BadBody, BodyTooLarge

MAX_BODY = 64 * 1024
MAX_IDENTITY_LENGTH = 200  # a name or an organisation
MAX_FIELDS = 200

Fields = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Choices:
    """What a subscriber chose: languages in order, lists, theme filter, frequency."""

    languages: tuple[str, ...]
    lists: tuple[str, ...]
    themes: tuple[str, ...]
    frequency: Frequency


@dataclass(frozen=True, slots=True)
class Identity:
    """Who signs up, as they wish to be known: both optional, kept with the address."""

    name: str = ""
    organisation: str = ""


def read_identity_field(fields: Fields, key: str) -> str:
    """One optional identity field (`name`, `organisation`), one line; raise InvalidValue
    if it is too long or holds control characters."""
    text = " ".join(single(fields, key).split())
    if len(text) > MAX_IDENTITY_LENGTH:
        raise InvalidValue(f"{key} is longer than {MAX_IDENTITY_LENGTH} characters")
    if any(ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0 for character in text):
        raise InvalidValue(f"{key} holds control characters")
    return text


async def read_fields(request: Request) -> dict[str, tuple[str, ...]]:
    """The posted fields, each as a tuple of raw values."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise BodyTooLarge
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        return _json_fields(bytes(body))
    if content_type == "multipart/form-data":
        raise BadBody("send the form as application/x-www-form-urlencoded or JSON")
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("the form is not UTF-8") from None
    try:
        # strict: a percent-escape that is not UTF-8 (%ff) is refused, not turned into U+FFFD
        parsed = parse_qs(
            text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict"
        )
    except UnicodeDecodeError:
        raise BadBody("the form is not UTF-8") from None
    except ValueError:  # parse_qs refuses more than max_num_fields
        raise BadBody(f"the form has more than {MAX_FIELDS} fields") from None
    return {key: tuple(values) for key, values in parsed.items()}


def _json_fields(body: bytes) -> dict[str, tuple[str, ...]]:
    try:
        data = json.loads(body or b"{}")
    except (UnicodeDecodeError, ValueError):
        raise BadBody("the body is not valid JSON") from None
    except RecursionError:  # "[[[[…" within MAX_BODY exceeds the parser's recursion limit
        raise BadBody("the JSON body is nested too deeply") from None
    if not isinstance(data, dict):
        raise BadBody("the body must be a JSON object")
    fields: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if isinstance(value, str):
            fields[key] = (value,)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            fields[key] = tuple(value)
        else:
            raise BadBody(f"{key!r} must be a string or a list of strings")
    return fields


def values(fields: Fields, name: str) -> tuple[str, ...]:
    """Every value of a multi-valued field, split on `;`, in order, without repeats."""
    found: list[str] = []
    for raw in fields.get(name, ()):
        found.extend(split_values(raw))
    return tuple(dict.fromkeys(found))


def single(fields: Fields, name: str) -> str:
    """The first value of a field, trimmed ('' if absent)."""
    given = fields.get(name, ())
    return given[0].strip() if given else ""


def read_choices(
    fields: Fields,
    *,
    languages: Sequence[str],
    lists: Collection[str],
    themes: Collection[str],
    default_lists: Sequence[str],
) -> Choices:
    """Validated choices; raise InvalidValue naming what is wrong."""
    chosen_languages = values(fields, "languages") or values(fields, "language")
    chosen_lists = values(fields, "lists")
    for name in chosen_lists:
        if name not in lists:
            raise InvalidValue(f"unknown list {name!r}")
    return Choices(
        languages=check_languages(chosen_languages or tuple(languages[:1]), languages),
        lists=chosen_lists or tuple(default_lists),
        themes=check_themes(values(fields, "themes"), themes),
        frequency=parse_frequency(single(fields, "frequency")),
    )
