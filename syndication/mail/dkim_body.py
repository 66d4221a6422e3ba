"""The DKIM body hash of a personalised message, from its template relaxed once.

A mailing's body is the same for every recipient but for the holes that `personalise`
fills (address, unsubscribe and preferences URLs). Those values are never empty and hold
no white space (headers.py checks addresses and URLs), so relaxing the body (RFC 6376
§3.4.4) commutes with filling the holes: each chunk of the template is relaxed once, and a
recipient's body hash is one join and one SHA-256, instead of regular expressions over the
whole body per message. A value that breaks the rule gets `None`: the signer relaxes the
message itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from syndication.dkim import end_body, relax_spaces
from syndication.mail.message import MessageTemplate

_WHITE = frozenset(b" \t\r\n")


class BodyHasher:
    """The relaxed chunks of one template's body, ready to be joined with recipient values."""

    def __init__(self, template: MessageTemplate) -> None:
        first = template.chunks[0]
        end = first.find(b"\r\n\r\n")
        if end < 0:
            raise ValueError("the template has no end of header in its first chunk")
        # A chunk edge is never inside a run of white space once the holes are filled, so
        # each chunk relaxes alone; the end of the body is handled after joining.
        self._chunks = [relax_spaces(first[end + 4:]),
                        *(relax_spaces(chunk) for chunk in template.chunks[1:])]

    def digest(self, values: Sequence[bytes]) -> bytes | None:
        """SHA-256 of the relaxed body with `values` in the holes; None if a value is unfit."""
        if len(values) != len(self._chunks) - 1:
            raise ValueError("one value per hole")
        for value in values:
            if not value or not _WHITE.isdisjoint(value):
                return None
        pieces: list[bytes] = [b""] * (2 * len(self._chunks) - 1)
        pieces[0::2] = self._chunks
        pieces[1::2] = values
        return hashlib.sha256(end_body(b"".join(pieces))).digest()
