"""A private Postfix instance on a loopback port: the relay of a real deployment, in a test.

It behaves as an organisation's relay does: it accepts every recipient at RCPT time, then
delivers later and reports failures by email (RFC 3464 DSNs) to the envelope sender. Its
own config_directory, queue_directory and data_directory live under a temporary folder; it
listens on 127.0.0.1 only, on a free port, and is started with `postfix -c DIR start` (no
systemd, no chroot) and stopped at the end. Postfix insists on running as root and on the
queue's ownership (root for the queue directory, `mail_owner` for its subfolders), which
`postfix start` sets itself through `post-install create-missing`.

Where mail goes is a transport table keyed by address, then by domain:
- `bounce` addresses go to Postfix's `error` transport: accepted, then bounced with the
  reason given (a 5.x.x status: a hard bounce);
- every other recipient is relayed to `sink_port` (an SMTP server of the test, which may
  refuse some recipients itself: Postfix then bounces with the remote 5xx reply);
- mail for `bounce_domain` (the VERP return path's domain) is relayed to `dsn_port`, so the
  DSNs Postfix writes reach the service's `[bounces] listen` server.

    with running_postfix(tmp_path, sink_port=..., dsn_port=..., bounce_domain="press.test",
                         bounce={"gone@example.org": "5.1.1 no such user"}) as postfix:
        ... send to 127.0.0.1:postfix.port ...

`Sink` is an aiosmtpd handler for `sink_port` (serve it with `harness.smtp.serving_smtp`)
that keeps every message and refuses the addresses it is told to.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.ports import free_port

POSTFIX = "/usr/sbin/postfix"
MAIL_OWNER = "postfix"
START_TIMEOUT = 20.0  # seconds for `postfix start` to have the port listening
QUEUES = ("maildrop", "incoming", "active", "deferred", "hold")

# Only the services a relay needs, none chrooted (the chroot would need a copy of /etc).
_MASTER_CF = """\
{port}    inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


@dataclass
class Sink:
    """An aiosmtpd handler behind Postfix: keeps every message, refuses `refuse` at RCPT.

    A refused recipient makes Postfix bounce with the sink's 5xx reply, as a remote mail
    server refusing an address after the relay accepted it.
    """

    refuse: frozenset[str] = frozenset()
    messages: list[tuple[str, bytes]] = field(default_factory=list)  # (recipient, bytes)
    envelope_senders: list[str] = field(default_factory=list)  # MAIL FROM of each message
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        """Refuse the addresses of `refuse` (550 5.1.1), take the others."""
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message for each recipient."""
        content: bytes = envelope.original_content or envelope.content
        with self._lock:
            self.messages.extend((recipient.lower(), content) for recipient in envelope.rcpt_tos)
            self.envelope_senders.extend(str(envelope.mail_from) for _ in envelope.rcpt_tos)
        return "250 2.0.0 Ok: queued"

    def received(self) -> list[tuple[str, bytes]]:
        """Every (recipient, message) so far."""
        with self._lock:
            return list(self.messages)


@dataclass(frozen=True)
class Postfix:
    """A running private Postfix: where to send, and where its files are."""

    port: int  # its SMTP listener on 127.0.0.1
    config_directory: Path
    queue_directory: Path
    maillog: Path  # Postfix's own log (maillog_file), for a failing test's message

    def queued(self) -> int:
        """Messages still in the queue (not yet delivered, bounced or deferred out)."""
        return sum(
            sum(1 for entry in (self.queue_directory / name).rglob("*") if entry.is_file())
            for name in QUEUES
            if (self.queue_directory / name).is_dir()
        )

    def wait_empty(self, timeout: float = 30.0) -> None:
        """Wait until the queue is empty; raise with the log's tail if it is not in time."""
        deadline = time.monotonic() + timeout
        while self.queued():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Postfix queue not empty after {timeout}s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of Postfix's log."""
        if not self.maillog.exists():
            return "(no maillog)"
        return "\n".join(self.maillog.read_text(errors="replace").splitlines()[-lines:])


