"""A sign-up's work, done after its answer: record it, then mail the confirmation.

POST /subscribe answers every valid, allowed request with the same page before it looks
the address up (issue 11, item 5): whether the address is new, pending, subscribed,
unsubscribed, suppressed or erased changes what happens afterwards (`signup.sign_up`), never
the answer or the time it takes. The work runs as the response's background task, so a
failure there (a busy database, a mail server refusing the address) cannot surface in the
answer either: it is logged, without the address, and the person may sign up again.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from subscribers import Keyring, SubscriberError, TokenPurpose, make_token
from syndication.delivery.erasure import redact_address
from syndication.errors import DeliveryError
from syndication.mail.compose import compose_confirmation
from syndication.web.context import WebContext
from syndication.web.forms import Choices, Identity
from syndication.web.signup import Confirmation, sign_up

log = logging.getLogger("syndication.web")


async def process_sign_up(
    web: WebContext, keyring: Keyring, email: str, choices: Choices, identity: Identity
) -> None:
    """Record a sign-up and send its confirmation, if any; log (never raise) a failure."""
    try:
        confirmation = await run_in_threadpool(
            lambda: sign_up(web.engine, email, choices, secret=keyring, now=web.clock(),
                            identity=identity)
        )
        if confirmation is not None:
            await send_confirmation(web, keyring, confirmation)
    except DeliveryError as error:
        log.warning("a sign-up's confirmation could not be sent: %s",
                    redact_address(error.reply, email))
    except (DBAPIError, SubscriberError) as error:
        log.warning("a sign-up could not be recorded: %s", type(error).__name__)
    except ValueError as error:  # an address no message header can carry
        log.warning("a sign-up's confirmation could not be composed: %s",
                    redact_address(str(error), email))


async def send_confirmation(web: WebContext, secret: Keyring, confirmation: Confirmation) -> None:
    """Compose and send the double opt-in email of `confirmation`."""
    settings = web.settings
    token = make_token(secret, TokenPurpose.CONFIRM, confirmation.public_id)
    host = urlsplit(settings.base_url).hostname or "localhost"
    message = await run_in_threadpool(
        compose_confirmation, settings, to=confirmation.email, language=confirmation.language,
        confirm_url=f"{settings.base_url}/confirm/{token}",
        message_id=f"<confirm.{secrets.token_hex(12)}@{host}>", date=web.clock(),
    )
    await web.send_message(confirmation.email, message)
