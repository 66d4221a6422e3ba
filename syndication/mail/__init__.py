"""Newsletters: templates rendered per language, composed once, personalised per recipient."""

from syndication.mail.compose import compose_confirmation, compose_mailing, render_preview
from syndication.mail.kinds import MailKind
from syndication.mail.message import MessageTemplate

__all__ = [
    "MailKind",
    "MessageTemplate",
    "compose_confirmation",
    "compose_mailing",
    "render_preview",
]
