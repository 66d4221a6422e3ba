"""Every steering command exits 1, naming the file, when the config cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from syndication.cli import cli


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
