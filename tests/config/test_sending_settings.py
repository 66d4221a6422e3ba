"""`[mail.dkim]` and `[mail.domains."<domain>"]`: read into settings, every bad key named."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.dkim import ED25519_ENV, RSA_ENV, DkimTestKeys
from syndication.cli import cli
from syndication.config import load_settings
from syndication.errors import ConfigError
from syndication.sending_settings import DkimKeySettings, DomainLimit

SITE = """
[site]
base_url = "https://press.example.be/"
languages = ["fr", "nl"]
"""
DKIM = f"""
[mail.dkim]
domain = "minsoc.fed.be"
selector = "rsa1"
private_key_env = "{RSA_ENV}"
ed25519_selector = "ed1"
ed25519_private_key_env = "{ED25519_ENV}"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "releases").mkdir(exist_ok=True)
    path = tmp_path / "config.toml"
    path.write_text(SITE + text, encoding="utf-8")
    return path


def test_dkim_and_domain_limits_are_read(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, DKIM + """
[mail.domains."Gmail.com"]
concurrency = 2
rate = 20
[mail.domains."outlook.com"]
rate = 5.5
"""))
    assert settings.mail.dkim is not None
    assert settings.mail.dkim.domain == "minsoc.fed.be"
    assert settings.mail.dkim.keys == (
        DkimKeySettings("rsa1", RSA_ENV), DkimKeySettings("ed1", ED25519_ENV),
    )
    assert settings.mail.domains == {
        "gmail.com": DomainLimit(concurrency=2, rate=20.0),
        "outlook.com": DomainLimit(concurrency=None, rate=5.5),
    }


def test_without_the_tables_nothing_is_signed_or_limited(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""))
    assert settings.mail.dkim is None
    assert settings.mail.domains == {}


def test_every_bad_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, """
[mail.dkim]
selector = "not a selector!"
keyfile = "/etc/dkim.pem"
[mail.domains."not a domain"]
rate = 1
[mail.domains."example.org"]
concurrency = 0
[mail.domains."example.net"]
"""))
    message = str(raised.value)
    assert "mail.dkim.domain: is required" in message
    assert "mail.dkim.selector: must be a DNS name" in message
    assert "mail.dkim.keyfile: is not a known field" in message
    assert "mail.domains.not a domain: the table's name must be a recipient domain" in message
    assert "mail.domains.example.org.concurrency" in message
    assert "mail.domains.example.net: set concurrency, rate or both" in message


def test_check_prints_the_records_to_publish(
    tmp_path: Path, secrets_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = DkimTestKeys.generate("minsoc.fed.be")
    keys.install(monkeypatch.setenv)
    config = write(tmp_path, DKIM)
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output
    records = keys.records()
    for line in ("rsa1._domainkey.minsoc.fed.be. IN TXT", "ed1._domainkey.minsoc.fed.be. IN TXT"):
        assert f"DKIM: publish this DNS record: {line}" in result.output
    assert records[b"rsa1._domainkey.minsoc.fed.be."].decode()[:200] in result.output


def test_check_names_a_missing_key(
    tmp_path: Path, secrets_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    DkimTestKeys.generate("minsoc.fed.be").install(monkeypatch.setenv)
    monkeypatch.delenv(ED25519_ENV)
    result = CliRunner().invoke(cli, ["--config", str(write(tmp_path, DKIM)), "check"])
    assert result.exit_code == 1
    assert (f"mail.dkim.ed25519_private_key_env: the environment variable {ED25519_ENV} "
            "is not set") in result.output
    assert "rsa1._domainkey.minsoc.fed.be. IN TXT" in result.output  # the good one still
    assert "Traceback" not in result.output


def test_the_documented_example_keys_are_valid(tmp_path: Path) -> None:
    from syndication.resources import EXAMPLE_SITE_DIR

    text = (EXAMPLE_SITE_DIR / "config.toml").read_text(encoding="utf-8")
    start = text.index("# [mail.dkim]")
    block = text[start:text.index("\n\n", text.index('# [mail.domains."gmail.com"]'))]
    uncommented = "\n".join(line.removeprefix("# ") for line in block.splitlines()
                            if not line.startswith("#  "))
    settings = load_settings(write(tmp_path, uncommented))
    assert settings.mail.dkim is not None
    assert [key.selector for key in settings.mail.dkim.keys] == ["press2026", "press2026e"]
    assert settings.mail.domains == {"gmail.com": DomainLimit(concurrency=2, rate=20.0)}


@pytest.mark.parametrize("command", ["send", "run"])
def test_send_and_run_refuse_to_send_unsigned(
    example_site: Path, secrets_env: None, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.delenv(RSA_ENV, raising=False)
    text = example_site.read_text(encoding="utf-8")
    example_site.write_text(text + DKIM.replace("ed25519_", "# ed25519_"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(example_site), command])
    assert result.exit_code == 1, result.output
    assert f"mail.dkim.private_key_env: the environment variable {RSA_ENV} is not set" in (
        result.output)
    assert "Traceback" not in result.output
