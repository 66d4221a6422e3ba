"""The `[web]` keys that guard `run`: `trusted_proxies` and `allowed_origins`, validated.

A proxy is an IP address or network, an origin is a scheme, host and port (no path); a bad
one is a config problem naming the key and the value. Defaults: no proxy, and the origin of
`base_url`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syndication.config import WebSettings, load_settings
from syndication.errors import ConfigError

SITE = '[site]\nbase_url = "https://Press.Example.be/news/"\nlanguages = ["fr"]\n'


def web_settings(tmp_path: Path, web: str = "") -> WebSettings:
    """The [web] settings of a minimal config with `web` as its [web] table."""
    config = tmp_path / "config.toml"
    config.write_text(SITE + (f"[web]\n{web}\n" if web else ""), encoding="utf-8")
    return load_settings(config).web


def problems(tmp_path: Path, web: str) -> list[str]:
    """The config problems of a minimal config with `web` as its [web] table."""
    with pytest.raises(ConfigError) as raised:
        web_settings(tmp_path, web)
    return [str(problem) for problem in raised.value.problems]


def test_defaults_trust_no_proxy_and_allow_the_base_url_origin(tmp_path: Path) -> None:
    web = web_settings(tmp_path)
    assert web.trusted_proxies == ()
    assert web.allowed_origins == ("https://press.example.be",)


def test_good_values_are_kept_in_canonical_form(tmp_path: Path) -> None:
    web = web_settings(tmp_path, 'trusted_proxies = ["10.0.0.1", "10.1.0.0/16", "::1"]\n'
                       'allowed_origins = ["https://A.example:8443/", "http://b.example:80"]')
    assert web.trusted_proxies == ("10.0.0.1/32", "10.1.0.0/16", "::1/128")
    assert web.allowed_origins == ("https://a.example:8443", "http://b.example")


def test_a_bad_proxy_is_named(tmp_path: Path) -> None:
    messages = problems(tmp_path, 'trusted_proxies = ["10.0.0.1", "proxy.example"]')
    assert len(messages) == 1
    assert "web.trusted_proxies" in messages[0]
    assert "proxy.example" in messages[0]


def test_a_bad_origin_is_named(tmp_path: Path) -> None:
    messages = problems(
        tmp_path, 'allowed_origins = ["https://a.example:8443", "https://b.example/path", "evil"]'
    )
    assert len(messages) == 2
    assert all("web.allowed_origins" in message for message in messages), messages
    assert any("b.example/path" in message for message in messages)
