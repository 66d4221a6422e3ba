"""One SMTP mail transaction (MAIL, RCPT, DATA) on an open aiosmtplib connection, made cheap.

aiosmtplib's `sendmail()` and `data()` run whole-message regular expressions (line ends
for SIZE, then line ends and dot stuffing for DATA) and `mail()`/`rcpt()` parse each
address with `email.utils`: together five times the CPU that sending a 20 KB message over
loopback costs. Here the same commands go through aiosmtplib's public `execute_command`
and protocol `write`/`read_response`, with byte scans that find, as for every message we
compose, that there is nothing to change. Errors are aiosmtplib's own; the transport
translates them.

Internationalised addresses (RFC 6531): a domain goes as its IDNA A-label, so
`user@bücher.de` reaches any server; a local part that is not ASCII needs the server's
SMTPUTF8 (then asked for on MAIL FROM), and without it the delivery fails for good with a
reply saying why, before any command is sent.
"""

from __future__ import annotations

import re

import aiosmtplib
from aiosmtplib.email import quote_address

from subscribers import ascii_domain_address
from syndication.errors import PermanentDeliveryError

_LINE_END = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)
# An address that can go in MAIL FROM / RCPT TO as is: ASCII, no space, bracket or quote.
_PLAIN_ADDRESS = re.compile(r"[!#-'*-;=?A-Z^-~]+@[A-Za-z0-9.-]+")


async def send_transaction(
    client: aiosmtplib.SMTP, sender: str, recipient: str, message: bytes
) -> aiosmtplib.SMTPResponse:
    """MAIL, RCPT and DATA for one recipient; the server's final reply, or its exception."""
    sender, recipient = ascii_domain_address(sender), ascii_domain_address(recipient)
    utf8 = not (sender + recipient).isascii()
    if utf8 and not client.supports_extension("smtputf8"):
        raise PermanentDeliveryError(
            "550 5.6.7 the address's local part is not ASCII and the server does not offer"
            " SMTPUTF8 (RFC 6531): it cannot be delivered", code=550)
    options = [b"SMTPUTF8"] if utf8 else []
    if client.supports_extension("size"):
        # RFC 1870: an estimate (exact for CRLF messages without leading dots).
        options.append(b"SIZE=%d" % len(message))
    if client.supports_extension("8bitmime"):
        options.append(b"BODY=8BITMIME")  # RFC 6152: our parts are 8bit UTF-8
    reply = await client.execute_command(
        b"MAIL", b"FROM:" + _path(sender, utf8), *options, timeout=None)
    if reply.code != 250:
        raise aiosmtplib.SMTPSenderRefused(reply.code, reply.message, sender)
    reply = await client.execute_command(b"RCPT", b"TO:" + _path(recipient, utf8), timeout=None)
    if reply.code not in (250, 251):
        raise aiosmtplib.SMTPRecipientRefused(reply.code, reply.message, recipient)
    reply = await client.execute_command(b"DATA", timeout=None)
    if reply.code != 354:
        raise aiosmtplib.SMTPDataError(reply.code, reply.message)
    protocol = client.protocol
    if protocol is None:
        raise aiosmtplib.SMTPServerDisconnected("Connection lost")
    protocol.write(wire_form(message))
    # Awaited right after the write, as read_response() requires; the caller sets a deadline.
    reply = await protocol.read_response(timeout=None)
    if reply.code != 250:
        raise aiosmtplib.SMTPDataError(reply.code, reply.message)
    return reply


def wire_form(message: bytes) -> bytes:
    """The message as DATA sends it (RFC 5321 §4.5.2): CRLF, leading dots doubled, `.` last."""
    lines = message.count(b"\n")
    if lines != message.count(b"\r\n") or lines != message.count(b"\r"):
        message = _LINE_END.sub(b"\r\n", message)  # a lone CR or LF
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    if message.startswith(b".") or b"\n." in message:
        message = _LEADING_DOT.sub(b"..", message)
    return message + b".\r\n"


def _path(address: str, utf8: bool) -> bytes:
    """`<address>` for MAIL FROM or RCPT TO; odd addresses get aiosmtplib's full checks.

    UTF-8 only in an SMTPUTF8 transaction; otherwise a non-ASCII address is a ValueError."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>".encode("ascii")
    return quote_address(address).encode("utf-8" if utf8 else "ascii")
