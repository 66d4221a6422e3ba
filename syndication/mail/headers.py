"""Header values made safe: nothing from a release, a subscriber or config can add a header.

Text that goes into a header (subjects, list labels, display names) has every control
character and Unicode line separator turned into a space, and every `=?` broken by a word
joiner: the email package decodes RFC 2047 encoded words in the values it is given, so a
title such as `=?utf-8?q?x=0D=0ABcc:_y?=` would otherwise come out as a CRLF and a new
header (CVE-2024-6923; Python before 3.11.10 / 3.12.5). The SMTP policy then RFC
2047-encodes what is not ASCII and folds long lines. The per-recipient values that
`MessageTemplate.personalise` writes itself (address, Message-ID, URLs) are checked against
strict patterns and refused, never repaired: they come from our own code and database.
"""

from __future__ import annotations

import re
from email.header import Header
from email.headerregistry import Address
from urllib.parse import urlsplit

from syndication.config import SLUG

# C0 and C1 controls (CR and LF among them), DEL, U+2028/U+2029: str.splitlines() breaks
# lines on several of them, so each could end a header line somewhere down the chain.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NO_ENCODED_WORD = "=\u2060?"  # U+2060 WORD JOINER: invisible, and no RFC 2047 "=?" left
# RFC 5322 atext plus ".", the characters a dot-atom may use (both sides of a msg-id).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
_MESSAGE_ID = re.compile(rf"<({_ATOM}@{_ATOM})>|({_ATOM}@{_ATOM})")
# An addr-spec as email-validator normalises it: no space, control, quote or bracket
# (RFC 6532 lets the local part and domain be UTF-8).
_ADDRESS_PART = r"[^\s\x00-\x1f\x7f-\x9f<>()\[\]\\,;:\"@]+"
_ADDRESS = re.compile(f"{_ADDRESS_PART}@{_ADDRESS_PART}")
_MAILBOX = re.compile(
    rf"(?P<name>[^<>]*)<(?P<address>{_ADDRESS_PART}@{_ADDRESS_PART})>|"
    rf"(?P<bare>{_ADDRESS_PART}@{_ADDRESS_PART})"
)
_URL = re.compile(r"https?://[!#-;=?-~]+")  # printable ASCII but space, quotes, < and >
MAX_ADDRESS_OCTETS = 254  # RFC 5321 §4.5.3.1.3 (path) less the brackets
MAX_URL_OCTETS = 300  # keeps every 8bit body line far below 998 octets (see message.py)


def header_text(value: str) -> str:
    """`value` on one line, no encoded word: controls become spaces, runs collapse."""
    return " ".join(_UNSAFE.sub(" ", value).split()).replace("=?", _NO_ENCODED_WORD)


def unstructured_header(name: str, value: str) -> bytes:
    """One header line (folded, CRLF-ended) of safe text, RFC 2047-encoded when not ASCII.

    The email package's folder drops the space between two encoded words it makes
    (RFC 2047 §6.2 ignores white space between encoded words), so "𐀀 ¡" would arrive as
    "𐀀¡". `Header` with one charset keeps every space inside the encoded words.
    """
    text = header_text(value)
    if text.isascii():
        encoded = Header(text, "us-ascii", header_name=name).encode(linesep="\r\n")
    else:
        encoded = Header(text, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}\r\n".encode("ascii")


def check_address(address: str) -> str:
    """Return a recipient address, or raise ValueError if it could not be a safe `To:`."""
    if len(address.encode()) > MAX_ADDRESS_OCTETS or not _ADDRESS.fullmatch(address):
        raise ValueError(f"not a deliverable address for a To: header: {address!r}")
    return address


def check_message_id(message_id: str) -> str:
    """Return `<id@host>` for an RFC 5322 msg-id given with or without brackets."""
    match = _MESSAGE_ID.fullmatch(message_id)
    if match is None or len(message_id) > 250:
        raise ValueError(f"not an RFC 5322 Message-ID: {message_id!r}")
    return f"<{match.group(1) or match.group(2)}>"


def check_url(url: str) -> str:
    """Return an absolute http(s) URL fit for a header and a body, or raise ValueError."""
    if len(url) > MAX_URL_OCTETS or not _URL.fullmatch(url):
        raise ValueError(f"not an absolute http(s) URL of at most {MAX_URL_OCTETS} "
                         f"printable ASCII characters: {url!r}")
    return url


def mailbox(value: str, *, key: str) -> Address:
    """The config address `value` ("Name <addr>" or "addr") as a header Address."""
    match = _MAILBOX.fullmatch(value.strip())
    if match is None or _UNSAFE.search(value):
        raise ValueError(f'[mail] {key} must be "Name <address>" or an address, not {value!r}')
    name = (match.group("name") or "").strip()
    if len(name) > 1 and name[0] == name[-1] == '"':
        name = name[1:-1]
    address = match.group("address") or match.group("bare")
    return Address(display_name=header_text(name), addr_spec=address)


def list_id_header(name: str, base_url: str, label: str = "") -> str:
    """RFC 2919 List-Id: `Label <name.host-of-base_url>`; the name must be a list slug."""
    if not SLUG.fullmatch(name):
        raise ValueError(f"not a list name (a-z, 0-9 and single hyphens): {name!r}")
    host = urlsplit(base_url).hostname or "localhost"
    phrase = header_text(label).replace("<", "").replace(">", "").replace('"', "")
    return f"{phrase} <{name}.{host}>" if phrase else f"<{name}.{host}>"


def feedback_id_header(kind: str, audience: str, language: str, base_url: str) -> str:
    """Gmail's Feedback-ID, `kind:audience:language:SenderId`, the site's host as SenderId.

    Gmail's feedback loop counts complaints per value of each field (the last is the
    sender's stable identity), so the postmaster tools show which kind of mail, to which
    list and in which language, people mark as spam. Fields are slugs: no colon in them.
    """
    host = urlsplit(base_url).hostname or "localhost"
    fields = (kind, audience, language, host)
    if any(":" in field or not field or not field.isascii() for field in fields):
        raise ValueError(f"a Feedback-ID field is empty, not ASCII or has a colon: {fields!r}")
    return ":".join(fields)
