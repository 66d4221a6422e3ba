"""`send`, `deliveries` and `preview` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from syndication.cli import cli
from tests.delivery.smtp_server import SmtpServer

SENEGAL = "2026-02-10-belincosoc-senegal"  # French only, list press
PENSION = "2027-03-15-pension-adequacy-study"


def run(config: Path, *arguments: str) -> Result:
    """Run `syndication --config CONFIG ARGUMENTS...`."""
    return CliRunner().invoke(cli, ["--config", str(config), *arguments])


@pytest.fixture
def smtp_site(example_site: Path, smtp_server: SmtpServer) -> Path:
    """The example site sending through the test SMTP server, with subscribers."""
    text = example_site.read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", f"port = {smtp_server.port} ")
    example_site.write_text(text, encoding="utf-8")
    for address in ("ok@example.org", "gone@example.org"):
        added = run(example_site, "subscribers", "add", address, "--languages", "fr")
        assert added.exit_code == 0, added.output
    smtp_server.handler.refuse("gone@example.org")
    published = run(example_site, "publish", "--at", "2026-02-10T16:31:00+01:00")
    assert published.exit_code == 0, published.output
    return example_site


def test_send_delivers_reports_failures_and_exits_1(
    smtp_site: Path, smtp_server: SmtpServer
) -> None:
    dry = run(smtp_site, "send", "--dry-run")
    sent = run(smtp_site, "send")
    table = run(smtp_site, "deliveries")
    report = json.loads(run(smtp_site, "deliveries", SENEGAL, "--format", "json").output)

    assert (dry.exit_code, dry.output) == (0, "2 deliveries are due; nothing sent (dry run).\n")
    assert sent.exit_code == 1
    assert "Sent 1, failed 1 (1 bounced), to retry later 0" in sent.output
    assert smtp_server.handler.recipients() == ["ok@example.org"]
    assert table.exit_code == 0
    assert f"alert:{SENEGAL}" in table.output
    assert "550 5.1.1 No such user here" in table.output
    assert report["mailings"][0]["counts"] == {
        "planned": 0,
        "sending": 0,
        "sent": 1,
        "failed": 0,
        "bounced": 1,
        "skipped": 0,
    }
    assert report["failures"] == [
        {
            "mailing": f"alert:{SENEGAL}",
            "status": "bounced",
            "count": 1,
            "reply": "550 5.1.1 No such user here",
        }
    ]
    assert "gone@example.org" not in table.output


def test_send_refuses_without_the_secret_and_names_the_variable(
    smtp_site: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    monkeypatch.delenv("SYNDICATION_SECRET")

    result = run(smtp_site, "send")

    assert result.exit_code == 1
    assert "SYNDICATION_SECRET" in result.output
    assert "Traceback" not in result.output
    assert smtp_server.handler.messages == []


def test_preview_prints_each_format_and_sends_a_test_message(
    smtp_site: Path, smtp_server: SmtpServer
) -> None:
    html = run(smtp_site, "preview", PENSION, "--lang", "nl")
    text = run(smtp_site, "preview", PENSION, "--lang", "fr,nl", "--format", "text")
    eml = run(smtp_site, "preview", PENSION, "--lang", "fr", "--format", "eml")
    test = run(smtp_site, "preview", PENSION, "--lang", "fr", "--to", "Editor@Example.org")

    assert html.exit_code == text.exit_code == eml.exit_code == test.exit_code == 0
    assert "<html" in html.output
    assert "EMBARGO" not in html.output
    assert text.output.index("Français") < text.output.index("Nederlands")
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in eml.output
    (received,) = smtp_server.handler.messages
    assert received.recipients == ("Editor@example.org",)
    assert received.parsed()["To"] == "Editor@example.org"


def test_preview_usage_errors(smtp_site: Path) -> None:
    wrong_language = run(smtp_site, "preview", PENSION, "--lang", "de")
    unknown = run(smtp_site, "preview", "no-such-release", "--lang", "fr")
    bad_address = run(smtp_site, "preview", PENSION, "--lang", "fr", "--to", "nobody")

    assert (wrong_language.exit_code, unknown.exit_code, bad_address.exit_code) == (1, 1, 2)  # SPEC "Precisely": a language it lacks names nothing
    assert "no valid release 'no-such-release'" in unknown.output
