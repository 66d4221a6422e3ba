"""DKIM keys made for a test or a bench, and dkimpy's verifier fed their public keys.

    keys = DkimTestKeys.generate("press.example.be")
    keys.install(monkeypatch.setenv)           # the PEM texts in the variables config names
    settings = keys.configure(settings)        # [mail.dkim] with both selectors
    keys.verify(message_bytes)                 # True per DKIM-Signature, via dkimpy

dkimpy looks the selector's TXT record up through its `dnsfunc` hook: here the records that
`syndication.dkim_keys.dns_record` prints for `check`, so the published form is tested.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from syndication.config import Settings
from syndication.dkim import DkimKey
from syndication.dkim_keys import dns_record
from syndication.sending_settings import DkimKeySettings, DkimSettings

RSA_ENV = "TEST_DKIM_RSA_KEY"
ED25519_ENV = "TEST_DKIM_ED25519_KEY"


@dataclass(frozen=True)
class DkimTestKeys:
    """An RSA-2048 and an Ed25519 key for `domain`, selectors `rsa1` and `ed1`."""

    domain: str
    rsa_pem: str
    ed25519_pem: str

    @classmethod
    def generate(cls, domain: str) -> DkimTestKeys:
        """Fresh keys (RSA generation takes ≈ 0.1 s: make them once per session)."""
        return cls(domain, _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                   _pem(ed25519.Ed25519PrivateKey.generate()))

    def install(self, setenv: Callable[[str, str], None]) -> None:
        """Put the PEM texts where `configure`'s settings look for them (`monkeypatch.setenv`,
        or `os.environ.__setitem__`)."""
        setenv(RSA_ENV, self.rsa_pem)
        setenv(ED25519_ENV, self.ed25519_pem)

    def configure(self, settings: Settings, *, ed25519_too: bool = True) -> Settings:
        """`settings` with `[mail.dkim]` naming these keys."""
        keys = [DkimKeySettings("rsa1", RSA_ENV)]
        if ed25519_too:
            keys.append(DkimKeySettings("ed1", ED25519_ENV))
        dkim_settings = DkimSettings(self.domain, tuple(keys))
        return dataclasses.replace(
            settings, mail=dataclasses.replace(settings.mail, dkim=dkim_settings)
        )

    def records(self) -> dict[bytes, bytes]:
        """The TXT records to publish, by DNS name, as dkimpy's `dnsfunc` returns them."""
        found = {}
        for selector, pem in (("rsa1", self.rsa_pem), ("ed1", self.ed25519_pem)):
            key = serialization.load_pem_private_key(pem.encode(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey)
            record = dns_record(DkimKey(self.domain, selector, key))
            name, _, rest = record.partition(" IN TXT ")
            found[name.encode()] = "".join(rest.split('"')[1::2]).encode()
        return found

    def verify(self, message: bytes) -> list[bool]:
        """dkimpy's verdict on each DKIM-Signature of `message` (CRLF or LF line ends)."""
        if b"\r\n" not in message:
            message = message.replace(b"\n", b"\r\n")  # a Maildir file, as an MTA reads it
        records = self.records()

        def dnsfunc(name: bytes, timeout: int = 5) -> bytes | None:
            return records.get(name)

        verifier = dkim.DKIM(message)
        count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
        return [_verified(verifier, index, dnsfunc) for index in range(count)]


def _verified(verifier: dkim.DKIM, index: int, dnsfunc: Callable[..., bytes | None]) -> bool:
    try:
        return bool(verifier.verify(idx=index, dnsfunc=dnsfunc))
    except dkim.DKIMException:  # a body hash mismatch is raised rather than returned
        return False


def _pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
