"""vCard 4.0 (RFC 6350) of a press contact, for a journalist's address book.

Text values are escaped (§3.4: backslash, comma, semicolon, line break), lines end in CRLF
and are folded at 75 octets without splitting a UTF-8 character (§3.2). The phone is a
`tel:` URI (§6.4.1, VALUE=uri), as on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.contacts import tel_uri

MAX_LINE_OCTETS = 75


@dataclass(frozen=True, slots=True)
class VCardContact:
    """What a vCard says about one contact, in one language."""

    name: str
    role: str
    organisation: str
    phone: str | None  # E.164
    email: str | None
    website: str | None
    language: str


def escape_text(value: str) -> str:
    """A vCard TEXT value (RFC 6350 §3.4): `\\`, `,`, `;` and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold_line(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space), CRLF ended."""
    encoded = line.encode("utf-8")
    parts: list[bytes] = []
    limit = MAX_LINE_OCTETS
    while len(encoded) > limit:
        cut = limit
        while cut > 0 and (encoded[cut] & 0xC0) == 0x80:  # never inside a UTF-8 sequence
            cut -= 1
        parts.append(encoded[:cut])
        encoded = encoded[cut:]
        limit = MAX_LINE_OCTETS - 1  # the leading space counts
    parts.append(encoded)
    return "\r\n ".join(part.decode("utf-8") for part in parts) + "\r\n"


def render_vcard(contact: VCardContact) -> bytes:
    """The vCard 4.0 of `contact`, UTF-8."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape_text(contact.name)}"]
    # N is structured (family;given;...): the name as one family component, commas escaped.
    lines.append(f"N:{escape_text(contact.name)};;;;")
    if contact.organisation:
        lines.append(f"ORG:{escape_text(contact.organisation)}")
    if contact.role:
        lines.append(f"TITLE;LANGUAGE={contact.language}:{escape_text(contact.role)}")
    if contact.phone:
        lines.append(f"TEL;VALUE=uri;TYPE=work,voice:{tel_uri(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(contact.email)}")
    if contact.website:
        lines.append("URL:" + "".join(contact.website.split()))  # a URI holds no blanks
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines).encode("utf-8")
