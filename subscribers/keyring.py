"""The site secret and the one it replaced: what signs, and what still verifies.

A secret is rotated by setting the new one and keeping the old one as the previous
(SPEC: `SYNDICATION_SECRET_PREVIOUS`): tokens and erasure hashes are made with the current
secret only, and checked against both, so no link already mailed dies and nobody erased
comes back. Functions of this package take a `Secret`: bytes (one secret) or a `Keyring`.
"""

from __future__ import annotations

from dataclasses import dataclass

from subscribers.errors import MissingSecret


@dataclass(frozen=True, slots=True)
class Keyring:
    """The current secret and the previous ones, newest first."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    def all(self) -> tuple[bytes, ...]:
        """Every secret to verify with, the current one first, without repeats."""
        return tuple(dict.fromkeys((self.current, *self.previous)))


Secret = bytes | Keyring


def as_keyring(secret: Secret) -> Keyring:
    """The keyring of `secret` (one bytes value is a keyring with no previous secret)."""
    keyring = secret if isinstance(secret, Keyring) else Keyring(secret)
    if not keyring.current:
        raise MissingSecret("the site secret is needed to sign and read tokens")
    return keyring
