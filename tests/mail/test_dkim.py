"""DKIM signatures, checked by dkimpy's verifier (the reference) with the published records."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from harness.dkim import RSA_ENV, DkimTestKeys
from syndication.config import Settings
from syndication.dkim import DkimSigner
from syndication.dkim_keys import dkim_problems, dkim_signer, dns_record
from syndication.errors import ConfigError
from syndication.releases import Release
from tests.mail.conftest import FRENCH_ONLY, SEED, WHEN, messages_of_every_kind

DOMAIN = "press.example.be"


@pytest.fixture(scope="session")
def keys() -> DkimTestKeys:
    """An RSA-2048 and an Ed25519 key, made once."""
    return DkimTestKeys.generate(DOMAIN)


@pytest.fixture
def signer(keys: DkimTestKeys, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> DkimSigner:
    """A signer with both keys, read from the environment as `send` reads them."""
    keys.install(monkeypatch.setenv)
    found = dkim_signer(keys.configure(settings))
    assert found is not None
    return found


def test_every_kind_of_message_verifies_with_both_signatures(
    signer: DkimSigner, keys: DkimTestKeys, settings: Settings, releases: Mapping[str, Release]
) -> None:
    for name, message in messages_of_every_kind(settings, releases).items():
        signed = signer.sign(message, timestamp=1_700_000_000)
        assert keys.verify(signed) == [True, True], name


def test_the_headers_that_matter_are_signed_and_from_oversigned(
    signer: DkimSigner, settings: Settings, releases: Mapping[str, Release]
) -> None:
    message = messages_of_every_kind(settings, releases)["alert-fr"]
    signed = signer.sign(message, timestamp=1_700_000_000).decode()
    first = signed.split("DKIM-Signature:")[1]
    assert "a=rsa-sha256; c=relaxed/relaxed; d=press.example.be; s=rsa1;" in first
    assert "t=1700000000;" in first
    names = re.search(r"h=([^;]+);", first)
    assert names is not None
    signed_names = "".join(names.group(1).split()).split(":")
    assert signed_names.count("from") == 2  # one more than there are: none can be added
    for name in ("to", "subject", "date", "message-id", "mime-version", "content-type",
                 "list-unsubscribe", "list-unsubscribe-post", "list-id", "feedback-id"):
        assert name in signed_names, name
    assert "a=ed25519-sha256" in signed.split("DKIM-Signature:")[2]


@pytest.mark.parametrize(
    ("change", "replacement"),
    [
        (b"Feedback-ID: alert", b"Feedback-ID: spam"),  # a signed header changed
        (b"List-Unsubscribe: <https://", b"List-Unsubscribe: <http://"),
        (b"Subject: ", b"Subject: FW: "),
        (b"</html>", b"<a href='https://evil.example'>x</a></html>"),  # the body
    ],
)
def test_a_tampered_message_fails(
    signer: DkimSigner, keys: DkimTestKeys, settings: Settings,
    releases: Mapping[str, Release], change: bytes, replacement: bytes,
) -> None:
    signed = signer.sign(messages_of_every_kind(settings, releases)["alert-fr"], timestamp=1_700_000_000)
    assert change in signed
    assert keys.verify(signed.replace(change, replacement, 1)) == [False, False]


def test_a_second_from_breaks_the_signature(
    signer: DkimSigner, keys: DkimTestKeys, settings: Settings, releases: Mapping[str, Release]
) -> None:
    signed = signer.sign(messages_of_every_kind(settings, releases)["alert-nl"], timestamp=1_700_000_000)
    forged = signed.replace(b"\r\nDate:", b"\r\nFrom: ceo@example.org\r\nDate:", 1)
    assert keys.verify(forged) == [False, False]


def test_relaxed_canonicalisation_survives_refolding_and_trailing_spaces(
    signer: DkimSigner, keys: DkimTestKeys, settings: Settings, releases: Mapping[str, Release]
) -> None:
    signed = signer.sign(messages_of_every_kind(settings, releases)["digest"], timestamp=1_700_000_000)
    # What relays may do: re-fold a header, pad a line end, add empty lines at the end.
    moved = signed.replace(b"List-Unsubscribe-Post: ", b"List-Unsubscribe-Post:\r\n   ", 1)
    moved = moved.replace(b"</html>\r\n", b"</html>   \r\n", 1) + b"\r\n\r\n"
    assert moved != signed
    assert keys.verify(moved) == [True, True]


def test_the_dns_record_is_what_dkim_publishes(signer: DkimSigner) -> None:
    rsa_key, ed_key = signer.keys
    record = dns_record(rsa_key)
    assert record.startswith('rsa1._domainkey.press.example.be. IN TXT ( "v=DKIM1; k=rsa; p=MII')
    assert all(len(part) <= 255 for part in record.split('"')[1::2])
    assert re.fullmatch(
        r'ed1\._domainkey\.press\.example\.be\. IN TXT \( "v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=" \)',
        dns_record(ed_key),
    )


def test_a_missing_key_is_named_with_its_field_and_variable(
    keys: DkimTestKeys, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RSA_ENV, raising=False)
    problems = dkim_problems(keys.configure(settings, ed25519_too=False))
    assert [problem.field for problem in problems] == ["mail.dkim.private_key_env"]
    assert f"{RSA_ENV} is not set" in problems[0].reason
    with pytest.raises(ConfigError, match=RSA_ENV):
        dkim_signer(keys.configure(settings, ed25519_too=False))


@pytest.mark.parametrize(
    ("pem", "reason"),
    [
        ("not a key", "does not hold an unencrypted PEM private key"),
        ("", "is not set"),
    ],
)
def test_an_unreadable_key_is_refused(
    keys: DkimTestKeys, settings: Settings, monkeypatch: pytest.MonkeyPatch, pem: str,
    reason: str,
) -> None:
    monkeypatch.setenv(RSA_ENV, pem)
    (problem,) = dkim_problems(keys.configure(settings, ed25519_too=False))
    assert reason in problem.reason


def test_a_short_rsa_key_is_refused(
    keys: DkimTestKeys, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    short = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    monkeypatch.setenv(RSA_ENV, short.decode())
    (problem,) = dkim_problems(keys.configure(settings, ed25519_too=False))
    assert "1024 bits" in problem.reason


def test_the_template_body_hash_is_the_relaxed_body_hash(
    settings: Settings, releases: Mapping[str, Release]
) -> None:
    import hashlib

    from syndication.dkim import relaxed_body
    from syndication.mail import MailKind, compose_mailing
    from syndication.mail.dkim_body import BodyHasher

    for kind, release_ids in ((MailKind.ALERT, [SEED]), (MailKind.DIGEST, [SEED, FRENCH_ONLY])):
        template = compose_mailing(
            settings, kind=kind, releases=[releases[r] for r in release_ids],
            languages=("nl", "fr"), list_id="press",
        )
        unsubscribe = "https://press.example.be/unsubscribe/a&b'c"
        preferences = "https://press.example.be/preferences/x.y-z"
        message = template.personalise(
            to="o'hara&co@example.org", message_id="<m.1@press.example.be>",
            unsubscribe_url=unsubscribe, preferences_url=preferences, date=WHEN,
        )
        body = message[message.index(b"\r\n\r\n") + 4:]
        values = template.hole_values("o'hara&co@example.org", unsubscribe, preferences)
        assert len(values) >= 4
        expected = hashlib.sha256(relaxed_body(body)).digest()
        assert BodyHasher(template).digest(values) == expected
        assert BodyHasher(template).digest([b"has space", *values[1:]]) is None  # unfit
