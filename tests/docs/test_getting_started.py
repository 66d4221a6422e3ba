"""docs/getting-started.md works as written: each of its shell blocks, run verbatim, in order.

The commands run in one bash, in a fresh empty folder, with the `syndication` of this
checkout first on PATH and no secret or config in the environment, as a new operator's
shell would be; each must succeed. (`syndication run`, which serves until stopped, is shown
in a `text` block there; the service is tested in tests/scheduler and tests/web.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from harness.commands import CHECKOUT, Shell

PAGE = CHECKOUT / "docs" / "getting-started.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
DONE = "::done"


def shell_blocks() -> list[str]:
    """The `sh` blocks of the page, in order."""
    return BLOCK.findall(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_the_commands_of_a_first_run() -> None:
    commands = "".join(shell_blocks())
    for words in ("syndication init", "syndication secret", "syndication check",
                  "syndication build", "syndication subscribers import", "syndication publish",
                  "syndication send", "syndication deliveries", "syndication preview"):
        assert words in commands


def test_every_command_of_the_page_succeeds_on_a_fresh_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("SYNDICATION_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "work"
    folder.mkdir()
    blocks = shell_blocks()
    script = "\n".join(f"{block}echo {DONE} {number}" for number, block in enumerate(blocks))

    ran = Shell.open(folder, tmp_path / "bin").run(script, timeout=300)

    finished = ran.stdout.count(DONE)
    failed = blocks[finished] if finished < len(blocks) else ""
    assert ran.returncode == 0, f"this block failed:\n{failed}\n{ran.stdout[-2000:]}{ran.stderr}"
    assert finished == len(blocks)
    site = folder / "mysite"
    assert re.search(r"\d+ valid releases, 0 problems\.", ran.stdout)  # secrets exported
    assert "imported 2 rows, rejected 0" in ran.stdout
    # Jan and Marie (imported as FR, Press) get the alert; Pieter reads a daily digest.
    assert "Alert of 2016-08-31-belincosoc-china: 2 deliveries planned." in ran.stdout
    assert "Sent 2," in ran.stdout
    assert len(list((site / "var" / "outbox" / "new").iterdir())) == 2
    assert '"email": "marie@example.be"' in ran.stdout
