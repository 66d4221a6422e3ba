"""Whether a secret from the environment is strong enough to sign tokens and key hashes.

A secret must carry at least 256 bits (32 bytes) of randomness. Randomness cannot be
measured from one value, so it is estimated the way a guesser would attack it: by the
smallest usual alphabet its characters come from (digits, hex, letters and digits, base64,
any printable character), times its length. `secrets.token_urlsafe(32)` (43 characters of
base64url) and `secrets.token_hex(32)` (64 hex digits) pass; "a", a dictionary phrase
such as "a test secret that is long enough", or 64 times the same character do not.
"""

from __future__ import annotations

import math
import secrets
import string

MIN_BITS = 256
MAKE_ONE = "`syndication secret` (or python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
SECRET_BYTES = 48  # what `syndication secret` draws: 64 characters, 384 bits


def make_secret() -> str:
    """A new random secret, strong enough for every secret the service reads."""
    return secrets.token_urlsafe(SECRET_BYTES)
_ALPHABETS = (
    frozenset(string.digits),
    frozenset(string.hexdigits.lower()),
    frozenset(string.hexdigits.upper() + string.digits),
    frozenset(string.ascii_lowercase + string.digits),
    frozenset(string.ascii_uppercase + string.digits),
    frozenset(string.ascii_letters + string.digits),
    frozenset(string.ascii_letters + string.digits + "-_"),
    frozenset(string.ascii_letters + string.digits + "+/="),
)
_PRINTABLE = 95
_MIN_DISTINCT = 8  # fewer distinct characters than this is a pattern, not randomness


def estimated_bits(secret: str) -> float:
    """An upper estimate of the randomness in `secret`, in bits."""
    if not secret:
        return 0.0
    used = frozenset(secret)
    size = next((len(alphabet) for alphabet in _ALPHABETS if used <= alphabet), _PRINTABLE)
    if len(used) < _MIN_DISTINCT or " " in used:  # a pattern, or words: count what is used
        size = len(used)
    return len(secret) * math.log2(size) if size > 1 else 0.0


def weakness(secret: str) -> str | None:
    """Why `secret` is too weak to use, or None when it is strong enough."""
    octets = len(secret.encode())
    if octets < MIN_BITS // 8:
        return f"is {octets} bytes long; it must be at least {MIN_BITS // 8} random bytes"
    bits = estimated_bits(secret)
    if bits < MIN_BITS:
        return (f"looks guessable (about {int(bits)} bits of randomness; at least {MIN_BITS} "
                "are needed)")
    return None
