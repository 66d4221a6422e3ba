"""`[mail] return_path` and `[bounces]`: read, defaulted, and refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sites import make_site
from syndication.bounce_settings import LOOPBACK
from syndication.config import load_settings
from syndication.errors import ConfigError
from tests.bounces.conftest import RETURN_PATH, configure


def _config(tmp_path: Path, *, bounces: str = "", return_path: bool = True) -> Path:
    config = make_site(tmp_path / "site")
    if return_path:
        configure(config, bounces=bounces)
    return config


def test_without_return_path_or_bounces_nothing_changes(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, return_path=False))

    assert settings.mail.return_path is None
    assert settings.bounces.listen is None
    assert settings.bounces.maildir is None
    assert settings.bounces.allow == LOOPBACK


def test_every_key_is_read(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, bounces=(
        'listen = "127.0.0.1:2525"\nallow = ["10.1.2.3", "192.0.2.0/24"]\n'
        'maildir = "var/bounces"\nlmtp = true')))

    assert settings.mail.return_path == RETURN_PATH
    assert settings.bounces.listen == ("127.0.0.1", 2525)
    assert settings.bounces.allow == ("10.1.2.3/32", "192.0.2.0/24")
    assert settings.bounces.maildir == settings.config_path.parent / "var" / "bounces"
    assert settings.bounces.lmtp is True


@pytest.mark.parametrize(("lines", "field", "reason"), [
    ('listen = "2525"', "bounces.listen", 'is not "host:port"'),
    ('listen = "localhost:2525"', "bounces.listen", "is not an IP address"),
    ('listen = "127.0.0.1:99999"', "bounces.listen", 'is not "host:port"'),
    ('allow = ["everyone"]', "bounces.allow", "'everyone' is not an IP address or network"),
    ('allowed = ["127.0.0.1"]', "bounces.allowed", "not a known field"),
])
def test_a_bad_bounces_key_names_its_field_and_reason(
    tmp_path: Path, lines: str, field: str, reason: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(_config(tmp_path, bounces=lines))

    assert any(problem.field == field and reason in problem.reason
               for problem in raised.value.problems), raised.value.problems


def test_a_return_path_too_long_for_its_token_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path)
    text = config.read_text(encoding="utf-8").replace(RETURN_PATH, "b" * 35 + "@press.example.be")
    config.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_settings(config)

    (problem,) = raised.value.problems
    assert problem.field == "mail.return_path"
    assert "at most 34 characters" in problem.reason
