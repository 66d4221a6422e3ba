"""Personal data at rest: the data folder is the service user's alone, the output is public.

Issue 11, item 9: under umask 022 `var/` was 0755, the database and its WAL 0644 and the
release cache (embargoed text) forced to 0644. The real command line runs here as a child
process with umask 022, through init, import, publish, send (Maildir) and build.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from harness.sites import ADMIN_TOKEN, SECRET

ROOT = Path(__file__).resolve().parents[2]
CSV = "email,name,organisation,languages,lists,themes,frequency\n" \
      "jan@example.org,Jan Janssens,De Krant,nl,press,,immediate\n"


def syndication(*arguments: str, cwd: Path) -> None:
    """Run the command line of this checkout in a child with the usual umask 022."""
    env = {**os.environ, "SYNDICATION_SECRET": SECRET, "SYNDICATION_ADMIN_TOKEN": ADMIN_TOKEN,
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from syndication.cli import main; main()", *arguments]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=lambda: os.umask(0o022), check=False)
    assert done.returncode == 0, (arguments, done.stdout, done.stderr)


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of `folder` and of everything below it, by relative path."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_the_data_folder_is_private_and_the_output_public(tmp_path: Path) -> None:
    syndication("init", "site", cwd=tmp_path)
    site = tmp_path / "site"
    (tmp_path / "people.csv").write_text(CSV, encoding="utf-8")
    config = ["--config", str(site / "config.toml")]
    syndication(*config, "subscribers", "import", str(tmp_path / "people.csv"), cwd=tmp_path)
    syndication(*config, "publish", "--at", "2016-08-31T15:50:00+02:00", cwd=tmp_path)
    syndication(*config, "send", cwd=tmp_path)
    syndication(*config, "build", cwd=tmp_path)

    assert stat.S_IMODE(site.stat().st_mode) == 0o755  # a web server can reach public/
    data = modes(site / "var")
    assert "syndication.db" in data
    assert any(name.startswith("outbox/new/") for name in data)  # the mail written
    assert any(name.startswith("cache/releases/") for name in data)
    wrong = {name: oct(mode) for name, mode in data.items()
             if mode != (0o700 if (site / "var" / name).is_dir() else 0o600)}
    assert wrong == {}
    public = modes(site / "public")
    assert "fr/atom.xml" in public
    wrong = {name: oct(mode) for name, mode in public.items()
             if mode != (0o755 if (site / "public" / name).is_dir() else 0o644)}
    assert wrong == {}


def test_an_existing_data_folder_is_made_private(tmp_path: Path) -> None:
    syndication("init", "site", cwd=tmp_path)
    site = tmp_path / "site"
    config = ["--config", str(site / "config.toml")]
    syndication(*config, "build", cwd=tmp_path)
    # As the first release left them under umask 022.
    os.chmod(site / "var", 0o755)
    os.chmod(site / "var" / "syndication.db", 0o644)

    syndication(*config, "check", cwd=tmp_path)

    assert stat.S_IMODE((site / "var").stat().st_mode) == 0o700
    assert stat.S_IMODE((site / "var" / "syndication.db").stat().st_mode) == 0o600