def _main_cf(base: Path, *, sink_port: int, extra: Mapping[str, str]) -> str:
    transport = base / "config" / "transport"
    settings = {
        "compatibility_level": "3.6",
        "config_directory": base / "config",
        "queue_directory": base / "queue",
        "data_directory": base / "data",
        "mail_owner": MAIL_OWNER,
        "setgid_group": "postdrop",
        "maillog_file": base / "maillog",
        "maillog_file_prefixes": base,  # Postfix refuses a log outside this list
        "myhostname": "relay.postfix.test",
        "mydomain": "postfix.test",
        "myorigin": "$myhostname",
        "mydestination": "",
        "inet_interfaces": "127.0.0.1",
        "inet_protocols": "ipv4",
        "mynetworks": "127.0.0.0/8",
        # Every recipient accepted at RCPT time, as a relay in front of the Internet does.
        "smtpd_relay_restrictions": "permit_mynetworks, reject",
        "smtpd_recipient_restrictions": "permit_mynetworks, reject",
        "local_recipient_maps": "",
        # Else smtpd refuses at RCPT time the addresses the `error` transport takes.
        "smtpd_reject_unlisted_recipient": "no",
        "relay_domains": "",
        "transport_maps": f"texthash:{transport}",
        "default_transport": f"smtp:[127.0.0.1]:{sink_port}",
        "smtp_dns_support_level": "disabled",
        "smtp_host_lookup": "native",
        "smtputf8_enable": "no",
        "biff": "no",
        "alias_maps": "",
        "alias_database": "",
        # No waiting between tries: a test sees the bounces at once.
        "queue_run_delay": "1s",
        "minimal_backoff_time": "1s",
        "maximal_backoff_time": "2s",
        "delay_warning_time": "0",
        "smtp_connect_timeout": "5s",
        "notify_classes": "",
    }
    lines = [f"{key} = {value}" for key, value in {**settings, **extra}.items()]
    return "\n".join(lines) + "\n"


def _transport_table(
    bounce: Mapping[str, str], *, dsn_port: int | None, bounce_domain: str | None
) -> str:
    lines = [f"{address} error:{reason}" for address, reason in bounce.items()]
    if dsn_port is not None and bounce_domain is not None:
        lines.append(f"{bounce_domain} smtp:[127.0.0.1]:{dsn_port}")
    return "\n".join(lines) + "\n"


def _postfix(config: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POSTFIX, "-c", str(config), *command],
        capture_output=True, text=True, timeout=60, check=False,
    )


@contextmanager
def running_postfix(
    *,
    sink_port: int,
    dsn_port: int | None = None,
    bounce_domain: str | None = None,
    bounce: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> Iterator[Postfix]:
    """Start a private Postfix in a fresh folder; stop it and remove the folder on leaving.

    `bounce` maps addresses to the status and text Postfix bounces them with after accepting
    them; `extra` adds or overrides main.cf settings (a milter, a size limit, ...).

    The folder is not under pytest's tmp_path: that is private to root (0700), and Postfix's
    daemons run as `mail_owner`, which must reach its queue and data directories.
    """
    if shutil.which(POSTFIX) is None:
        raise RuntimeError("Postfix is not installed (Debian package `postfix`, see .ci/)")
    if os.geteuid() != 0:
        raise RuntimeError("a private Postfix instance must be started as root")
    base = Path(tempfile.mkdtemp(prefix="syndication-postfix-"))
    base.chmod(0o755)
    try:
        with _started(base, sink_port=sink_port, dsn_port=dsn_port,
                      bounce_domain=bounce_domain, bounce=bounce, extra=extra) as postfix:
            yield postfix
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def _started(
    base: Path,
    *,
    sink_port: int,
    dsn_port: int | None,
    bounce_domain: str | None,
    bounce: Mapping[str, str] | None,
    extra: Mapping[str, str] | None,
) -> Iterator[Postfix]:
    port = free_port()
    config = base / "config"
    config.mkdir(parents=True)
    for folder in ("queue", "data"):
        (base / folder).mkdir()
    shutil.chown(base / "data", user=MAIL_OWNER)
    (config / "main.cf").write_text(_main_cf(base, sink_port=sink_port, extra=extra or {}))
    (config / "master.cf").write_text(_MASTER_CF.format(port=f"127.0.0.1:{port}"))
    (config / "transport").write_text(
        _transport_table(bounce or {}, dsn_port=dsn_port, bounce_domain=bounce_domain)
    )
    postfix = Postfix(
        port=port, config_directory=config, queue_directory=base / "queue",
        maillog=base / "maillog",
    )
    started = _postfix(config, "start")
    if started.returncode != 0:
        raise RuntimeError(f"postfix start failed: {started.stderr}\n{postfix.log_tail()}")
    try:
        _wait_listening(port, postfix)
        yield postfix
    finally:
        _postfix(config, "stop")
        _wait_stopped(base / "queue" / "pid" / "master.pid")


def _wait_listening(port: int, postfix: Postfix) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"Postfix did not listen on {port}:\n{postfix.log_tail()}")
        time.sleep(0.05)


def _wait_stopped(pid_file: Path, timeout: float = 10.0) -> None:
    # `postfix stop` returns before master has exited; it removes its pid file last.
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
