"""The user's documentation builds with no warning, and its generated references are whole.

`mkdocs build --strict` fails on any warning: a broken link between pages, a page missing
from the nav, a bad anchor. The references are generated from the sources at each build
(docs/hooks/reference.py); these tests check that what they are generated from is all in.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from harness.reference import (
    CHECKOUT,
    CONFIG_EXAMPLE,
    api_reference,
    cli_reference,
    commands,
    config_reference,
    config_tables,
)
from syndication.cli import cli
from syndication.cli.options import accept_everywhere
from syndication.config import load_settings
from syndication.web.openapi import OPENAPI
from tests.docs.fields_read import record_fields_read

accept_everywhere(cli)


def test_the_docs_build_strictly_with_no_warning(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=CHECKOUT, capture_output=True, text=True, timeout=300, check=False,
    )

    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    cli_page = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "syndication subscribers add" in cli_page
    seed = (tmp_path / "site" / "release-format" / "index.html").read_text(encoding="utf-8")
    assert "2016-08-31-belincosoc-china" in seed
    assert "include:" not in seed
    assert (tmp_path / "site" / "reference" / "openapi.json").is_file()


def test_every_command_is_in_the_cli_reference() -> None:
    page = cli_reference(cli)
    paths = [" ".join(path) for path, _ in commands(cli)]

    assert len(paths) > 20
    for name in paths:
        assert f"\n## {name}\n" in page, name
        assert f"Usage: {name} " in page, name


NAMED_TABLES = ("themes.", "lists.", "contacts.", "mail.domains.")  # the site names them


def family(dotted: str) -> str:
    """`lists.press.public` → `lists.*.public`: a key of any table its site names."""
    for prefix in NAMED_TABLES:
        if dotted.startswith(prefix):
            rest = dotted.removeprefix(prefix)
            name, dot, tail = rest.replace('"', "").partition(".")
            return f"{prefix}*{dot}{tail}" if name else dotted
    return dotted


def test_every_config_key_the_parser_reads_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = record_fields_read(monkeypatch)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    load_settings(config)
    documented = {family(key.dotted) for table in config_tables(CONFIG_EXAMPLE.read_text("utf-8"))
                  for key in table.keys}

    def is_documented(name: str) -> bool:  # a key, a value inside it (label.nl), a table
        return any(name == key or name.startswith(f"{key}.") or key.startswith(f"{name}.")
                   for key in documented)

    assert len(read) > 40
    assert {name for name in read if not is_documented(family(name))} == set()
    tomllib.loads(CONFIG_EXAMPLE.read_text("utf-8"))


def test_every_key_of_the_example_is_in_the_config_reference() -> None:
    text = CONFIG_EXAMPLE.read_text(encoding="utf-8")
    page = config_reference(text)

    for table in config_tables(text):
        assert not table.name or f"## `[{table.name}]`" in page
        for key in table.keys:
            assert key.meaning, f"{key.dotted}: no comment in config.example.toml"
            assert f"| `{key.key}`" in page


def test_every_api_operation_is_in_the_api_reference() -> None:
    page = api_reference(OPENAPI)

    for path, operations in OPENAPI["paths"].items():
        for method in operations:
            assert f"## {method.upper()} `{path}`" in page
