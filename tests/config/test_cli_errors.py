"""Bad configs on the command line: one line naming the key and reason, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from syndication.cli import cli


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output + (result.stderr or "")


def set_database(config: Path, url: str) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/syndication.db"', f'url = "{url}"'),
                      encoding="utf-8")


def test_an_unsupported_database_is_a_config_error(example_site: Path) -> None:
    set_database(example_site, "mysql://root@127.0.0.1/test")
    code, output = run(example_site, "check")
    assert code == 1
    assert "database.url: must start with sqlite:/// or postgresql+psycopg://" in output
    assert "Traceback" not in output


def test_an_unreachable_database_is_named_without_its_password(example_site: Path) -> None:
    set_database(example_site, "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/none")
    code, output = run(example_site, "build")
    assert code == 1
    assert "database.url: cannot open postgresql+psycopg://postgres:***@127.0.0.1:1/none" in output
    assert "hunter2" not in output
    assert "Traceback" not in output


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    code, output = run(tmp_path / "absent.toml", "check")
    assert code == 1
    assert f"{tmp_path / 'absent.toml'}: no such config file" in output
