"""A mailing's RFC 5322 message, serialised once and personalised per recipient in bytes.

`freeze_message` builds the whole message with the email package (SMTP policy: CRLF,
RFC 2047-encoded non-ASCII headers, folded lines) around ASCII placeholders, serialises it,
and cuts the bytes at each placeholder. `MessageTemplate.personalise` then writes the four
per-recipient headers (Date, To, Message-ID, List-Unsubscribe) and joins the pieces with
the recipient's values: a few microseconds, where a full `EmailMessage` costs ≈ 4.6 ms.

Transfer encoding: both parts are UTF-8 with `Content-Transfer-Encoding: 8bit`, so every
placeholder is in the bytes exactly as rendered: quoted-printable could cut one with a soft
line break and base64 would hide it. 8bit needs lines of at most 998 octets (RFC 5322
§2.1.1): `fit_lines` breaks longer lines at whitespace or between `>` and `<` (where HTML
renders the same), counting each placeholder at the largest value it may take, and
`personalise` refuses values longer than that. Servers without 8BITMIME (RFC 6152) are
about extinct; the SMTP transport can check the EHLO reply.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from enum import IntEnum
from functools import lru_cache

from subscribers import ascii_domain_address
from syndication.mail.headers import (
    check_address,
    check_message_id,
    check_url,
    header_text,
    unstructured_header,
)
from syndication.mail.render import RenderedMail
from syndication.mail.views import Links

LINE_LIMIT = 990  # octets before CRLF; RFC 5322 allows 998
SLOT_OCTETS = 400  # the most a substituted value may take, escaped for HTML
_BODY_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # 8bit forbids NUL, bare CR
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BREAK = re.compile(r"([ \t]+|(?<=>)(?=<))")  # never at a no-break space


class Slot(IntEnum):
    """A per-recipient value in the body: the same value, plain or escaped for HTML."""

    ADDRESS_TEXT = 0
    ADDRESS_HTML = 1
    UNSUBSCRIBE_TEXT = 2
    UNSUBSCRIBE_HTML = 3
    PREFERENCES_TEXT = 4
    PREFERENCES_HTML = 5


@dataclass(frozen=True, slots=True)
class Placeholders:
    """Random ASCII stand-ins for the recipient's values, unguessable by release authors."""

    nonce: str

    @classmethod
    def new(cls) -> Placeholders:
        """Fresh placeholders for one mailing."""
        return cls(secrets.token_hex(8))

    @property
    def marker(self) -> str:
        """What every placeholder of this mailing starts with."""
        return f"zz{self.nonce}s"

    def token(self, slot: Slot) -> str:
        """The placeholder of `slot`: letters and digits only, so no escaping touches it."""
        return f"{self.marker}{slot.value}zz"

    def links(self, *, html_part: bool, confirm: str = "") -> Links:
        """The links a template of one part gets while composing."""
        offset = 1 if html_part else 0
        return Links(
            address=self.token(Slot(Slot.ADDRESS_TEXT + offset)),
            unsubscribe=self.token(Slot(Slot.UNSUBSCRIBE_TEXT + offset)),
            preferences=self.token(Slot(Slot.PREFERENCES_TEXT + offset)),
            confirm=confirm,
        )


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """A rendered mailing for one language set: bytes with holes for recipient values."""

    subject: str
    languages: tuple[str, ...]
    is_list: bool
    chunks: tuple[bytes, ...]
    holes: tuple[Slot, ...]  # holes[i] sits between chunks[i] and chunks[i + 1]

    def personalise(
        self, *, to: str, message_id: str, unsubscribe_url: str, preferences_url: str,
        date: datetime,
    ) -> bytes:
        """The message for one recipient, with RFC 8058 one-click List-Unsubscribe."""
        if not self.is_list:
            raise TypeError("this message goes to no list: use personalise_notice()")
        unsubscribe = check_url(unsubscribe_url)
        preferences = check_url(preferences_url)
        head = _recipient_head(to, message_id, date)
        head += b"List-Unsubscribe: <" + unsubscribe.encode("ascii") + b">\r\n"
        return self._fill(head, to, unsubscribe, preferences)

    def personalise_notice(self, *, to: str, message_id: str, date: datetime) -> bytes:
        """The message for one recipient of a non-list email (a confirmation)."""
        if self.is_list:
            raise TypeError("a list message needs its unsubscribe links: use personalise()")
        return self._fill(_recipient_head(to, message_id, date), to, "", "")

    def _fill(self, head: bytes, to: str, unsubscribe: str, preferences: str) -> bytes:
        pieces: list[bytes] = [b""] * (2 * len(self.chunks))
        pieces[0] = head
        pieces[1::2] = self.chunks
        pieces[2::2] = self.hole_values(to, unsubscribe, preferences)
        return b"".join(pieces)

    def hole_values(self, to: str, unsubscribe: str, preferences: str) -> list[bytes]:
        """What fills each hole, in order, for one recipient (values checked by the caller)."""
        # The values are checked: no quote, "<" or ">" can be in them, only "&" and "'".
        values = [to, _escape(to), unsubscribe, _escape(unsubscribe),
                  preferences, _escape(preferences)]
        encoded = [value.encode() for value in values]
        if max(map(len, encoded)) > SLOT_OCTETS:
            raise ValueError(f"a recipient value is longer than {SLOT_OCTETS} octets")
        return [encoded[hole] for hole in self.holes]


