"""The reference pages of the docs, generated from the product's own sources at build time.

- the CLI reference: every command of the Click tree with its `--help`, so a command added
  anywhere appears by itself;
- the config reference: every key of `config.example.toml` with its example value and its
  comment (the file that "comments every key"), table by table;
- the admin API: every operation of the OpenAPI document `run` serves at /api/openapi.json.

`docs/hooks/reference.py` (an MkDocs hook) writes them into the site; tests check them.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

import syndication

CHECKOUT = Path(syndication.__file__).resolve().parents[1]
CONFIG_EXAMPLE = CHECKOUT / "config.example.toml"
HELP_WIDTH = 96
_TABLE = re.compile(r"^\s*(?:#\s*)?\[([^\[\]]+)\]\s*(?:#\s*(.*))?$")
_KEY = re.compile(r"^(#\s*)?([A-Za-z0-9_-]+)\s*=\s*(.+)$")


# ---- the command line -------------------------------------------------------------------

def commands(
    command: click.Command, path: tuple[str, ...] = ("syndication",)
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group of the tree, depth first, with the words that name it."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from commands(command.commands[name], (*path, name))


def command_help(path: tuple[str, ...], root: click.Command) -> str:
    """The `--help` text of the command named by `path`, as a terminal would show it."""
    ctx = click.Context(root, info_name=path[0], max_content_width=HELP_WIDTH,
                        terminal_width=HELP_WIDTH, **root.context_settings)
    command = root
    for name in path[1:]:
        assert isinstance(command, click.Group)
        command = command.commands[name]
        ctx = click.Context(command, info_name=name, parent=ctx,
                            max_content_width=HELP_WIDTH, terminal_width=HELP_WIDTH)
    return command.get_help(ctx)


def cli_reference(root: click.Command) -> str:
    """The CLI reference page: the exit-code rule, then every command's help."""
    lines = [
        "# Command line reference",
        "",
        "Generated from the commands themselves at each build: what `syndication COMMAND "
        "--help` prints.",
        "",
        "`--config PATH` (default: `$SYNDICATION_CONFIG`, else `./config.toml`) and `--format` "
        "go before or after the command name: `syndication --config site/config.toml check` "
        "is `syndication check --config site/config.toml`.",
        "",
        "Exit status, every command: **0** success; **1** the command line is well-formed but "
        "names something that does not exist (a list, theme, language, release, mailing), "
        "some input is invalid (a file, a CSV row) or some work failed, after doing the rest; "
        "**2** the command line is malformed (unknown command or option, a missing argument, "
        "a value of the wrong syntax such as a time, an address or a number, a missing "
        "`--yes`).",
        "",
    ]
    for path, _command in commands(root):
        name = " ".join(path)
        lines += [f"## {name}", "", "```text", command_help(path, root).rstrip(), "```", ""]
    return "\n".join(lines)


# ---- the config file --------------------------------------------------------------------

@dataclass
class ConfigKey:
    """One key of the example config: its table, example value, meaning; commented out?"""

    table: str
    key: str
    example: str
    meaning: str
    optional: bool = False

    @property
    def dotted(self) -> str:
        """`table.key`, as the config's error messages name it."""
        return f"{self.table}.{self.key}" if self.table else self.key


@dataclass
class ConfigTable:
    """One table of the example config, the comments above it and its keys."""

    name: str
    about: list[str] = field(default_factory=list)
    keys: list[ConfigKey] = field(default_factory=list)


def _value_and_comment(text: str) -> tuple[str, str] | None:
    """Split `value  # comment` where the value is TOML (a `#` inside a string stays)."""
    for match in [*re.finditer(r"#", text), None]:
        value = text[: match.start()] if match else text
        try:
            tomllib.loads(f"x = {value}")
        except tomllib.TOMLDecodeError:
            continue
        return value.strip(), (text[match.end():].strip() if match else "")
    return None


