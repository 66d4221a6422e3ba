"""Signed tokens: round trip, forgery, tampering, purpose, expiry, old form, rotation."""

from __future__ import annotations

import base64
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from subscribers.errors import InvalidToken, MissingSecret
from subscribers.keyring import Keyring
from subscribers.tokens import (
    CONFIRM_MAX_AGE,
    MAX_AGE,
    LegacySubject,
    TokenPurpose,
    make_token,
    read_token,
)

SECRET = b"s3cret"
PUBLIC = "Zr2Lm9PfW4tYc7NbJq3hK8"


def legacy_token(secret: bytes, purpose: TokenPurpose, subscriber_id: int) -> str:
    """A token as the first release made them (and mailed): the row id signed."""
    return str(URLSafeTimedSerializer(secret, salt=f"subscribers.{purpose.value}")
               .dumps(subscriber_id))


@pytest.mark.parametrize("purpose", list(TokenPurpose))
def test_round_trip(purpose: TokenPurpose) -> None:
    token = make_token(SECRET, purpose, PUBLIC)
    assert read_token(SECRET, token, purpose, max_age=MAX_AGE[purpose]) == PUBLIC


def test_token_is_url_safe_and_carries_no_row_id() -> None:
    token = make_token(SECRET, TokenPurpose.UNSUBSCRIBE, PUBLIC)
    assert all(char.isalnum() or char in "-_." for char in token)
    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert decoded == f'"{PUBLIC}"'.encode()  # the public id only: no count, no row id


@pytest.mark.parametrize("purpose", list(TokenPurpose))
def test_old_form_tokens_are_read_with_their_age(purpose: TokenPurpose) -> None:
    before = int(time.time())
    subject = read_token(SECRET, legacy_token(SECRET, purpose, 33), purpose,
                         max_age=MAX_AGE[purpose])
    assert isinstance(subject, LegacySubject)
    assert subject.subscriber_id == 33
    assert before <= subject.signed_at.timestamp() <= time.time()


def test_forged_with_another_secret() -> None:
    token = make_token(b"other", TokenPurpose.CONFIRM, PUBLIC)
    with pytest.raises(InvalidToken, match="forged or tampered"):
        read_token(SECRET, token, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE)


def test_tampered_payload() -> None:
    token = make_token(SECRET, TokenPurpose.CONFIRM, PUBLIC)
    forged = make_token(SECRET, TokenPurpose.CONFIRM, "another")
    spliced = forged.split(".")[0] + "." + ".".join(token.split(".")[1:])
    with pytest.raises(InvalidToken, match="forged or tampered"):
        read_token(SECRET, spliced, TokenPurpose.CONFIRM, max_age=None)
    with pytest.raises(InvalidToken):
        read_token(SECRET, "garbage", TokenPurpose.CONFIRM, max_age=None)


def test_a_payload_naming_nobody_is_refused() -> None:
    for payload in (0, -3, "", 1.5, [1]):
        token = URLSafeTimedSerializer(SECRET, salt="subscribers.confirm").dumps(payload)
        with pytest.raises(InvalidToken, match="does not name a subscriber"):
            read_token(SECRET, token, TokenPurpose.CONFIRM, max_age=None)


def test_wrong_purpose_is_named() -> None:
    token = make_token(SECRET, TokenPurpose.CONFIRM, PUBLIC)
    with pytest.raises(InvalidToken, match="made for confirm, not unsubscribe"):
        read_token(SECRET, token, TokenPurpose.UNSUBSCRIBE, max_age=None)


def test_confirmation_expires_after_seven_days(monkeypatch: pytest.MonkeyPatch) -> None:
    eight_days_ago = time.time() - 8 * 86_400
    monkeypatch.setattr(time, "time", lambda: eight_days_ago)
    old_confirm = make_token(SECRET, TokenPurpose.CONFIRM, PUBLIC)
    old_unsubscribe = make_token(SECRET, TokenPurpose.UNSUBSCRIBE, PUBLIC)
    monkeypatch.undo()
    with pytest.raises(InvalidToken, match="expired"):
        read_token(SECRET, old_confirm, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE)
    assert read_token(SECRET, old_unsubscribe, TokenPurpose.UNSUBSCRIBE, max_age=None) == PUBLIC
    assert MAX_AGE[TokenPurpose.UNSUBSCRIBE] is None


def test_six_day_old_confirmation_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    six_days_ago = time.time() - 6 * 86_400
    monkeypatch.setattr(time, "time", lambda: six_days_ago)
    token = make_token(SECRET, TokenPurpose.CONFIRM, PUBLIC)
    monkeypatch.undo()
    assert read_token(SECRET, token, TokenPurpose.CONFIRM, max_age=CONFIRM_MAX_AGE) == PUBLIC


def test_rotation_reads_both_secrets_and_signs_with_the_new() -> None:
    old, new = b"old secret", b"new secret"
    mailed = make_token(old, TokenPurpose.UNSUBSCRIBE, PUBLIC)
    mailed_legacy = legacy_token(old, TokenPurpose.PREFERENCES, 5)
    rotated = Keyring(new, (old,))
    assert read_token(rotated, mailed, TokenPurpose.UNSUBSCRIBE, max_age=None) == PUBLIC
    subject = read_token(rotated, mailed_legacy, TokenPurpose.PREFERENCES, max_age=None)
    assert isinstance(subject, LegacySubject)
    fresh = make_token(rotated, TokenPurpose.UNSUBSCRIBE, PUBLIC)
    assert read_token(new, fresh, TokenPurpose.UNSUBSCRIBE, max_age=None) == PUBLIC
    with pytest.raises(InvalidToken, match="forged"):
        read_token(old, fresh, TokenPurpose.UNSUBSCRIBE, max_age=None)
    with pytest.raises(InvalidToken, match="made for unsubscribe, not confirm"):
        read_token(rotated, mailed, TokenPurpose.CONFIRM, max_age=None)
    with pytest.raises(InvalidToken, match="forged"):  # the previous secret dropped
        read_token(new, mailed, TokenPurpose.UNSUBSCRIBE, max_age=None)


def test_no_secret_is_refused() -> None:
    with pytest.raises(MissingSecret):
        make_token(b"", TokenPurpose.CONFIRM, PUBLIC)
