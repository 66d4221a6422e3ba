"""No user-controlled text adds a header to a newsletter, from the files to the SMTP server.

Every field a person outside the code controls is tried with every attack: release title,
contact name and role (release files on disk), list label (config), subscriber name and
organisation, and the address itself (the services refuse it; a row planted in the
database past them is refused by the sender). Whatever is accepted is planned, sent
through a real SMTP server, and each received message is parsed: exactly the expected
headers, each once, no defect, `To` the envelope recipient. What is refused is refused
with the file and field (or the reason) named.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import update

from harness.sites import Site
from subscribers.errors import InvalidEmail, InvalidValue
from subscribers.membership import add_subscriber
from subscribers.schema import subscribers
from syndication.config import ListSettings, load_settings
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.errors import ConfigError
from syndication.releases import load_releases
from tests.delivery.conftest import smtp_settings
from tests.faults.fault_server import FaultServer, running_fault_server
from tests.mail.test_compose import EXPECTED_HEADERS
from tests.security.conftest import GOOD, Tally

ATTACKS = [
    "Title\r\nBcc: evil@example.org",
    "Title\nBcc: evil@example.org",
    "Title\rBcc: evil@example.org",
    "Title\r\n\r\n<script>alert(1)</script>",
    "Title\r\n X-Folded: continuation",
    "Title\u2028Bcc: evil@example.org",
    "Title\x85Bcc: evil@example.org",
    "Title\x00\x0bBcc: evil@example.org",
    "=?utf-8?q?Title=0D=0ABcc:_evil@example.org?=",
    "=?utf-8?b?VGl0bGUNCkJjYzogZXZpbEBleGFtcGxlLm9yZw==?=",
    "Title\r\nContent-Type: text/html\r\n\r\n<h1>spoof</h1>",
    "Évènement " + "x" * 990 + "\r\nBcc: evil@example.org",
]
ADDRESSES = [
    "victim@example.org\r\nBcc: evil@example.org", "victim@example.org\nTo: evil@example.org",
    "victim@example.org, evil@example.org", "Victim <victim@example.org>", '"a\r\nb"@example.org',
    "victim@example.org\x00", "victim@example.org%0d%0abcc:evil@example.org",
]
RELEASE = """id = "{id}"
published = 2026-03-02T10:00:00+01:00
lists = ["press"]
[fr]
title = {title}
body = "Corps du communiqué."
[nl]
title = {title}
body = "Tekst van het persbericht."
[[contacts]]
name = {name}
role = {{ fr = {role}, nl = {role} }}
email = "press@minsoc.fed.be"
"""


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (JSON escapes are TOML escapes for these)."""
    return json.dumps(text)


def write_releases(site: Site) -> dict[str, str]:
    """One release per (field, attack): the attack in that field only; id → field."""
    clean = toml_string("Service de presse")
    fields = {}
    for number, attack in enumerate(ATTACKS):
        for field in ("title", "name", "role"):
            values = {"title": toml_string("Titre"), "name": clean, "role": clean}
            values[field] = toml_string(attack)
            release_id = f"inject-{field}-{number}"
            path = site.settings.releases_dir / f"{release_id}.toml"
            path.write_text(RELEASE.format(id=release_id, **values), encoding="utf-8")
            fields[release_id] = field
    return fields


def check_message(raw: bytes, recipient: str) -> EmailMessage:
    """Parse a received message as a mail client would and check its header set."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert set(message.keys()) == EXPECTED_HEADERS, sorted(message.keys())
    assert len(message.keys()) == len(EXPECTED_HEADERS)
    assert message.defects == []
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html",
    ]
    assert all(part.defects == [] for part in message.iter_parts())
    assert message["To"] == recipient
    assert not set("\r\n") & set(str(message["Subject"]))
    return message


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A recording SMTP server."""
    with running_fault_server() as running:
        yield running


async def test_no_field_can_add_a_header(site: Site, server: FaultServer) -> None:
    tally = Tally("header injection attempts")
    site.add_subscriber("reader@example.org", languages=("fr", "nl"))
    recipients = ["reader@example.org", GOOD[0]]
    for number, attack in enumerate(ATTACKS):
        for field in ("name", "organisation"):
            try:
                add_subscriber(site.engine, f"{field}{number}@example.org", languages=("fr",),
                               lists=("press",), **{field: attack})
            except InvalidValue as error:
                reason = str(error)
                tally.add(f"subscriber {field}", "refused (reason named)")
                assert field in reason
            else:
                recipients.append(f"{field}{number}@example.org")
                tally.add(f"subscriber {field}", "accepted (one line)")
    for address in ADDRESSES:
        with pytest.raises(InvalidEmail):
            add_subscriber(site.engine, address, languages=("fr",), lists=("press",))
        tally.add("subscriber email", "refused (reason named)")
    planted = site.add_subscriber("planted@example.org", languages=("fr",))
    with site.engine.begin() as conn:  # a bad address planted past every check
        conn.execute(
            update(subscribers).where(subscribers.c.id == planted).values(email=ADDRESSES[0])
        )

    fields = write_releases(site)
    loaded = load_releases(site.settings, use_cache=False)
    accepted = [release for release in loaded.releases if release.id in fields]
    refused = {problem.source.rsplit("/", 1)[-1].removesuffix(".toml"): problem
               for problem in loaded.problems}
    for release_id, problem in refused.items():
        assert problem.field
        assert problem.reason
        tally.add(f"release {fields[release_id]}", "refused (file, field named)")
    for attack in ATTACKS:
        tally.add("list label (config)", _config_label_outcome(site, attack))
    planned = 0
    for number, release in enumerate(accepted):
        tally.add(f"release {fields[release.id]}", "accepted (sent clean)")
        label = ATTACKS[number % len(ATTACKS)]
        settings = dataclasses.replace(site.settings, lists={
            **site.settings.lists, "press": ListSettings("press", dict.fromkeys(
                site.settings.languages, label)),
        })
        planned += plan_release_alert(site.engine, settings, release, at=release.published)
        summary = await send_due(
            site.engine, smtp_settings(settings, server), {release.id: release},
            now=lambda: release.published,
        )
        assert summary.failed == 1  # the planted address, refused before any header is written
        assert summary.sent == len(recipients)
        tally.add("address planted in the database", "refused by the sender")

    messages = server.plan.messages
    assert len(messages) == len(accepted) * len(recipients)
    for received in messages:
        (recipient,) = received.recipients
        assert recipient in recipients
        check_message(received.content, recipient)
    tally.print()
    assert planned == len(accepted) * (len(recipients) + 1)


def _config_label_outcome(site: Site, attack: str) -> str:
    text = site.config.read_text(encoding="utf-8")
    start = text.index("[lists.press]\nlabel = ")
    end = text.index("\n", start + len("[lists.press]\n"))
    hostile = text[:start] + f"[lists.press]\nlabel = {{ fr = {toml_string(attack)}, nl = " \
        f"{toml_string(attack)} }}" + text[end:]
    path = site.config.parent / "hostile-config.toml"
    path.write_text(hostile, encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as error:
        fields = [problem.field for problem in error.problems]
    else:
        return "accepted (sent clean)"
    assert any("lists.press.label" in field for field in fields), fields
    return "refused (key named)"
