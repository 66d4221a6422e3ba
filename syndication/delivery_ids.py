"""The names a delivery goes by in the mail world: its VERP return path and its Message-ID.

Both carry the product's signature (HMAC-SHA256 under the site secret, a purpose string
apiece), so a bounce or a complaint names its delivery without guessing, and nobody who
only saw a message or knows our formats can forge a report into a suppression.

- VERP (`bounces+<token>@domain`): the token is the delivery id masked with a keyed pad,
  then 10 bytes of HMAC, in lower-case base32 without padding (29 characters; relays may
  lower-case addresses, RFC 5321 §2.4 only promises the local part's case to the final
  hop). It never holds the address, and the row id is not readable in it.
- Message-ID (`<mailing-M.subscriber-S.SIG@host>`): the same on every attempt
  (RFC 5322 §3.6.4); SIG is 10 bytes of HMAC over (M, S), lower-case base32.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

VERP_PURPOSE = b"syndication.verp"
MESSAGE_ID_PURPOSE = b"syndication.message-id"
_TAG_BYTES = 10
_ID_BYTES = 8
TOKEN_LENGTH = 29  # base32 of 18 bytes, no padding
MAX_LOCAL_PART = 64  # RFC 5321 §4.5.3.1.1
_TOKEN = re.compile(rf"[a-z2-7]{{{TOKEN_LENGTH}}}")
_SIGNED_ID = re.compile(r"<?mailing-(\d{1,12})\.subscriber-(\d{1,12})\.([a-z2-7]{16})@[^<>\s]+>?",
                        re.IGNORECASE)


def _mac(secret: bytes, purpose: bytes, data: bytes) -> bytes:
    return hmac.new(secret, purpose + b"\x00" + data, hashlib.sha256).digest()


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def verp_token(secret: bytes, delivery_id: int) -> str:
    """The opaque, signed, lower-case token naming one delivery."""
    pad = _mac(secret, VERP_PURPOSE + b".pad", b"")[:_ID_BYTES]
    raw = delivery_id.to_bytes(_ID_BYTES, "big")
    masked = bytes(a ^ b for a, b in zip(raw, pad, strict=True))
    return _b32(masked + _mac(secret, VERP_PURPOSE, raw)[:_TAG_BYTES])


def read_verp_token(secret: bytes, token: str) -> int | None:
    """The delivery id a token names, or None if it is not one of ours (bad signature)."""
    token = token.lower()
    if not _TOKEN.fullmatch(token):
        return None
    data = _unb32(token)
    pad = _mac(secret, VERP_PURPOSE + b".pad", b"")[:_ID_BYTES]
    raw = bytes(a ^ b for a, b in zip(data[:_ID_BYTES], pad, strict=True))
    if not hmac.compare_digest(data[_ID_BYTES:], _mac(secret, VERP_PURPOSE, raw)[:_TAG_BYTES]):
        return None
    return int.from_bytes(raw, "big")


def verp_address(return_path: str, secret: bytes, delivery_id: int) -> str:
    """`local+token@domain` for the configured return path `local@domain`."""
    local, _, domain = return_path.rpartition("@")
    return f"{local}+{verp_token(secret, delivery_id)}@{domain}"


def token_of_address(return_path: str, address: str) -> str | None:
    """The token in a VERP address built on `return_path`, or None if it is not one."""
    local, _, domain = return_path.lower().rpartition("@")
    found = re.fullmatch(
        rf"{re.escape(local)}\+([a-z2-7]+)@{re.escape(domain)}", address.strip().strip("<>").lower()
    )
    return found.group(1) if found else None


def return_path_problem(return_path: str) -> str | None:
    """Why `return_path` cannot carry VERP tokens, or None if it can."""
    local, at, domain = return_path.rpartition("@")
    if not at or not local or not domain or not re.fullmatch(r"[A-Za-z0-9._-]+", local):
        return "must be an address local@domain whose local part is letters, digits, . _ -"
    if not re.fullmatch(r"[A-Za-z0-9.-]+", domain):
        return "its domain must be an ASCII host name"
    if len(local) + 1 + TOKEN_LENGTH > MAX_LOCAL_PART:
        return (f"its local part must be at most {MAX_LOCAL_PART - 1 - TOKEN_LENGTH} "
                f"characters: the VERP token adds {1 + TOKEN_LENGTH} within the 64 allowed")
    return None


def signed_message_id(secret: bytes, mailing_id: int, subscriber_id: int, host: str) -> str:
    """The Message-ID of one delivery, signed: the same on every attempt."""
    data = f"{mailing_id}.{subscriber_id}".encode()
    signature = _b32(_mac(secret, MESSAGE_ID_PURPOSE, data)[:_TAG_BYTES])
    return f"<mailing-{mailing_id}.subscriber-{subscriber_id}.{signature}@{host}>"


def read_message_id(secret: bytes, message_id: str) -> tuple[int, int] | None:
    """(mailing id, subscriber id) of one of our Message-IDs whose signature verifies."""
    found = _SIGNED_ID.fullmatch(message_id.strip())
    if found is None:
        return None
    mailing_id, subscriber_id = int(found.group(1)), int(found.group(2))
    data = f"{mailing_id}.{subscriber_id}".encode()
    expected = _b32(_mac(secret, MESSAGE_ID_PURPOSE, data)[:_TAG_BYTES])
    if not hmac.compare_digest(found.group(3).lower(), expected):
        return None
    return mailing_id, subscriber_id
