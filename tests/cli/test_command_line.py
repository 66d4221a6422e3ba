"""What every steering command shares: exit 1 on an unusable config, 2 on a malformed line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from syndication.cli import cli
from tests.cli.conftest import Run


@pytest.mark.parametrize("arguments", [
    ("publish",), ("deliveries",), ("mailings", "list"), ("mailings", "retry", "alert:x"),
    ("mailings", "cancel", "alert:x", "--yes"), ("preview", "x"),
])
def test_a_missing_config_exits_1_naming_it(tmp_path: Path, arguments: tuple[str, ...]) -> None:
    missing = tmp_path / "nowhere.toml"

    result = CliRunner().invoke(cli, ["--config", str(missing), *arguments])

    assert result.exit_code == 1
    assert f"error: {missing}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("arguments", "words"), [
    (("publish", "--when", "now"), "No such option '--when'"),
    (("deliveries", "--format", "xml"), "'xml' is not one of 'table', 'json'"),
    (("mailings", "list", "--format", "csv"), "'csv' is not one of 'table', 'json'"),
    (("mailings", "cancel"), "Missing argument 'KEY'"),
    (("mailings", "retry"), "Missing argument 'KEY'"),
    (("mailings", "stop", "alert:x"), "No such command 'stop'"),
    (("preview", "x", "--format", "pdf"), "'pdf' is not one of 'html', 'text', 'eml'"),
])
def test_a_malformed_command_line_exits_2_saying_what(
    run: Run, arguments: tuple[str, ...], words: str
) -> None:
    result = run(*arguments)

    assert result.exit_code == 2
    assert words in result.output
