"""Internationalised addresses over real SMTP (issue 11, item 16; RFC 5890, RFC 6531).

An IDN domain goes as its A-label, to any server; a non-ASCII local part goes with
SMTPUTF8 where the server offers it, and otherwise fails for good with a reply saying
why, never a crash or a retry. A web sign-up of `user@bücher.de` gets its confirmation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from harness.ports import free_port
from harness.sites import Site
from subscribers import find_subscriber
from syndication.config import SmtpSettings
from syndication.delivery.transports.smtp import SmtpTransport
from syndication.errors import PermanentDeliveryError
from syndication.web.app import create_app

MESSAGE = b"From: press@example.be\r\nTo: x\r\nSubject: hello\r\n\r\nBody.\r\n"


@dataclass
class Envelopes:
    """What the server accepted: (MAIL FROM options, RCPT TO addresses, content)."""

    seen: list[tuple[list[str], list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen.append((list(envelope.mail_options), list(envelope.rcpt_tos),
                          bytes(envelope.original_content or envelope.content)))
        return "250 OK"


@pytest.fixture(params=[False, True], ids=["plain", "smtputf8"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[int, Envelopes, bool]]:
    handler = Envelopes()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            enable_SMTPUTF8=request.param)
    controller.start()
    try:
        yield port, handler, request.param
    finally:
        controller.stop()


async def send(port: int, recipient: str) -> str:
    transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, concurrency=1))
    try:
        return await transport.send(sender="press@example.be", recipient=recipient,
                                    message=MESSAGE)
    finally:
        await transport.close()


async def test_an_idn_domain_goes_as_its_a_label(server: tuple[int, Envelopes, bool]) -> None:
    port, handler, _utf8 = server
    reply = await send(port, "user@bücher.de")
    assert reply.startswith("250")
    [(options, recipients, _content)] = handler.seen
    assert recipients == ["user@xn--bcher-kva.de"]
    assert "SMTPUTF8" not in options  # not needed: everything is ASCII now


async def test_a_non_ascii_local_part_needs_smtputf8(
    server: tuple[int, Envelopes, bool]
) -> None:
    port, handler, utf8 = server
    if utf8:
        assert (await send(port, "jürgen@bücher.de")).startswith("250")
        [(options, recipients, _content)] = handler.seen
        assert recipients == ["jürgen@xn--bcher-kva.de"]
        assert "SMTPUTF8" in options
    else:
        with pytest.raises(PermanentDeliveryError, match="does not offer SMTPUTF8") as refused:
            await send(port, "jürgen@bücher.de")
        assert "jürgen" not in refused.value.reply  # the reply is stored: no address in it
        assert handler.seen == []
        # The connection is still good for the next message.
        assert (await send(port, "user@bücher.de")).startswith("250")


async def test_a_web_sign_up_of_an_idn_address_gets_its_confirmation(empty_site: Site) -> None:
    site = empty_site
    handler = Envelopes()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = dataclasses.replace(site.settings.mail.smtp, host="127.0.0.1", port=port)
        settings = dataclasses.replace(site.settings, mail=dataclasses.replace(
            site.settings.mail, transport="smtp", smtp=smtp))
        transport = httpx.ASGITransport(app=create_app(settings, site.engine),
                                        client=("192.0.2.50", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            answer = await web.post("/subscribe", content="email=Reader%40B%C3%BCcher.de",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 200
    finally:
        controller.stop()
    [(_options, recipients, content)] = handler.seen
    assert recipients == ["Reader@xn--bcher-kva.de"]
    assert b"\r\nTo: Reader@xn--bcher-kva.de\r\n" in content
    assert find_subscriber(site.engine, "reader@xn--bcher-kva.de").email == "Reader@bücher.de"
