"""`make demo` can be clicked through: its emails' links open the local server it starts.

The test runs the Makefile's own demo commands (read from the recipe, so a change there is
what is tested), then follows the links of a newsletter in the demo's Maildir through the
web app: the release page, the unsubscribe page and its button, the preferences page.
"""

from __future__ import annotations

import mailbox
import re
import shlex
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from harness.commands import CHECKOUT, Shell
from syndication.config import load_settings
from syndication.database import open_store
from syndication.web.app import create_app

MAKEFILE = (CHECKOUT / "Makefile").read_text(encoding="utf-8")
LINK = re.compile(r'https?://[^\s"<>\')]+')


def make_variable(name: str) -> str:
    """The default the Makefile gives a variable (`NAME ?= value`)."""
    found = re.search(rf"^(?:export )?{name} \?= (.+)$", MAKEFILE, re.MULTILINE)
    assert found, name
    return found.group(1).strip()


def demo_commands(site: Path) -> list[str]:
    """The `syndication` commands of the demo recipe that make the site (not `run`)."""
    recipe = MAKEFILE.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    lines = []
    for line in recipe.splitlines():
        line = line.strip().removesuffix("\\").strip().removesuffix(";").strip()
        if line.startswith("$(BIN)/syndication") and not line.endswith(" run"):
            line = line.replace("$(BIN)/syndication", "syndication")
            line = line.replace("$(SITE)", shlex.quote(str(site)))
            lines.append(line.replace("$(DEMO_URL)", make_variable("DEMO_URL")))
    return lines


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo site as `make demo` leaves it before it starts `run` (its secrets set here)."""
    site = tmp_path / "demo"
    for name in ("SYNDICATION_SECRET", "SYNDICATION_ADMIN_TOKEN"):
        monkeypatch.setenv(name, make_variable(name))
    shell = Shell.open(CHECKOUT, tmp_path / "bin")
    commands = demo_commands(site)
    assert [line.split()[1] for line in commands] == [
        "init", "--config", "--config", "--config", "--config"]
    for line in commands:
        done = shell.run(line)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    return site / "config.toml"


def newsletter(config: Path) -> EmailMessage:
    box = mailbox.Maildir(config.parent / "var" / "outbox", create=False)
    keys = sorted(box.keys())
    assert keys, "the demo mailed nothing"
    parsed = message_from_bytes(box.get_bytes(keys[0]), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_the_demo_emails_links_work_on_the_local_server(demo: Path) -> None:
    settings = load_settings(demo)
    local = make_variable("DEMO_URL")
    assert local == f"http://{settings.web.host}:{settings.web.port}"  # where `run` listens
    assert settings.base_url.rstrip("/") == local
    message = newsletter(demo)
    text = message.get_body(("plain",))
    assert text is not None
    links = set(LINK.findall(text.get_content())) | set(
        LINK.findall(str(message["List-Unsubscribe"])))
    ours = {link for link in links if link.startswith(local)}
    assert not any("press.example.be" in link for link in links)
    kinds = {urlsplit(link).path.split("/")[1] for link in ours}
    assert {"unsubscribe", "preferences"} <= kinds
    engine = open_store(settings)
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=local) as client:
            for link in sorted(ours):
                answer = await client.get(link)
                assert answer.status_code == 200, link
            unsubscribe = next(link for link in ours if "/unsubscribe/" in link)
            page = (await client.get(unsubscribe)).text
            form = {name: value for name, value in re.findall(
                r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
            done = await client.post(unsubscribe, data=form, headers={"Origin": local})
            assert done.status_code == 200
    finally:
        engine.dispose()
