"""Press contacts: the people a journalist calls, as declared in config or in a release."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from syndication.pickling import PickledByFields
from syndication.tomlfields import Fields

DEFAULT_PHONE_REGION = "BE"


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
        if self.phone is None:
            return ""
        number = phonenumbers.parse(self.phone)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=4096)  # a site repeats the same few numbers in every release
def normalise_phone(text: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """Normalise a phone number written any usual way to E.164; raise ValueError if invalid."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"{text!r} is not a phone number ({error})") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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

