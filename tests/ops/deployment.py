"""The shipped deployment files made runnable on loopback: nginx's config and systemd units.

Only what a machine's paths and ports force is changed (ports, certificate, folders, the
`run` upstream); every directive that serves, caches, compresses or forwards is the one
the operator installs.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.ports import free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = Path("/usr/sbin/nginx")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost"),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return cert_path, key_path


@dataclass(frozen=True)
class Nginx:
    """A running nginx: its HTTPS and HTTP ports and its CA file."""

    https: int
    http: int
    ca: Path
    error_log: Path


def nginx_site_config(folder: Path, *, output: Path, run_port: int) -> tuple[str, Nginx]:
    """deploy/nginx/syndication.conf with this machine's ports, certificate and folders."""
    cert, key = self_signed(folder)
    https, http = free_port(), free_port()
    snippet = folder / "syndication-static.conf"
    snippet.write_text((DEPLOY / "nginx/syndication-static.conf").read_text())
    text = (DEPLOY / "nginx/syndication.conf").read_text()
    for old, new in {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8080;": f"server 127.0.0.1:{run_port};",
        "/etc/letsencrypt/live/press.example.be/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/press.example.be/privkey.pem": str(key),
        "root /var/lib/syndication/public;": f"root {output};",
        "/etc/nginx/snippets/syndication-static.conf": str(snippet),
    }.items():
        assert old in text, f"deploy/nginx/syndication.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text, Nginx(https, http, cert, folder / "error.log")


@contextmanager
def running_nginx(folder: Path, *, output: Path, run_port: int) -> Iterator[Nginx]:
    """Debian's nginx in the foreground with the shipped site config; stopped after."""
    site, nginx = nginx_site_config(folder, output=output, run_port=run_port)
    (folder / "site.conf").write_text(site)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read tmp_path
    (folder / "nginx.conf").write_text(f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {nginx.error_log} warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""")
    command = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        _wait_for_port(nginx.https, process)
        yield nginx
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stderr is not None:
            process.stderr.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    import socket

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, "nginx exited"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nginx never listened on {port}")
