"""MkDocs hook: the generated reference pages, and verbatim copies of repository files.

- `reference/cli.md`, `reference/config.md`, `reference/api.md` and `reference/openapi.json`
  are made at each build from the Click commands, `config.example.toml` and the OpenAPI
  document (`harness/reference.py` says how), so what others add appears by itself;
- `<!-- include: PATH -->` in a page becomes the file at PATH (from the repository root) in
  a fenced block: the docs show the example files as they are, never a stale copy.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the checkout beside these docs, not an installed copy

from harness.reference import (  # noqa: E402
    CONFIG_EXAMPLE,
    api_reference,
    cli_reference,
    config_reference,
)
from syndication.cli import cli  # noqa: E402
from syndication.web.openapi import OPENAPI  # noqa: E402

INCLUDE = re.compile(r"^<!-- include: (\S+) -->$", re.MULTILINE)
FENCES = {".toml": "toml", ".csv": "text", ".py": "python", ".json": "json"}


def on_files(files: Files, config: Any) -> Files:
    """Add the generated reference pages to the site."""
    generated = {
        "reference/cli.md": cli_reference(cli),
        "reference/config.md": config_reference(CONFIG_EXAMPLE.read_text(encoding="utf-8")),
        "reference/api.md": api_reference(OPENAPI),
        "reference/openapi.json": json.dumps(OPENAPI, indent=2, ensure_ascii=False) + "\n",
    }
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Replace each include marker by the file it names."""

    def include(match: re.Match[str]) -> str:
        path = ROOT / match.group(1)
        fence = FENCES.get(path.suffix, "text")
        return f"```{fence}\n{path.read_text(encoding='utf-8').rstrip()}\n```"

    return INCLUDE.sub(include, markdown)
