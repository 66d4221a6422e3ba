"""`[log]`: text and JSON lines with their offset; `SYNDICATION_DATABASE_URL` wins over the file."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harness.sites import Site
from syndication.config import load_settings
from syndication.errors import ConfigError
from syndication.log_settings import LogSettings
from syndication.logs import configure_logging
from syndication.web.access import FILES, route_template
from syndication.web.app import create_app

BRUSSELS = ZoneInfo("Europe/Brussels")
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_offset_and_the_event_fields(restore_root: None) -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(format="json"), BRUSSELS, stream=stream)
    logging.getLogger("syndication.scheduler").info(
        "tick at %s: published %s", "T", "r1", extra={"releases_published": ["r1"]}
    )
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "tick at T: published r1"
    assert record["level"] == "INFO"
    assert record["logger"] == "syndication.scheduler"
    assert record["releases_published"] == ["r1"]
    assert OFFSET.match(record["time"]), record["time"]
    assert record["time"][-6:] in ("+01:00", "+02:00")  # Brussels, winter or summer


def test_text_lines_carry_the_offset(restore_root: None) -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(), ZoneInfo("UTC"), stream=stream)
    logging.getLogger("syndication.access").info("GET /healthz 200")
    stamp, level, name, message = stream.getvalue().rstrip("\n").split(" ", 3)
    assert OFFSET.match(stamp)
    assert stamp.endswith("+00:00")
    assert (level, name, message) == ("INFO", "syndication.access", "GET /healthz 200")


def config_with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[site]\nbase_url = "https://press.example.be"\nlanguages = ["fr"]\n'
                    'title = { fr = "T" }\n' + extra, encoding="utf-8")
    return path


def test_log_format_is_read_and_checked(tmp_path: Path) -> None:
    assert load_settings(config_with(tmp_path, '[log]\nformat = "json"\n')).log.format == "json"
    assert load_settings(config_with(tmp_path, "")).log.format == "text"
    with pytest.raises(ConfigError) as caught:
        load_settings(config_with(tmp_path, '[log]\nformat = "xml"\ncolour = true\n'))
    text = str(caught.value)
    assert "log.format" in text
    assert "text, json" in text
    assert "log.colour" in text


def test_the_environment_url_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_with(tmp_path, '[database]\nurl = "sqlite:///var/file.db"\n')
    assert load_settings(config).database_url == f"sqlite:///{tmp_path}/var/file.db"
    monkeypatch.setenv("SYNDICATION_DATABASE_URL", "postgresql+psycopg://app@db.internal/press")
    assert load_settings(config).database_url == "postgresql+psycopg://app@db.internal/press"
    monkeypatch.setenv("SYNDICATION_DATABASE_URL", "mysql://nope")
    with pytest.raises(ConfigError, match="from SYNDICATION_DATABASE_URL"):
        load_settings(config)


def test_requests_are_named_by_their_route_template(empty_site: Site) -> None:
    app = create_app(empty_site.settings, empty_site.engine)

    def scope(path: str, method: str = "GET") -> dict[str, object]:
        return {"type": "http", "path": path, "method": method, "root_path": ""}
    assert route_template(app.routes, scope("/confirm/abc.def")) == "/confirm/{token}"
    assert route_template(app.routes, scope("/api/subscribers/a@b.example")) == (
        "/api/subscribers/{email:path}"
    )
    assert route_template(app.routes, scope("/fr/index.html")) == FILES
    assert route_template(app.routes, scope("/metrics", "DELETE")) == "/metrics"
