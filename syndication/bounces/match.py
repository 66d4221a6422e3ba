"""Which delivery a report names: by a signed VERP address, else by a signed Message-ID.

Only names that carry the product's signature count (delivery_ids.py): a VERP token whose
HMAC verifies, or a Message-ID whose signature does. A guessable id, an address alone, a
report that names two different deliveries: never a match. Envelope recipients (what the
relay handed to `listen`) come first: a report that quotes someone else's message cannot
outvote the address it was sent to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from syndication.bounces.schema import Unmatched
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery_ids import read_message_id, read_verp_token, token_of_address

_TOKEN = re.compile(r"\+([A-Za-z2-7]{29})@")
_MESSAGE_ID = re.compile(r"mailing-\d{1,12}\.subscriber-\d{1,12}\.[A-Za-z2-7]{16}@[^<>\s\"]{1,200}")


@dataclass(frozen=True, slots=True)
class Match:
    """The delivery a report names (or why none)."""

    delivery_id: int | None
    reason: Unmatched | None = None


def match_report(
    conn: Connection,
    secret: bytes | None,
    *,
    envelope_to: Sequence[str],
    texts: Sequence[str],
    return_path: str | None,
) -> Match:
    """The one delivery the report names with our signature, or why there is none."""
    if secret is None:
        return Match(None, Unmatched.UNSIGNED)
    for address in envelope_to:
        delivery_id = _verp(secret, address, return_path)
        if delivery_id is not None:
            return _existing(conn, delivery_id)
    found: set[int] = set()
    signed = False  # a signature verified, whether or not its delivery is still there
    for text in texts:
        for token in _TOKEN.findall(text):
            delivery_id = read_verp_token(secret, token)
            if delivery_id is not None:
                found.add(delivery_id)
        for message_id in _MESSAGE_ID.findall(text):
            ids = read_message_id(secret, message_id)
            if ids is not None:
                signed = True
                found.update(_by_message(conn, *ids))
    if not found:
        return Match(None, Unmatched.UNKNOWN_DELIVERY if signed else Unmatched.UNSIGNED)
    if len(found) > 1:
        return Match(None, Unmatched.AMBIGUOUS)
    return _existing(conn, found.pop())


def _verp(secret: bytes, address: str, return_path: str | None) -> int | None:
    if return_path is not None:  # exactly local+token@domain of our return path
        token = token_of_address(return_path, address)
    else:  # return_path unset since: any token of ours still names its delivery
        found = _TOKEN.search(address)
        token = found.group(1) if found else None
    return read_verp_token(secret, token) if token else None


def _existing(conn: Connection, delivery_id: int) -> Match:
    exists = conn.scalar(select(deliveries.c.id).where(deliveries.c.id == delivery_id))
    return Match(delivery_id) if exists is not None else Match(None, Unmatched.UNKNOWN_DELIVERY)


def _by_message(conn: Connection, mailing_id: int, subscriber_id: int) -> list[int]:
    return list(conn.scalars(
        select(deliveries.c.id).where(
            deliveries.c.mailing_id == mailing_id, deliveries.c.subscriber_id == subscriber_id
        )
    ))
