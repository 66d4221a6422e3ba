"""Press contacts: the people a journalist calls, as declared in config or in a release.

This module also owns how a contact is written for reading and linking, the one place
for each: a phone number is kept in E.164, with its extension if it has one
(`+3225286011;ext=5`, RFC 3966's parameter), shown by `display_phone` (`+32 2 528 60 11
ext. 5`), linked by `tel_uri` (RFC 3966: `tel:+3225286011;ext=5`); an address is linked
by `mailto_uri` (RFC 6068). Pages, feeds, emails and the templates' `phone`/`tel`/`mailto`
filters all call these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from syndication.pickling import PickledByFields
from syndication.tomlfields import Fields

DEFAULT_PHONE_REGION = "BE"
EXTENSION = ";ext="  # RFC 3966 §5.1.5, after the E.164 number
# RFC 6068 §2: an address keeps what may stand in a URI (RFC 3986) unencoded, except "%",
# the gen-delims but "@" (":" is not in an unquoted address), and "&", ";", ",". Left:
# unreserved (which `quote` always keeps) and these sub-delims, so `jean+presse@…` stays
# readable, while "{", "|", "}", "^" and "`" (valid in an address, never in a URI) are encoded.
_MAILTO_SAFE = "@!$'*+="


@dataclass(frozen=True, slots=True)
class Contact(PickledByFields):
    """A press contact; `phone` is E.164 (`+32473636124`), `role` per language."""

    name: str
    role: Mapping[str, str]
    phone: str | None
    email: str | None

    def role_in(self, language: str) -> str:
        """The role in `language`, or empty when the contact has none in it."""
        return self.role.get(language, "")

    @property
    def phone_display(self) -> str:
        """The phone number in international format for reading: `+32 473 63 61 24`."""
        return display_phone(self.phone) if self.phone else ""


@lru_cache(maxsize=4096)  # parsing costs ~100 µs; the same few numbers are on every page
def display_phone(e164: str) -> str:
    """An E.164 number spaced for reading: `+32 473 63 61 24`, `+32 2 528 60 11 ext. 5`."""
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=4096)  # like the links below: once per contact of every page and entry
def tel_uri(e164: str) -> str:
    """The RFC 3966 link of an E.164 number: `tel:+32473636124`, `tel:+3225286011;ext=5`."""
    number, _, extension = e164.partition(EXTENSION)
    link = "tel:" + "".join(char for char in number if char == "+" or char.isdigit())
    digits = "".join(char for char in extension if char.isdigit())
    return f"{link}{EXTENSION}{digits}" if digits else link


@lru_cache(maxsize=4096)
def mailto_uri(address: str) -> str:
    """The RFC 6068 link of an address: `mailto:jean+presse@example.be`."""
    return "mailto:" + quote(address, safe=_MAILTO_SAFE)


@lru_cache(maxsize=4096)  # a site repeats the same few numbers in every release
def normalise_phone(text: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """Normalise a phone number written any usual way to E.164; raise ValueError if invalid."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"{text!r} is not a phone number ({error})") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{text!r} is not a valid phone number")
    # phonenumbers ignores words it does not know ("02 528 60 11 poste 5" parses as the
    # number alone): every digit written must be the number's or its extension's.
    written = phonenumbers.normalize_digits_only(text)
    national = phonenumbers.national_significant_number(number)
    if not written.endswith(national + (number.extension or "")):
        raise ValueError(
            f"{text!r} has more than one phone number in it: write an extension as "
            "'02 528 60 11 ext. 5'"
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164}{EXTENSION}{number.extension}" if number.extension else e164


@lru_cache(maxsize=4096)
def normalise_contact_email(text: str) -> str:
    """Validate an address (syntax only, no DNS) and return its normalised form."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"{text!r} is not a valid email address: {error}") from None


def read_contact(fields: Fields, languages: Sequence[str]) -> Contact | None:
    """Read a full contact (name, role, phone, email) from a table; None if invalid."""
    before = len(fields.problems)
    name = fields.text("name", required=True, max_length=200)
    role = fields.localized("role", languages) or {}
    phone = _read_checked(fields, "phone", normalise_phone)
    email = _read_checked(fields, "email", normalise_contact_email)
    if phone is None and email is None and not fields.problems[before:]:
        fields.problem("", "a contact needs a phone number or an email address")
    fields.finish()
    if name is None or len(fields.problems) > before:
        return None
    return Contact(name=name, role=role, phone=phone, email=email)


def _read_checked(fields: Fields, key: str, normalise: Callable[[str], str]) -> str | None:
    text = fields.text(key, max_length=320)
    if text is None:
        return None
    try:
        return normalise(text)
    except ValueError as error:
        fields.problem(key, str(error))
        return None

