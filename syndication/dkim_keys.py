"""DKIM keys from the environment: loaded and checked, the DNS records that publish them,
and the two functions a signing process runs (light imports: it starts fast).

A key is refused, with the config field and the reason, when its variable is unset, when
the text is not an unencrypted PEM private key, when it is neither RSA nor Ed25519, or when
an RSA key is shorter than 2048 bits (RFC 8301 §3.2 makes 1024 the floor; Gmail and
Microsoft ask for 2048).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from syndication.dkim import DkimKey, DkimSigner
from syndication.errors import ConfigError, Problem
from syndication.sending_settings import DkimKeySettings, DkimSettings

if TYPE_CHECKING:
    from syndication.config import Settings

RSA_MIN_BITS = 2048
Unsigned = tuple[bytes, bytes]  # (header block, SHA-256 of the relaxed body)
_signer: DkimSigner | None = None  # the signer of a signing process (start_signer)


def dkim_signer(settings: Settings) -> DkimSigner | None:
    """The signer `[mail.dkim]` describes (None without the table), or a ConfigError."""
    dkim = settings.mail.dkim
    return None if dkim is None else signer_for(dkim, source=str(settings.config_path))


def signer_for(dkim: DkimSettings, *, source: str) -> DkimSigner:
    """The signer of `dkim`, its keys read from the environment, or a ConfigError."""
    keys, problems = [], []
    for key in dkim.keys:
        loaded = load_key(key)
        if isinstance(loaded, str):
            problems.append(Problem(source, _field(dkim.keys, key), loaded))
        else:
            keys.append(DkimKey(dkim.domain, key.selector, loaded))
    if problems:
        raise ConfigError(problems)
    return DkimSigner(keys)


def dkim_problems(settings: Settings) -> list[Problem]:
    """What is wrong with the DKIM keys (for `check`); empty when all load."""
    try:
        dkim_signer(settings)
    except ConfigError as error:
        return list(error.problems)
    return []


def load_key(key: DkimKeySettings) -> rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | str:
    """The private key of `key`, or the reason it cannot sign."""
    pem = key.pem()
    if pem is None:
        return (f"the environment variable {key.private_key_env} is not set: it must hold "
                "the PEM text of the DKIM private key, so nothing is signed or sent")
    try:
        loaded = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        return (f"the environment variable {key.private_key_env} does not hold an "
                f"unencrypted PEM private key ({error})")
    if isinstance(loaded, rsa.RSAPrivateKey):
        if loaded.key_size < RSA_MIN_BITS:
            return (f"the RSA key in {key.private_key_env} has {loaded.key_size} bits; "
                    f"DKIM keys need at least {RSA_MIN_BITS}")
        return loaded
    if isinstance(loaded, ed25519.Ed25519PrivateKey):
        return loaded
    return f"the key in {key.private_key_env} is neither RSA nor Ed25519"


def dns_record(key: DkimKey) -> str:
    """The TXT record that publishes `key` (RFC 6376 §3.6.1, RFC 8463 §4.2), in zone syntax."""
    if isinstance(key.key, ed25519.Ed25519PrivateKey):
        kind = "ed25519"
        public = key.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    else:
        kind = "rsa"
        public = key.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    value = f"v=DKIM1; k={kind}; p={base64.b64encode(public).decode()}"
    # A TXT string holds at most 255 octets (RFC 1035 §3.3.14): longer values are split.
    strings = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
    return f"{key.selector}._domainkey.{key.domain}. IN TXT ( {strings} )"


def _field(keys: tuple[DkimKeySettings, ...], key: DkimKeySettings) -> str:
    return "mail.dkim.private_key_env" if key is keys[0] else "mail.dkim.ed25519_private_key_env"


def start_signer(dkim: DkimSettings, source: str) -> None:
    """Load the keys of a signing process (its pool's initializer)."""
    global _signer  # the one signer of this process
    _signer = signer_for(dkim, source=source)


def sign_headers(items: list[Unsigned], timestamp: int) -> list[bytes]:
    """In a signing process: the DKIM-Signature fields of each (header block, body hash)."""
    if _signer is None:
        raise RuntimeError("the signing process did not start")
    return [_signer.signatures(header, body_hash, timestamp=timestamp)
            for header, body_hash in items]
