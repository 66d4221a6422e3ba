"""From a claimed delivery to the bytes of its message: compose once, personalise per recipient.

A `MessageTemplate` is composed once per (mailing, languages, releases) and cached for the
run; each recipient then costs a substitution and two signed tokens. The Message-ID is
derived from (mailing id, subscriber id), signed, and the site's host, so a re-sent delivery
carries the same Message-ID as the first try and mail clients show it once; the envelope
sender is the delivery's own VERP address when `[mail] return_path` is set (delivery_ids.py).
With `[mail.dkim]` the factory also gives each message's DKIM body hash, from the template
relaxed once (syndication/mail/dkim_body.py), and `signed_messages.py` has the header signed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from subscribers import TokenPurpose, make_token
from syndication.config import Settings
from syndication.delivery.outbox import Claim
from syndication.delivery_ids import signed_message_id, verp_address
from syndication.dkim import relaxed_body
from syndication.errors import PermanentDeliveryError, TransientDeliveryError
from syndication.mail import MailKind, MessageTemplate, compose_mailing
from syndication.mail.dkim_body import BodyHasher
from syndication.releases import Release

ComposeMailing = Callable[..., MessageTemplate]
_TemplateKey = tuple[int, tuple[str, ...], tuple[str, ...]]


def envelope_sender(settings: Settings) -> str:
    """The SMTP envelope sender (MAIL FROM) of mail that is no delivery: `mail.from`'s address."""
    return parseaddr(settings.mail.from_address)[1]


class MessageFactory:
    """Builds the message of each claimed delivery, composing each mailing variant once."""

    def __init__(
        self,
        settings: Settings,
        releases: Mapping[str, Release],
        *,
        secret: bytes,
        compose: ComposeMailing = compose_mailing,
    ) -> None:
        self.settings = settings
        self.releases = releases
        self.host = urlsplit(settings.base_url).hostname or "localhost"
        self._secret = secret
        self._compose = compose
        self._templates: dict[_TemplateKey, MessageTemplate] = {}
        self._hashers: dict[int, BodyHasher] = {}  # by id() of a template of _templates
        self._sender = envelope_sender(settings)

    def envelope_sender(self, claim: Claim) -> str:
        """MAIL FROM of `claim`: its VERP address with `[mail] return_path`, else `mail.from`."""
        return_path = self.settings.mail.return_path
        if return_path is None:
            return self._sender
        return verp_address(return_path, self._secret, claim.id)

    def message(self, claim: Claim, *, email: str, subscriber_id: int, date: datetime) -> bytes:
        """The message of `claim` for `email`, or a DeliveryError saying why there is none."""
        return self._personalise(claim, email, subscriber_id, date, body_hash=False)[0]

    def message_to_sign(
        self, claim: Claim, *, email: str, subscriber_id: int, date: datetime
    ) -> tuple[bytes, bytes]:
        """`message()` and the SHA-256 of its relaxed body (RFC 6376 §3.4.4), for DKIM."""
        message, body_hash = self._personalise(claim, email, subscriber_id, date, body_hash=True)
        if body_hash is None:  # a value that relaxing would change: relax the whole body
            body_hash = hashlib.sha256(
                relaxed_body(message[message.index(b"\r\n\r\n") + 4:])).digest()
        return message, body_hash

    def _personalise(
        self, claim: Claim, email: str, subscriber_id: int, date: datetime, *, body_hash: bool
    ) -> tuple[bytes, bytes | None]:
        template = self._template(claim)
        base = self.settings.base_url
        if claim.public_id is None:  # claimed without its subscriber row: nobody to link to
            raise PermanentDeliveryError("the subscriber is no longer active")
        # The links name the public id, never the row id (issue 11, item 1).
        unsubscribe = make_token(self._secret, TokenPurpose.UNSUBSCRIBE, claim.public_id)
        preferences = make_token(self._secret, TokenPurpose.PREFERENCES, claim.public_id)
        unsubscribe_url = f"{base}/unsubscribe/{unsubscribe}"
        preferences_url = f"{base}/preferences/{preferences}"
        try:
            message = template.personalise(
                to=email,
                message_id=signed_message_id(
                    self._secret, claim.mailing_id, subscriber_id, self.host
                ),
                unsubscribe_url=unsubscribe_url,
                preferences_url=preferences_url,
                date=date,
            )
        except ValueError as error:  # an address no header may carry: no retry will help
            raise PermanentDeliveryError(f"cannot address the message: {error}") from None
        if not body_hash:
            return message, None
        hasher = self._hashers.get(id(template))
        if hasher is None:
            hasher = self._hashers[id(template)] = BodyHasher(template)
        values = template.hole_values(email, unsubscribe_url, preferences_url)
        return message, hasher.digest(values)

    def _template(self, claim: Claim) -> MessageTemplate:
        releases = self._releases(claim)
        key = (claim.mailing_id, claim.languages, tuple(release.id for release in releases))
        template = self._templates.get(key)
        if template is None:
            try:
                template = self._compose(
                    self.settings,
                    kind=MailKind(claim.kind),
                    releases=releases,
                    languages=claim.languages,
                    list_id=claim.list_name,
                )
            except Exception as error:  # recorded on the delivery, retried
                raise TransientDeliveryError(f"cannot compose the message: {error}") from None
            self._templates[key] = template
        return template

    def _releases(self, claim: Claim) -> Sequence[Release]:
        wanted = claim.releases or ((claim.release_id,) if claim.release_id else ())
        missing = [release_id for release_id in wanted if release_id not in self.releases]
        if missing or not wanted:
            # An invalid or removed release file: retried, so a fixed file still goes out.
            names = ", ".join(missing) or "none"
            raise TransientDeliveryError(f"release not loaded (invalid or removed?): {names}")
        return sorted(
            (self.releases[release_id] for release_id in wanted),
            key=lambda release: (release.published, release.id),
        )
