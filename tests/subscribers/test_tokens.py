"""Signed tokens: round trip, forgery, tampering, purpose, expiry."""

from __future__ import annotations

import time

import pytest

from subscribers.errors import InvalidToken, MissingSecret
from subscribers.tokens import CONFIRM_MAX_AGE, MAX_AGE, TokenPurpose, make_token, read_token

SECRET = b"s3cret"


@pytest.mark.parametrize("purpose", list(TokenPurpose))
def test_round_trip(purpose: TokenPurpose) -> None:
    token = make_token(SECRET, purpose, 42)
    assert read_token(SECRET, token, purpose, max_age=MAX_AGE[purpose]) == 42


def test_token_is_url_safe() -> None:
    token = make_token(SECRET, TokenPurpose.UNSUBSCRIBE, 123456)
    assert all(char.isalnum() or char in "-_." for char in token)


def test_forged_with_another_secret() -> None:
    token = make_token(b"other", TokenPurpose.CONFIRM, 1)
    with pytest.raises(InvalidToken, match="forged or tampered"):
        read_token(SECRET, token, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE)


def test_tampered_payload() -> None:
    token = make_token(SECRET, TokenPurpose.CONFIRM, 1)
    forged = make_token(SECRET, TokenPurpose.CONFIRM, 2)
    spliced = forged.split(".")[0] + "." + ".".join(token.split(".")[1:])
    with pytest.raises(InvalidToken, match="forged or tampered"):
        read_token(SECRET, spliced, TokenPurpose.CONFIRM, max_age=None)
    with pytest.raises(InvalidToken):
        read_token(SECRET, "garbage", TokenPurpose.CONFIRM, max_age=None)


def test_wrong_purpose_is_named() -> None:
    token = make_token(SECRET, TokenPurpose.CONFIRM, 1)
    with pytest.raises(InvalidToken, match="made for confirm, not unsubscribe"):
        read_token(SECRET, token, TokenPurpose.UNSUBSCRIBE, max_age=None)


def test_confirmation_expires_after_seven_days(monkeypatch: pytest.MonkeyPatch) -> None:
    eight_days_ago = time.time() - 8 * 86_400
    monkeypatch.setattr(time, "time", lambda: eight_days_ago)
    old_confirm = make_token(SECRET, TokenPurpose.CONFIRM, 7)
    old_unsubscribe = make_token(SECRET, TokenPurpose.UNSUBSCRIBE, 7)
    monkeypatch.undo()
    with pytest.raises(InvalidToken, match="expired"):
        read_token(SECRET, old_confirm, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE)
    assert read_token(SECRET, old_unsubscribe, TokenPurpose.UNSUBSCRIBE, max_age=None) == 7
    assert MAX_AGE[TokenPurpose.UNSUBSCRIBE] is None


def test_six_day_old_confirmation_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    six_days_ago = time.time() - 6 * 86_400
    monkeypatch.setattr(time, "time", lambda: six_days_ago)
    token = make_token(SECRET, TokenPurpose.CONFIRM, 7)
    monkeypatch.undo()
    assert read_token(SECRET, token, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE) == 7


def test_no_secret_is_refused() -> None:
    with pytest.raises(MissingSecret):
        make_token(b"", TokenPurpose.CONFIRM, 1)
