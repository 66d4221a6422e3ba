"""A new operator's first minutes: `init`, then `check` says exactly what to export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from syndication.cli import cli
from syndication.secret_strength import weakness


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SYNDICATION_SECRET", "SYNDICATION_ADMIN_TOKEN", "SYNDICATION_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def test_secret_prints_a_new_strong_secret_each_time() -> None:
    first = CliRunner().invoke(cli, ["secret"])
    second = CliRunner().invoke(cli, ["secret"])

    assert first.exit_code == second.exit_code == 0
    value = first.output.strip()
    assert weakness(value) is None
    assert len(value) >= 64
    assert value != second.output.strip()


def test_check_right_after_init_names_the_exports(tmp_path: Path, no_secrets: None) -> None:
    site = tmp_path / "mysite"
    created = CliRunner().invoke(cli, ["init", str(site)])
    assert created.exit_code == 0
    assert 'export SYNDICATION_SECRET="$(syndication secret)"' in created.output

    checked = CliRunner().invoke(cli, ["check", "--config", str(site / "config.toml")])

    assert checked.exit_code == 1
    for name in ("SYNDICATION_SECRET", "SYNDICATION_ADMIN_TOKEN"):
        assert f'export {name}="$(syndication secret)"' in checked.output
    assert "2 problems." in checked.output


def test_check_after_init_with_the_exports_passes(
    tmp_path: Path, no_secrets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "mysite"
    assert CliRunner().invoke(cli, ["init", str(site)]).exit_code == 0
    for name in ("SYNDICATION_SECRET", "SYNDICATION_ADMIN_TOKEN"):
        monkeypatch.setenv(name, CliRunner().invoke(cli, ["secret"]).output.strip())

    checked = CliRunner().invoke(cli, ["check", "--config", str(site / "config.toml")])

    assert checked.exit_code == 0, checked.output
    assert "0 problems." in checked.output
