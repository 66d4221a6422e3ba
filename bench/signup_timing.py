"""Response time of POST /subscribe by the address's status (issue 11, item 5).

Serves the web app with uvicorn (the guarded configuration `run` uses) on a private SQLite
site whose confirmations go by SMTP to an aiosmtpd server in this process, puts one
address in each status (pending, active, unsubscribed, suppressed, erased; "unknown" is a
new address per request), and sends the sign-ups in a shuffled order, each on a fresh
connection, timing each from the client. The sign-up limits are raised for the run (they
apply the same to every status and would otherwise answer 429). Prints percentiles by
status: a status that answered faster or slower would tell a prober who is subscribed.

    .venv/bin/python bench/signup_timing.py [--requests 150]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from aiosmtpd.controller import Controller

# The repository first: bench/subscribers.py would otherwise shadow the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import syndication.web.context as web_context
from harness.ports import free_port
from harness.sites import make_site, open_site
from subscribers import (
    ConsentSource,
    add_subscriber,
    erase_person,
    record_hard_bounce,
    remove_subscriber,
)
from syndication.web.app import create_app
from syndication.web.ratelimit import Limit
from syndication.web.serving import guarded_server_config

SECRET = "bench-signup-secret-Vq3hK8xZr2Lm9PfW4tYc7NbJ"
STATUSES = ("unknown", "pending", "active", "unsubscribed", "suppressed", "erased")


class Sink:
    """Accepts every message (the confirmation's real SMTP round trip)."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


def prepare(folder: Path, smtp_port: int) -> object:
    config = make_site(folder)
    text = config.read_text(encoding="utf-8").replace('transport = "maildir"', 'transport = "smtp"')
    config.write_text(text.replace("port = 25 ", f"port = {smtp_port} "), encoding="utf-8")
    site = open_site(config)
    add_subscriber(site.engine, "pending@example.org", languages=("fr",), lists=("press",),
                   source=ConsentSource.WEB)
    site.add_subscriber("active@example.org")
    site.add_subscriber("unsubscribed@example.org")
    remove_subscriber(site.engine, "unsubscribed@example.org")
    record_hard_bounce(site.engine, site.add_subscriber("suppressed@example.org"),
                       suppress_after=1)
    site.add_subscriber("erased@example.org")
    erase_person(site.engine, "erased@example.org", SECRET.encode())
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=150, help="per status")
    arguments = parser.parse_args()
    os.environ["SYNDICATION_SECRET"] = SECRET
    many = Limit(count=10**9, seconds=60)
    web_context.IP_LIMIT = web_context.ADDRESS_LIMIT = web_context.DOMAIN_LIMIT = many
    smtp_port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    with tempfile.TemporaryDirectory() as folder:
        site = prepare(Path(folder) / "site", smtp_port)
        app = create_app(site.settings, site.engine)  # type: ignore[attr-defined]
        config = guarded_server_config(app)
        config.port = free_port()
        config.log_level = "warning"
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        base = f"http://127.0.0.1:{config.port}"
        order = [status for status in STATUSES for _ in range(arguments.requests)]
        random.Random(11).shuffle(order)
        times: dict[str, list[float]] = {status: [] for status in STATUSES}
        form = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(20):  # warm up: templates, statements, connections
                client.post("/subscribe", content="email=warm@example.org", headers=form)
            bodies: dict[str, set[bytes]] = {status: set() for status in STATUSES}
            for number, status in enumerate(order):
                address = f"new{number}@example.org" if status == "unknown" else (
                    f"{status}@example.org")
                start = time.perf_counter()
                answer = client.post("/subscribe", content=f"email={address}&lists=press",
                                     headers=form)
                times[status].append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200, answer.text
                bodies[status].add(answer.content)
        server.should_exit = True
        thread.join()
        controller.stop()
        same = len(set().union(*bodies.values())) == 1
        print(f"POST /subscribe, {arguments.requests} requests per status, shuffled, "
              f"fresh connections; one answer body for all: {same}")
        print(f"{'status':<14}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
        for status in STATUSES:
            values = sorted(times[status])
            p = statistics.quantiles(values, n=100)
            print(f"{status:<14}{p[49]:>9.2f}{p[89]:>9.2f}{p[98]:>9.2f}"
                  f"{statistics.fmean(values):>9.2f}")


if __name__ == "__main__":
    main()
