"""VERP tokens and signed Message-IDs: opaque, lower-case, short, and unforgeable."""

from __future__ import annotations

import pytest

from syndication.delivery_ids import (
    MAX_LOCAL_PART,
    read_message_id,
    read_verp_token,
    return_path_problem,
    signed_message_id,
    token_of_address,
    verp_address,
    verp_token,
)

SECRET = b"a-test-secret-of-enough-length-0123456789"
OTHER = b"another-secret-of-enough-length-987654321"


@pytest.mark.parametrize("delivery_id", [1, 2, 999, 2**31 - 1, 2**63 - 1])
def test_a_token_names_its_delivery_and_only_under_its_secret(delivery_id: int) -> None:
    token = verp_token(SECRET, delivery_id)

    assert token == token.lower()
    assert read_verp_token(SECRET, token) == delivery_id
    assert read_verp_token(SECRET, token.upper()) == delivery_id  # a relay upper-cased it
    assert read_verp_token(OTHER, token) is None


def test_neighbouring_deliveries_get_unrelated_tokens() -> None:
    first, second = verp_token(SECRET, 41), verp_token(SECRET, 42)

    assert sum(a == b for a, b in zip(first, second, strict=True)) < len(first) // 2


def test_every_changed_character_of_a_token_is_refused() -> None:
    token = verp_token(SECRET, 7)
    for position in range(len(token)):
        changed = token[:position] + ("a" if token[position] != "a" else "b") + token[position + 1:]
        assert read_verp_token(SECRET, changed) is None


@pytest.mark.parametrize("text", ["", "short", "!" * 29, "0" * 29, "a" * 30])
def test_what_is_not_a_token_is_none(text: str) -> None:
    assert read_verp_token(SECRET, text) is None


def test_the_verp_address_keeps_the_local_part_within_64_characters() -> None:
    longest = "b" * (MAX_LOCAL_PART - 30) + "@press.example.be"
    address = verp_address(longest, SECRET, 2**63 - 1)

    assert len(address.split("@")[0]) == MAX_LOCAL_PART
    assert token_of_address(longest, address.upper()) == verp_token(SECRET, 2**63 - 1)
    assert return_path_problem(longest) is None
    assert "at most 34" in (return_path_problem("b" + longest) or "")


@pytest.mark.parametrize("bad", ["no-at-sign", "@press.example.be", "a b@press.example.be",
                                 "bounces@", "bounces@exa mple.be", "x+y\r\n@press.example.be"])
def test_a_return_path_that_cannot_carry_tokens_says_why(bad: str) -> None:
    assert return_path_problem(bad)


def test_a_signed_message_id_verifies_and_a_forged_one_does_not() -> None:
    message_id = signed_message_id(SECRET, 12, 345, "press.example.be")

    assert read_message_id(SECRET, message_id) == (12, 345)
    assert read_message_id(OTHER, message_id) is None
    assert read_message_id(SECRET, message_id.replace("subscriber-345", "subscriber-346")) is None
    assert read_message_id(SECRET, "<mailing-12.subscriber-345@press.example.be>") is None
    assert signed_message_id(SECRET, 12, 345, "press.example.be") == message_id  # every attempt
