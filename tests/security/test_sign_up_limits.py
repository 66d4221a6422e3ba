"""The sign-up limits cannot be dodged by a forged X-Forwarded-For or by sub-addresses.

Issue 11, item 4: uvicorn believed `X-Forwarded-For` from 127.0.0.1, so 12 sign-ups with
12 made-up headers all got 200; and `victim+tag1..8@` counted as 8 addresses, 8
confirmations to one inbox. Now the header is believed from `[web] trusted_proxies` only
(through `run`'s own uvicorn config), confirmations are limited per mailbox, and per domain
on top.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mailbox
import socket
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from email import message_from_bytes

import httpx

from harness.sites import Site
from syndication.scheduler.runner import server_config
from syndication.web.app import create_app
from syndication.web.context import ADDRESS_LIMIT, DOMAIN_LIMIT, IP_LIMIT, mailbox_key
from tests.security.served import _Server

FORGED = 12


@contextlib.asynccontextmanager
async def running(site: Site, proxies: tuple[str, ...]) -> AsyncIterator[int]:
    """The app served as `run` serves it, trusting `proxies`, on a loopback port."""
    settings = replace(site.settings, web=replace(site.settings.web, trusted_proxies=proxies))
    listener = socket.create_server(("127.0.0.1", 0))
    server = _Server(server_config(settings, create_app(settings, site.engine)))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        await task
        listener.close()


async def forged_sign_ups(site: Site, proxies: tuple[str, ...]) -> Counter[int]:
    """FORGED sign-ups from this host, each claiming another client; their statuses."""
    async with running(site, proxies) as port, httpx.AsyncClient(timeout=10) as client:
        return Counter([
            (await client.post(
                f"http://127.0.0.1:{port}/subscribe",
                content=json.dumps({"email": f"forged{n}@example.org"}),
                headers={"Content-Type": "application/json",
                         "X-Forwarded-For": f"198.51.100.{n + 1}"},
            )).status_code
            for n in range(FORGED)
        ])


async def test_a_forged_forwarded_for_does_not_dodge_the_client_limit(site: Site) -> None:
    assert await forged_sign_ups(site, ()) == {200: IP_LIMIT.count, 429: FORGED - IP_LIMIT.count}


async def test_a_configured_proxy_names_its_clients(site: Site) -> None:
    assert await forged_sign_ups(site, ("127.0.0.0/8",)) == {200: FORGED}


def confirmations(site: Site) -> Counter[str]:
    """Confirmation emails in the site's Maildir, by recipient."""
    folder = site.settings.mail.maildir
    if not folder.exists():
        return Counter()
    box = mailbox.Maildir(folder, factory=None, create=False)
    messages = [message_from_bytes(box.get_bytes(key)) for key in box.keys()]
    return Counter(str(message["To"]) for message in messages
                   if str(message["Message-ID"]).startswith("<confirm."))


async def sign_up_each(site: Site, addresses: list[str]) -> Counter[int]:
    """Sign each address up from its own client address (no client limit in the way)."""
    app = create_app(site.settings, site.engine)
    statuses: Counter[int] = Counter()
    for number, email in enumerate(addresses):
        transport = httpx.ASGITransport(app=app, client=(f"203.0.113.{number % 250}", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answer = await client.post("/subscribe", content=json.dumps({"email": email}),
                                       headers={"Content-Type": "application/json"})
        statuses[answer.status_code] += 1
    return statuses


async def test_sub_addresses_share_their_mailbox_limit(site: Site) -> None:
    tagged = [f"victim+tag{n}@example.org" for n in range(1, 9)]
    statuses = await sign_up_each(site, [*tagged, "VICTIM@Example.org"])
    assert statuses == {200: ADDRESS_LIMIT.count, 429: 9 - ADDRESS_LIMIT.count}
    assert sum(confirmations(site).values()) == ADDRESS_LIMIT.count


async def test_one_domain_gets_at_most_its_domain_limit(site: Site) -> None:
    extra = 5
    people = [f"person{n}@target.example" for n in range(DOMAIN_LIMIT.count + extra)]
    statuses = await sign_up_each(site, [*people, "someone@elsewhere.example"])
    assert statuses == {200: DOMAIN_LIMIT.count + 1, 429: extra}
    sent = confirmations(site)
    assert sum(sent.values()) == DOMAIN_LIMIT.count + 1
    assert sent["someone@elsewhere.example"] == 1


def test_mailbox_key_folds_tags_and_ascii_case_only() -> None:
    assert mailbox_key("Victim+Tag1@Example.ORG") == "victim@example.org"
    assert mailbox_key("victim@example.org") == "victim@example.org"
    assert mailbox_key("\u017fam@example.org") == "\u017fam@example.org"  # "ſam" is not "sam"
    assert mailbox_key("\u00d6rg+x@example.org") == "\u00d6rg@example.org"  # ASCII case only
