"""deploy/systemd: the units pass `systemd-analyze verify`, and the service is hardened.

This container runs no systemd (no PID 1 to start units with), so the units are checked
offline: `verify` loads them with the real parser (a misspelt directive or value is a
warning, which fails the test) and `security --offline` scores the sandboxing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.ops.deployment import DEPLOY

# Never a skip: without it the units are untested (.ci/run installs Debian's systemd).
ANALYZE = shutil.which("systemd-analyze") or "systemd-analyze"
UNITS = ("syndication.service", "syndication-backup.service", "syndication-backup.timer")
SYNDICATION = Path(sys.executable).parent / "syndication"


def installed(folder: Path) -> list[Path]:
    """The units as an operator installs them, with this machine's program and secrets."""
    secrets = folder / "secrets.env"
    secrets.write_text((DEPLOY / "systemd/secrets.env.example").read_text())
    secrets.chmod(0o600)
    paths = []
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace("/opt/syndication/venv/bin/syndication", str(SYNDICATION))
        text = re.sub(r"^EnvironmentFile=.*$", f"EnvironmentFile={secrets}", text, flags=re.M)
        (folder / name).write_text(text)
        paths.append(folder / name)
    return paths


def test_units_verify_without_a_warning(tmp_path: Path) -> None:
    units = installed(tmp_path)
    done = subprocess.run([ANALYZE, "verify", *map(str, units)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


def test_verify_does_catch_a_bad_unit(tmp_path: Path) -> None:
    (unit,) = [path for path in installed(tmp_path) if path.name == "syndication.service"]
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSystem=strickt"))
    done = subprocess.run([ANALYZE, "verify", str(unit)], capture_output=True, text=True,
                          timeout=60)
    assert "strickt" in done.stderr


def test_the_service_is_sandboxed(tmp_path: Path) -> None:
    unit = next(path for path in installed(tmp_path) if path.name == "syndication.service")
    text = unit.read_text()
    for option in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
                   "ProtectHome=yes", "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service"):
        assert option in text
    done = subprocess.run([ANALYZE, "security", "--offline=true", str(unit)],
                          capture_output=True, text=True, timeout=60)
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout)
    assert score is not None, done.stdout + done.stderr
    assert float(score.group(1)) <= 2.0, done.stdout  # systemd's scale: 0 safe .. 10 exposed


def test_the_secrets_file_names_every_secret_the_config_reads() -> None:
    example = (DEPLOY / "systemd/secrets.env.example").read_text()
    # Set, or shown commented out where only some configs need it (DKIM keys).
    names = set(re.findall(r"^(?:# )?([A-Z0-9_]+)=", example, flags=re.M))
    config = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text()
    wanted = set(re.findall(r'_env = "([A-Z0-9_]+)"', config)) | {"SYNDICATION_DATABASE_URL"}
    assert wanted <= names
