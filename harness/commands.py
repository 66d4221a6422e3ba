"""The `syndication` command of the code under test, for tests that run shell commands.

A page of the docs or a Makefile recipe says `syndication …`: the test runs those words
verbatim in bash, with a `PATH` whose first folder holds a `syndication` that imports the
checkout the test itself imports (not whatever a virtualenv's console script points at).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import syndication

CHECKOUT = Path(syndication.__file__).resolve().parents[1]
_SCRIPT = f"""#!{sys.executable}
import sys
sys.path.insert(0, {str(CHECKOUT)!r})
from syndication.cli import main
main()
"""


def command_path(folder: Path) -> Path:
    """A folder holding the `syndication` command of this checkout; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "syndication"
    script.write_text(_SCRIPT, encoding="utf-8")
    script.chmod(0o755)
    return folder


@dataclass(frozen=True)
class Shell:
    """Runs command lines in bash in one working folder, with `syndication` first on PATH."""

    cwd: Path
    env: dict[str, str]

    @classmethod
    def open(cls, cwd: Path, bin_folder: Path, **variables: str) -> Shell:
        """A shell in `cwd`; `variables` are added to the environment."""
        env = {**os.environ, **variables}
        env["PATH"] = f"{command_path(bin_folder)}{os.pathsep}{env.get('PATH', '')}"
        return cls(cwd, env)

    def run(self, line: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one command line (`cd` included: `set -e` and the line in one bash)."""
        return subprocess.run(
            ["bash", "-c", f"set -euo pipefail\n{line}"], cwd=self.cwd, env=self.env,
            capture_output=True, text=True, timeout=timeout, check=False,
        )
