"""Config loading: typed values from the example, and every bad key named with its reason."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from syndication.config import load_settings
from syndication.errors import ConfigError


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
[site]
base_url = "https://press.example.be/"
languages = ["fr", "nl"]
"""


def test_example_config_is_read_into_typed_settings(example_site: Path) -> None:
    settings = load_settings(example_site)
    assert settings.languages == ("fr", "nl")
    assert settings.base_url == "https://press.example.be"
    assert str(settings.timezone) == "Europe/Brussels"
    assert settings.releases_dir == example_site.parent.resolve() / "releases"
    assert settings.database_url == f"sqlite:///{example_site.parent.resolve()}/var/syndication.db"
    assert settings.mail.maildir == example_site.parent.resolve() / "var/outbox"
    assert settings.mail.max_age == timedelta(hours=24)
    assert settings.schedule.daily_digest == time(8, 0)
    assert settings.schedule.weekly_digest.weekday == 0
    assert settings.contacts["koen-vleminckx"].phone == "+32473636124"
    assert settings.contacts["koen-vleminckx"].phone_display == "+32 473 63 61 24"
    assert settings.themes["international"].label["nl"] == "Internationaal"
    assert "accredited" in settings.lists


def test_minimal_config_takes_defaults(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, MINIMAL))
    assert settings.mail.transport == "maildir"
    assert settings.mail.smtp.concurrency == 10
    assert settings.feed_items == 50
    assert settings.web.secret_env == "SYNDICATION_SECRET"


def test_every_bad_key_is_named_with_its_reason(tmp_path: Path) -> None:
    path = write_config(tmp_path, MINIMAL.replace('languages = ["fr", "nl"]', 'languages = ["fr", "xx-notalang"]\ncolour = "red"') + """
[mail]
transport = "pigeon"
retry_base = "soon"
max_attempts = 0
[mail.smtp]
port = "25"
[schedule]
weekly_digest = "someday 08:00"
[contacts.bad]
name = "Nobody"
phone = "12"
email = "not-an-address"
""")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    messages = [str(problem) for problem in raised.value.problems]
    expected = {
        "site.languages": "xx-notalang",
        "site.colour": "is not a known field",
        "mail.transport": "must be one of maildir, smtp",
        "mail.retry_base": "is not a duration",
        "mail.max_attempts": "must be at least 1",
        "mail.smtp.port": "must be an integer",
        "schedule.weekly_digest": "monday 08:00",
        "contacts.bad.phone": "not a valid phone number",
        "contacts.bad.email": "not a valid email address",
    }
    for field, reason in expected.items():
        assert any(f"{path}: {field}: " in m and reason in m for m in messages), (field, messages)
    assert len(messages) == len(expected)


def test_missing_and_malformed_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(write_config(tmp_path, "[site\n"))


def test_secrets_come_only_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, MINIMAL + '[web]\nsecret_env = "MY_SECRET"\n')
    settings = load_settings(path)
    monkeypatch.delenv("MY_SECRET", raising=False)
    assert settings.secret() is None
    assert any("MY_SECRET" in missing for missing in settings.missing_secrets())
    monkeypatch.setenv("MY_SECRET", "s3cret")
    assert settings.secret() == b"s3cret"
