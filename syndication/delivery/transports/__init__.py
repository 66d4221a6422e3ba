"""Transports: where a composed message goes (a Maildir, or an SMTP server)."""

from __future__ import annotations

from urllib.parse import urlsplit

from syndication.config import Settings
from syndication.delivery.transports.base import HardBounce, Transport
from syndication.delivery.transports.maildir import MaildirTransport
from syndication.delivery.transports.smtp import SmtpTransport

__all__ = ["HardBounce", "MaildirTransport", "SmtpTransport", "Transport", "open_transport"]


def open_transport(settings: Settings) -> Transport:
    """The transport the config names: `maildir` (default) or `smtp`."""
    if settings.mail.transport == "smtp":
        host = urlsplit(settings.base_url).hostname
        return SmtpTransport(settings.mail.smtp, local_hostname=host)
    return MaildirTransport(settings.mail.maildir)
