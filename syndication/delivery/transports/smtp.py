"""The SMTP transport: a pool of persistent aiosmtplib connections, one envelope per message.

`concurrency` connections are opened on demand and reused for message after message (a
new connection per message costs a third of the throughput). Every aiosmtplib exception is
translated here, and only here, into the delivery errors of `syndication.errors`:

- a 4xx reply, a refused, dropped or timed-out connection, a failed greeting, STARTTLS or
  login: `TransientDeliveryError` (retried later; a broken connection is reopened);
- a 5xx reply to RCPT naming the address itself (550/551/553, not a 5.7.x policy refusal):
  `HardBounce`;
- any other 5xx reply to MAIL, RCPT or DATA: `PermanentDeliveryError`.

`timeout` bounds each command of connecting (greeting, EHLO, STARTTLS, AUTH); a message's
transaction gets one deadline of 3 × `timeout` rather than a timer per command.
"""

from __future__ import annotations

import asyncio

import aiosmtplib

from syndication.config import SmtpSettings
from syndication.delivery.transports.base import HardBounce
from syndication.delivery.transports.transaction import send_transaction
from syndication.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from syndication.metrics import SMTP_REPLIES, reply_class

# RFC 5321 replies meaning "no such mailbox" (550), "user not local" (551) and "mailbox
# name not allowed" (553); RFC 3463 5.7.x is a policy refusal, not a bad address.
_ADDRESS_REFUSED = frozenset({550, 551, 553})


class SmtpTransport:
    """Sends through an SMTP server over a bounded pool of persistent connections."""

    def __init__(self, settings: SmtpSettings, *, local_hostname: str | None = None) -> None:
        self.settings = settings
        self._local_hostname = local_hostname
        self._idle: asyncio.LifoQueue[aiosmtplib.SMTP] = asyncio.LifoQueue()
        for _ in range(settings.concurrency):
            self._idle.put_nowait(self._client())

    @property
    def concurrency(self) -> int:
        """The number of connections in the pool."""
        return self.settings.concurrency

    def _client(self) -> aiosmtplib.SMTP:
        smtp = self.settings
        return aiosmtplib.SMTP(
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password() if smtp.username else None,
            local_hostname=self._local_hostname,
            timeout=smtp.timeout.total_seconds(),
            use_tls=smtp.security == "tls",
            start_tls=smtp.security == "starttls",
        )

    async def send(self, *, sender: str, recipient: str, message: bytes) -> str:
        """Send over an idle pooled connection (opened if needed); return the DATA reply."""
        client = await self._idle.get()
        try:
            if not client.is_connected:
                await _connect(client)
            deadline = 3 * self.settings.timeout.total_seconds()
            return await _transact(client, sender, recipient, message, deadline=deadline)
        except DeliveryError:
            raise
        except BaseException:
            client.close()
            raise
        finally:
            self._idle.put_nowait(client)

    async def close(self) -> None:
        """Say QUIT on every open connection."""
        clients = []
        while not self._idle.empty():
            clients.append(self._idle.get_nowait())
        await asyncio.gather(*(_quit(client) for client in clients))


async def _connect(client: aiosmtplib.SMTP) -> None:
    try:
        await client.connect()
        if client.is_ehlo_or_helo_needed:
            try:
                await client.ehlo()
            except aiosmtplib.SMTPHeloError:
                await client.helo()  # RFC 5321 4.1.4: fall back to HELO
    except aiosmtplib.SMTPResponseException as error:
        client.close()
        SMTP_REPLIES.labels(reply_class(error.code)).inc()
        raise TransientDeliveryError(_reply(error), code=error.code) from None
    except (aiosmtplib.SMTPException, OSError) as error:
        client.close()
        SMTP_REPLIES.labels(reply_class(None)).inc()
        raise TransientDeliveryError(f"cannot connect: {error}") from None


async def _transact(
    client: aiosmtplib.SMTP, sender: str, recipient: str, message: bytes, *, deadline: float
) -> str:
    try:
        # One deadline for the transaction, not a timer per command: `timeout` for each
        # of MAIL, RCPT and DATA, shared.
        async with asyncio.timeout(deadline):
            response = await send_transaction(client, sender, recipient, message)
    except TimeoutError:
        client.close()
        SMTP_REPLIES.labels(reply_class(None)).inc()
        raise TransientDeliveryError(f"no reply within {deadline:.0f} s") from None
    except aiosmtplib.SMTPResponseException as error:
        SMTP_REPLIES.labels(reply_class(error.code)).inc()
        await _reset(client)
        if error.code == 421:
            client.close()  # RFC 5321 4.2.2: the server is closing the connection
        raise _classify(
            error, recipient=isinstance(error, aiosmtplib.SMTPRecipientRefused)
        ) from None
    except (aiosmtplib.SMTPException, OSError) as error:
        client.close()
        SMTP_REPLIES.labels(reply_class(None)).inc()
        raise TransientDeliveryError(f"connection lost: {error}") from None
    except ValueError as error:  # an address no envelope can carry (UnicodeError too)
        await _reset(client)
        raise PermanentDeliveryError(f"invalid address: {error}") from None
    SMTP_REPLIES.labels(reply_class(response.code)).inc()
    return f"{response.code} {response.message}"


async def _reset(client: aiosmtplib.SMTP) -> None:
    """RSET after a refused command, so the next message starts a clean envelope."""
    if not client.is_connected:
        return
    try:
        await client.rset()
    except (aiosmtplib.SMTPException, OSError):
        client.close()


def _classify(error: aiosmtplib.SMTPResponseException, *, recipient: bool) -> DeliveryError:
    reply = _reply(error)
    if 400 <= error.code < 500:
        return TransientDeliveryError(reply, code=error.code)
    if recipient and error.code in _ADDRESS_REFUSED and "5.7." not in error.message[:8]:
        return HardBounce(reply, code=error.code)
    if error.code >= 500:
        return PermanentDeliveryError(reply, code=error.code)
    return TransientDeliveryError(reply, code=error.code)


def _reply(error: aiosmtplib.SMTPResponseException) -> str:
    return f"{error.code} {error.message}".strip()


async def _quit(client: aiosmtplib.SMTP) -> None:
    if not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
