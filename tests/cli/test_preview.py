"""`preview` of every kind of message: alert, embargo notice, digest; every exit status."""

from __future__ import annotations

import email
from email.message import Message

import pytest

from harness.sites import Site
from tests.cli.conftest import Run


@pytest.fixture
def releases(site: Site) -> Site:
    """An embargoed release, and two releases of the daily digest of 29 March 2026."""
    site.add_release("seed", "2026-03-28T09:00:00+01:00")
    site.add_release("early", "2026-03-29T07:00:00+02:00")
    site.add_release("secret", "2026-04-02T10:00:00+02:00",
                     embargo=("accredited", "2026-04-01T10:00:00+02:00"))
    return site


def parsed(output: bytes) -> Message:
    return email.message_from_bytes(output)


def test_an_alert_by_default_in_every_language_of_the_release(releases: Site, run: Run) -> None:
    result = run("preview", "seed", "--format", "text")

    assert result.exit_code == 0, result.output
    assert result.output.index("Titre seed") < result.output.index("Titel seed")
    assert "EMBARGO" not in result.output


def test_the_embargo_notice_of_a_release(releases: Site, run: Run) -> None:
    text = run("preview", "secret", "--kind", "embargo", "--lang", "fr", "--format", "text")
    eml = run("preview", "secret", "--kind", "embargo", "--format", "eml")

    assert text.exit_code == eml.exit_code == 0
    assert "EMBARGO jusqu'au 2 avril 2026 à 10:00" in text.output
    assert "<accredited.press.example.be>" in parsed(eml.stdout_bytes)["List-Id"]


def test_the_embargo_notice_of_a_release_without_embargo_exits_1(
    releases: Site, run: Run
) -> None:
    result = run("preview", "seed", "--kind", "embargo")

    assert result.exit_code == 1
    assert "release 'seed' has no embargo: it has no embargo notice" in result.output


def test_an_unknown_release_exits_1_naming_it(releases: Site, run: Run) -> None:
    result = run("preview", "nope", "--kind", "alert")

    assert result.exit_code == 1
    assert "no valid release 'nope' (valid: seed, early, secret)" in result.output


def test_a_digest_of_what_became_public_in_the_period(releases: Site, run: Run) -> None:
    text = run("preview", "--digest", "daily", "--at", "2026-03-29T08:00:00+02:00",
               "--lang", "nl", "--format", "text")
    eml = run("preview", "--digest", "daily", "--at", "2026-03-29T06:00:00Z", "--format", "eml")

    assert text.exit_code == 0, text.output
    assert text.output.index("Titel seed") < text.output.index("Titel early")
    assert "Titre" not in text.output
    assert "secret" not in text.output
    message = parsed(eml.stdout_bytes)
    assert eml.exit_code == 0
    assert message["List-Id"] == "<daily-digest.press.example.be>"
    assert message["Content-Language"] == "fr, nl"


def test_a_weekly_digest_reaches_back_a_week(releases: Site, run: Run) -> None:
    result = run("preview", "--digest", "weekly", "--at", "2026-03-30T08:00:00+02:00",
                 "--format", "text", "--lang", "fr")

    assert result.exit_code == 0, result.output
    assert "Titre seed" in result.output
    assert "Titre early" in result.output


def test_a_digest_with_nothing_in_its_period_exits_1(releases: Site, run: Run) -> None:
    result = run("preview", "--digest", "daily", "--at", "2026-03-30T08:00:00+02:00")

    assert result.exit_code == 1
    assert "nothing became public in fr, nl in the daily digest's period" in result.output
    assert "2026-03-29T08:00+02:00 – 2026-03-30T08:00+02:00" in result.output
    assert "that digest would not be sent" in result.output


@pytest.mark.parametrize(("arguments", "words"), [
    ((), "give a RELEASE, or --digest daily|weekly --at TIME (not both)"),
    (("seed", "--digest", "daily", "--at", "2026-03-29T06:00:00Z"), "(not both)"),
    (("--digest", "daily"), "--digest needs --at TIME"),
    (("seed", "--at", "2026-03-29T06:00:00Z"), "--at is for --digest"),
    (("--digest", "daily", "--at", "2026-03-29T06:00:00Z", "--kind", "alert"),
     "--kind is for a RELEASE's messages"),
    (("--digest", "hourly", "--at", "2026-03-29T06:00:00Z"), "'hourly' is not one of"),
    (("--digest", "daily", "--at", "tomorrow"), "RFC 3339"),
    (("seed", "--kind", "newsletter"), "'newsletter' is not one of 'alert', 'embargo'"),
    (("seed", "--to", "nobody"), "--to"),
])
def test_usage_errors_exit_2(releases: Site, run: Run, arguments: tuple[str, ...],
                             words: str) -> None:
    result = run("preview", *arguments)

    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.parametrize(("arguments", "words"), [
    (("--digest", "daily", "--at", "2026-03-29T06:00:00Z", "--lang", "de"),
     "this site is in fr, nl"),
    (("seed", "--lang", "de"), "this release is in fr, nl"),
])
def test_a_language_it_is_not_written_in_exits_1(releases: Site, run: Run,
                                                  arguments: tuple[str, ...], words: str) -> None:
    result = run("preview", *arguments)

    assert result.exit_code == 1  # SPEC "Precisely": well-formed, names nothing that exists
    assert words in result.output


def test_a_test_message_the_server_refuses_exits_1(releases: Site, run: Run) -> None:
    text = releases.config.read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", "port = 1 ")  # nothing listens there
    releases.config.write_text(text, encoding="utf-8")

    result = run("preview", "seed", "--to", "editor@example.org")

    assert result.exit_code == 1
    assert "the test message to editor@example.org was not sent" in result.output


def test_the_correction_notice_of_a_corrected_release(releases: Site, run: Run) -> None:
    path = releases.settings.releases_dir / "seed.toml"
    path.write_text(path.read_text("utf-8").replace(
        "themes =", 'updated = 2026-03-30T15:00:00+02:00\nthemes ='
    ) + '[correction]\nnote = { fr = "Le montant est corrigé.", nl = "Bedrag gecorrigeerd." }\n'
        'notify = true\n', "utf-8")
    text = run("preview", "seed", "--kind", "correction", "--lang", "nl", "--format", "text")
    eml = run("preview", "seed", "--kind", "correction", "--lang", "fr", "--format", "eml")
    plain = run("preview", "early", "--kind", "correction")

    assert text.exit_code == 0, text.output
    assert "CORRECTIE van 30 maart 2026 om 15:00" in text.output
    assert "Bedrag gecorrigeerd." in text.output
    assert "Le montant" not in text.output
    assert eml.exit_code == 0, eml.output
    assert parsed(eml.stdout_bytes)["Subject"] == "Correctif : Titre seed"
    assert plain.exit_code == 1
    assert "release 'early' has no [correction]: it has no correction notice" in plain.output
