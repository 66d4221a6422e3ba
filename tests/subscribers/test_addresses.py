"""Email normalisation and the keyed hash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subscribers.addresses import email_hash, normalise_email
from subscribers.errors import InvalidEmail, SubscriberError


def test_domain_is_lower_cased_and_local_part_kept() -> None:
    assert normalise_email("  Jane.Doe@Example.BE ") == "Jane.Doe@example.be"


def test_international_domain_is_normalised() -> None:
    assert normalise_email("presse@BÜRO.example") == "presse@büro.example"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("jane", "@"),
        ("jane@", "after the @"),
        ("jane doe@example.be", "invalid characters"),
        ("jane@@example.be", "invalid characters"),
    ],
)
def test_invalid_addresses_are_refused_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        normalise_email(text)
    assert isinstance(caught.value, SubscriberError)
    assert fragment.lower() in caught.value.reason.lower()
    assert caught.value.reason


def test_no_dns_lookup_for_unresolvable_domains() -> None:
    assert normalise_email("a@no-such-domain.invalid-tld-for-tests") == (
        "a@no-such-domain.invalid-tld-for-tests"
    )


def test_hash_is_keyed_and_ignores_letter_case() -> None:
    assert email_hash(b"k1", "Jane@example.be") == email_hash(b"k1", "jane@example.be")
    assert email_hash(b"k1", "jane@example.be") != email_hash(b"k2", "jane@example.be")
    assert email_hash(b"k1", "jane@example.be") != email_hash(b"k1", "john@example.be")
    assert "jane" not in email_hash(b"k1", "jane@example.be")


@given(st.emails())
def test_normalising_is_idempotent(email: str) -> None:
    try:
        once = normalise_email(email)
    except InvalidEmail:
        return
    assert normalise_email(once) == once
    assert once.rpartition("@")[2] == once.rpartition("@")[2].lower()
