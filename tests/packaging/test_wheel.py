"""The product installs: a wheel built from a clean export runs with no file of the checkout.

The tree is exported with `git archive HEAD` of this checkout (a worktree's own HEAD), so a
stale `build/` or an untracked file cannot hide a file missing from the package. That also
means the test sees committed files only: commit before running it, or it tests the last
commit. The export is built the way `python -m build` does it (sdist, then the wheel from
the sdist), so a file left out of the sdist fails here too. The wheel goes into a fresh
venv (pip uses its cache, else PyPI), and every command runs in a folder outside the
checkout. No skip: without git or pip the test fails.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
SECRETS = {
    "SYNDICATION_SECRET": "wheel-test-secret-Wq4Zr8Kx2Lm7Tp5Vn3Hc9Bj6Ge1Ds",
    "SYNDICATION_ADMIN_TOKEN": "wheel-test-admin-token-Fy3Ns8Qd5Gk2Xw7Rt9Me4",
}
# Variables that would let the installed command see the checkout or another config.
_LEAKS = (
    "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "SYNDICATION_CONFIG",
    "SYNDICATION_DATABASE_URL",
)


def _run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    """Run `command`; fail with its output unless it exits 0 with no traceback."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=400)
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    shown = " ".join(str(part) for part in command)
    assert done.returncode == 0, f"{shown} exited {done.returncode}:\n{output}"
    assert "Traceback" not in output, f"{shown}:\n{output}"
    return output


def _export(destination: Path) -> Path:
    """The committed tree of this checkout's HEAD, unpacked into `destination`."""
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is needed to export the tree (git archive HEAD)")
    archive = subprocess.run(
        [git, "-C", str(CHECKOUT), "archive", "--format=tar", "HEAD"],
        capture_output=True, check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


@pytest.mark.timeout(900)
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in _LEAKS}
    source = _export(tmp_path / "export")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, source], tmp_path, env)
    (wheel,) = dist.glob("*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path, env)
    bin_dir = venv / "bin"
    _run([bin_dir / "pip", "install", "--quiet", wheel], tmp_path, env)
    env = {**env, **SECRETS, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}

    work = tmp_path / "work"
    work.mkdir()
    where = _run(
        [bin_dir / "python", "-c",
         "import syndication, syndication.resources as r; "
         "print(syndication.__file__); print(r.TEMPLATES_DIR); print(r.EXAMPLE_SITE_DIR)"],
        work, env,
    ).split()
    package = Path(where[0]).parent
    assert not package.is_relative_to(CHECKOUT)
    assert package.is_relative_to(venv)
    assert all(Path(folder).parent == package for folder in where[1:])

    version = tomllib.loads((source / "pyproject.toml").read_text())["project"]["version"]
    assert _run([bin_dir / "syndication", "--version"], work, env).strip() == (
        f"syndication {version}"
    )
    _run([bin_dir / "syndication", "init", "s"], work, env)
    config = ["--config", "s/config.toml"]
    _run([bin_dir / "syndication", *config, "check"], work, env)
    _run([bin_dir / "syndication", *config, "build"], work, env)
    public = work / "s" / "public"
    site = tomllib.loads((work / "s" / "config.toml").read_text())["site"]
    languages = [public / language for language in site["languages"]]
    assert languages
    # The search page's scripts, from templates/site/assets/ inside the wheel.
    assert (public / "assets" / "lunr.min.js").is_file()
    for folder in languages:  # the feeds, an index and release pages in every language
        for name in ("atom.xml", "rss.xml", "feed.json", "index.html"):
            assert (folder / name).is_file(), folder / name
        assert len(list(folder.glob("*.html"))) > 1

    seed = sorted((work / "s" / "releases").glob("*.toml"))[0]
    release_id = tomllib.loads(seed.read_text()).get("id", seed.stem)
    html = _run([bin_dir / "syndication", *config, "preview", release_id, "--lang", "fr"],
                work, env)
    assert "<html" in html
    eml = _run([bin_dir / "syndication", *config, "preview", release_id, "--lang", "fr",
                "--format", "eml"], work, env)
    assert "MIME-Version: 1.0" in eml
