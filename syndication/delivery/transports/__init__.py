"""Transports: where a composed message goes (a Maildir, or an SMTP server), signed or not."""

from __future__ import annotations

from urllib.parse import urlsplit

from syndication.config import Settings
from syndication.delivery.transports.base import HardBounce, Transport
from syndication.delivery.transports.maildir import MaildirTransport
from syndication.delivery.transports.signing import SigningTransport
from syndication.delivery.transports.smtp import SmtpTransport
from syndication.dkim_keys import dkim_signer

__all__ = [
    "HardBounce", "MaildirTransport", "SigningTransport", "SmtpTransport", "Transport",
    "open_transport",
]


def open_transport(settings: Settings, *, sign: bool = True) -> Transport:
    """The transport the config names: `maildir` (default) or `smtp`, DKIM-signing with
    `[mail.dkim]` (a ConfigError if its keys cannot be loaded) unless `sign` is False
    (the sender signs its messages itself)."""
    transport: Transport
    if settings.mail.transport == "smtp":
        host = urlsplit(settings.base_url).hostname
        transport = SmtpTransport(settings.mail.smtp, local_hostname=host)
    else:
        transport = MaildirTransport(settings.mail.maildir)
    signer = dkim_signer(settings) if sign else None
    return transport if signer is None else SigningTransport(transport, signer)
