"""Running `syndication run` as a child process, and the SMTP server it talks to."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from harness.commands import CHECKOUT
from harness.ports import free_port
from harness.sites import ADMIN_TOKEN, SECRET, make_site
from harness.smtp import serving_smtp

SYNDICATION = Path(sys.executable).parent / "syndication"


def child_environment() -> dict[str, str]:
    """The environment of a `syndication` child: the test secrets, and the checkout the test
    imports first on the path (an editable install in a shared venv points at one folder)."""
    path = os.pathsep.join(filter(None, (str(CHECKOUT), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "SYNDICATION_SECRET": SECRET, "SYNDICATION_ADMIN_TOKEN": ADMIN_TOKEN,
            "PYTHONPATH": path}


@dataclass
class Received:
    """One message the SMTP server accepted, and when."""

    at: float
    recipients: tuple[str, ...]
    message: Message


@dataclass
class Inbox:
    """aiosmtpd handler keeping every message."""

    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        received = Received(
            time.time(), tuple(envelope.rcpt_tos),  # type: ignore[attr-defined]
            message_from_bytes(envelope.content),  # type: ignore[attr-defined]
        )
        with self.lock:
            self.messages.append(received)
        return "250 OK"

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        """Wait until `count` messages arrived (or the timeout); return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    break
            time.sleep(0.01)
        with self.lock:
            return list(self.messages)


@contextmanager
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on a free loopback port."""
    inbox = Inbox()
    with serving_smtp(inbox) as port:
        yield port, inbox


def use_smtp_and_port(config: Path, *, smtp_port: int, web_port: int) -> None:
    """Point a config copy's transport at our SMTP server and its web server at a free port."""
    text = config.read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", f"port = {smtp_port} ")
    text = text.replace("port = 8080 ", f"port = {web_port} ")
    # The tests play several clients behind one proxy on loopback.
    text = text.replace("trusted_proxies = [] ", 'trusted_proxies = ["127.0.0.1"] ')
    config.write_text(text, encoding="utf-8")


def sites_sharing_releases(
    folder: Path, *, database_url: str, smtp_port: int, names: tuple[str, ...] = ("one", "two")
) -> list[Path]:
    """Configs of sites on one database, each with its own folders and web port, all
    reading the first one's releases folder (as `run` processes behind one address)."""
    configs = []
    for name in names:
        config = make_site(folder / name, database_url=database_url)
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=free_port())
        configs.append(config)
    for config in configs[1:]:
        releases = config.parent / "releases"
        releases.rmdir()
        releases.symlink_to(configs[0].parent / "releases")
    return configs


class RunningService:
    """A `syndication run` child process; its output lines are collected in a thread."""

    def __init__(self, config: Path, *, preexec_fn: Callable[[], None] | None = None) -> None:
        env = child_environment()
        self.process = subprocess.Popen(
            [str(SYNDICATION), "--config", str(config), "run"], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=preexec_fn,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for_line(self, start: str, timeout: float = 20.0) -> str:
        """The first output line starting with `start`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(start):
                return line
        raise AssertionError(f"no line {start!r}; output:\n{''.join(self.output)}")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, then the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self._reader.join(timeout=5)
            if self.process.stdout is not None:
                self.process.stdout.close()
        return code