def config_tables(text: str) -> list[ConfigTable]:
    """The tables and keys of a commented config file, in the file's order."""
    tables = [ConfigTable("")]
    pending: list[str] = []  # comment lines waiting for the table or key they describe
    last: ConfigKey | None = None
    for raw in text.splitlines():
        line = raw.strip()
        header = _TABLE.match(line)
        key = _KEY.match(line)
        parts = _value_and_comment(key.group(3)) if key else None
        if header and (not line.startswith("#") or header.group(1).strip()):
            tables.append(ConfigTable(header.group(1).strip(), about=pending))
            if header.group(2):
                tables[-1].about.append(header.group(2))
            pending, last = [], None
        elif key and parts:
            last = ConfigKey(tables[-1].name, key.group(2), parts[0],
                             " ".join([*pending, parts[1]]).strip(),
                             optional=bool(key.group(1)))
            tables[-1].keys.append(last)
            pending = []
        elif line.startswith("#") and raw.startswith(" ") and last is not None:
            last.meaning += " " + line.lstrip("# ")  # a comment continued under its key
        elif line.startswith("#"):
            pending.append(line.lstrip("# "))
            last = None
        elif not line:
            tables[-1].about += pending  # a comment block of its own: about the table it is in
            pending, last = [], None
    return [table for table in tables if table.keys or table.about]


def config_reference(text: str) -> str:
    """The config reference page: each table with its keys, examples and meanings."""
    lines = [
        "# Config reference",
        "",
        "Every key of `config.toml`, generated at each build from the comments of "
        "`config.example.toml` (the example site's config: `syndication init` copies it). "
        "Keys shown *optional* are commented out there. Relative paths are relative to the "
        "config file's folder; durations are written like `\"30s\"`, `\"5m\"`, `\"24h\"`; "
        "secrets are never in this file, only the names of the environment variables that "
        "hold them.",
        "",
    ]
    for table in config_tables(text):
        if table.name:
            lines += [f"## `[{table.name}]`", ""]
        if table.about:
            lines += [" ".join(table.about), ""]
        if table.keys:
            lines += ["| key | example | meaning |", "|---|---|---|"]
            for key in table.keys:
                optional = " *(optional)*" if key.optional else ""
                lines.append(f"| `{key.key}`{optional} | `{_cell(key.example)}` | "
                             f"{_cell(key.meaning)} |")
            lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# ---- the admin API ----------------------------------------------------------------------

def api_reference(document: dict[str, Any]) -> str:
    """The admin API page: every operation of the OpenAPI document, then the document."""
    info = document["info"]
    lines = [
        "# Admin API",
        "",
        f"{info['description']} `run` serves this description at `/api/openapi.json` "
        "(OpenAPI 3.1, no token needed); it is [here](openapi.json) too, and this page is "
        "generated from it at each build.",
        "",
    ]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            lines += [f"## {method.upper()} `{path}`", "", operation.get("summary", ""), ""]
            parameters = operation.get("parameters", [])
            if parameters:
                lines += ["| parameter | in | type |", "|---|---|---|"]
                lines += [f"| `{p['name']}` | {p['in']} | {_type(p.get('schema', {}))} |"
                          for p in parameters]
                lines.append("")
            body = operation.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                lines += [f"Body (JSON or form): {_type(schema)}.", ""]
            lines += ["| status | meaning |", "|---|---|"]
            for status, response in operation["responses"].items():
                resolved = _resolve(document, response)
                lines.append(f"| {status} | {resolved.get('description', '')} |")
            lines.append("")
    lines += ["## Schemas", ""]
    for name, schema in document["components"]["schemas"].items():
        lines += [f"### {name}", "", "```json", json.dumps(schema, indent=2), "```", ""]
    return "\n".join(lines)


def _resolve(document: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    reference = value.get("$ref")
    if not isinstance(reference, str):
        return value
    found: Any = document
    for part in reference.removeprefix("#/").split("/"):
        found = found[part]
    return dict(found)


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[-1]}`"
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    return f"`{schema.get('type', 'any')}`"