def freeze_message(
    rendered: RenderedMail, *, headers: Sequence[tuple[str, str | Address]],
    placeholders: Placeholders, is_list: bool,
) -> MessageTemplate:
    """Serialise a rendered email once (multipart/alternative, UTF-8, 8bit) into a template."""
    tokens = {placeholders.token(slot): slot for slot in Slot}
    message = EmailMessage(policy=SMTP)
    subject = b""
    for name, value in headers:
        if name.lower() == "subject" and isinstance(value, str):
            subject = unstructured_header(name, value)  # written by us: see headers.py
        elif not name.lower().startswith("content-"):  # make_alternative() moves those
            message[name] = value
    text = fit_lines(clean_body(rendered.text), placeholders)
    body_html = fit_lines(clean_body(rendered.html), placeholders)
    message.set_content(text, subtype="plain", charset="utf-8", cte="8bit")
    message.make_alternative()
    html_part = EmailMessage(policy=SMTP)
    html_part.set_content(body_html, subtype="html", charset="utf-8", cte="8bit")
    del html_part["MIME-Version"]  # a header of the whole message, not of a part
    message.attach(html_part)
    for name, value in headers:
        if name.lower().startswith("content-"):
            message[name] = value
    raw = message.as_bytes()
    pattern = re.compile(b"(" + b"|".join(re.escape(token.encode()) for token in tokens) + b")")
    pieces = pattern.split(raw)
    expected = sum(part.count(token) for part in (text, body_html) for token in tokens)
    header_end = raw.index(b"\r\n\r\n")
    if len(pieces) // 2 != expected or pattern.search(raw, 0, header_end):
        raise RuntimeError("a placeholder did not survive serialisation intact")
    return MessageTemplate(
        subject=header_text(rendered.subject),
        languages=rendered.languages,
        is_list=is_list,
        chunks=(subject + pieces[0], *pieces[2::2]),
        holes=tuple(tokens[piece.decode()] for piece in pieces[1::2]),
    )


def clean_body(text: str) -> str:
    """Line ends as `\\n` and no control character that 8bit forbids (RFC 2045 §2.8)."""
    return _BODY_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def fit_lines(text: str, placeholders: Placeholders) -> str:
    """Break lines so each, once placeholders are filled, stays within LINE_LIMIT octets."""
    return "\n".join(
        line if _weight(line, placeholders) <= LINE_LIMIT else _break_line(line, placeholders)
        for line in text.split("\n")
    )


def _weight(text: str, placeholders: Placeholders) -> int:
    # Every placeholder counts as the largest value it may be replaced with.
    extra = SLOT_OCTETS - len(placeholders.token(Slot.ADDRESS_TEXT))
    return len(text.encode()) + text.count(placeholders.marker) * extra


def _break_line(line: str, placeholders: Placeholders) -> str:
    lines: list[str] = []
    current = ""
    for piece in _BREAK.split(line):
        candidate = current + piece
        if _weight(candidate.rstrip(), placeholders) <= LINE_LIMIT:
            current = candidate
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = "" if piece.isspace() else piece
        while _weight(current, placeholders) > LINE_LIMIT:  # one word too long: cut it
            cut = _cut_point(current, placeholders)
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip():
        lines.append(current.rstrip())
    return "\n".join(lines)


def _cut_point(word: str, placeholders: Placeholders) -> int:
    low, high = 1, len(word)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if _weight(word[:middle], placeholders) <= LINE_LIMIT:
            low = middle
        else:
            high = middle - 1
    cut = low
    for slot in Slot:  # never cut inside a placeholder
        for match in re.finditer(placeholders.token(slot), word):
            if match.start() < cut < match.end():
                cut = match.start() or match.end()
    return cut


def rfc5322_date(moment: datetime) -> str:
    """`moment` as an RFC 5322 date-time with its own offset, as `format_datetime` writes it."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("the Date header needs an aware datetime")
    return _format_date(math.floor(moment.timestamp()), offset)


@lru_cache(maxsize=16)  # a batch of deliveries is sent within the same few seconds
def _format_date(epoch: int, offset: timedelta) -> str:
    local = datetime.fromtimestamp(epoch, timezone(offset))
    seconds = offset.days * 86400 + offset.seconds
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return "%s, %02d %s %04d %02d:%02d:%02d %s%02d%02d" % (  # noqa: UP031 - fast and clear
        _DAYS[local.weekday()], local.day, _MONTHS[local.month - 1], local.year,
        local.hour, local.minute, local.second, "-" if seconds < 0 else "+", hours, minutes,
    )


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("'", "&#x27;")


def _recipient_head(to: str, message_id: str, date: datetime) -> bytes:
    return (
        # The domain as its A-label: readable by servers and clients without RFC 6532.
        f"Date: {rfc5322_date(date)}\r\nTo: {check_address(ascii_domain_address(to))}\r\n"
        f"Message-ID: {check_message_id(message_id)}\r\n"
    ).encode()
