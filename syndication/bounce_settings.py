"""`[bounces]` and `[mail] return_path`: where bounce and complaint reports come in.

Kept beside `config.py` (not inside `syndication/bounces/`) because the config reads it and
the bounces package reads the config: a module of its own keeps the import graph one-way.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from syndication.delivery_ids import return_path_problem
from syndication.tomlfields import Fields

MAX_REPORT_BYTES = 1_000_000  # a report larger than this is kept aside unread (and cut)
LOOPBACK = ("127.0.0.0/8", "::1/128")  # `[bounces] allow` by default


@dataclass(frozen=True, slots=True)
class BounceSettings:
    """How `run` receives bounces and complaints (both optional)."""

    # "host:port" of the SMTP server `run`'s leader serves for relays, or None.
    listen: tuple[str, int] | None = None
    # A Maildir the organisation's mail server delivers bounces to, read by the leader.
    maildir: Path | None = None
    # Networks whose relays may hand reports to `listen` (default: loopback only).
    allow: tuple[str, ...] = LOOPBACK
    lmtp: bool = False  # speak LMTP (RFC 2033) on `listen` instead of SMTP


NO_BOUNCES = BounceSettings()  # the default: no listen, no Maildir


def read_return_path(mail: Fields) -> str | None:
    """`[mail] return_path`, checked: the VERP addresses built on it must be valid."""
    value = mail.text("return_path", max_length=254)
    if value is None:
        return None
    problem = return_path_problem(value.strip())
    if problem:
        mail.problem("return_path", f"{value!r} {problem}")
        return None
    return value.strip()


def read_bounces(fields: Fields, folder: Path) -> BounceSettings:
    """The `[bounces]` table (every key optional)."""
    listen = _read_listen(fields)
    maildir_text = fields.text("maildir")
    allow = fields.networks("allow", example='"127.0.0.1" or "10.0.0.0/8"')
    settings = BounceSettings(
        listen=listen,
        maildir=folder / maildir_text if maildir_text else None,
        allow=LOOPBACK if allow is None else tuple(allow),
        lmtp=fields.boolean("lmtp", default=False),
    )
    fields.finish()
    return settings


def _read_listen(fields: Fields) -> tuple[str, int] | None:
    text = fields.text("listen")
    if text is None:
        return None
    host, colon, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not colon or not port.isdigit() or not 0 <= int(port) <= 65535 or not host:
        fields.problem("listen", f'{text!r} is not "host:port" like "127.0.0.1:2525"')
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        fields.problem("listen", f"{host!r} is not an IP address (listen on a local address)")
        return None
    return host, int(port)
