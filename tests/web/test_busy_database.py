"""Another writer holds the database: web writes wait a bounded time, then answer 503.

The issue's case with real parts: a `syndication subscribers import` child process of a
large CSV on SQLite, and a one-click unsubscribe posted to the app meanwhile: it is done
at once (the import commits batch by batch), and the import completes. Then every route
that writes, with the write lock held by someone else, answers 503 with Retry-After,
never a 500, and nothing it meant to change has changed; on PostgreSQL too.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from starlette.applications import Starlette
from starlette.routing import Route

from harness.processes import SYNDICATION
from harness.sites import ADMIN_TOKEN, SECRET, Site, make_site, open_site
from subscribers import Status, get_subscriber, subscribers_table
from subscribers.membership import add_subscriber
from subscribers.model import ConsentSource
from subscribers.tokens import TokenPurpose, make_token
from syndication.web.app import create_app
from syndication.web.busy import LOCK_WAIT, RETRY_AFTER
from syndication.web.security import make_csrf

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ONE_CLICK = "List-Unsubscribe=One-Click"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
IMPORT_ROWS = 40_000
SHORT_WAIT = 0.3  # the lock wait of the app in the tests that hold the lock throughout


def write_people(path: Path, rows: int) -> None:
    """A CSV of `rows` distinct journalists on the press list."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["email", "name", "languages", "lists", "themes", "frequency"])
        for number in range(rows):
            writer.writerow([f"journalist{number}@desk{number % 700}.example.be",
                             f"Journalist {number}", "fr;nl", "press", "international",
                             ("immediate", "daily", "weekly")[number % 3]])


async def one_click(app: Starlette, token: str) -> tuple[httpx.Response, float]:
    """POST the RFC 8058 one-click body; the answer and the seconds it took."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        start = time.monotonic()
        answer = await client.post(f"/unsubscribe/{token}", content=ONE_CLICK, headers=FORM)
        return answer, time.monotonic() - start


async def test_one_click_unsubscribe_during_a_large_import(
    tmp_path: Path, secrets_env: None
) -> None:
    site = open_site(make_site(tmp_path / "site"))
    try:
        leaving = site.add_subscriber("leaving@example.org")
        people = tmp_path / "people.csv"
        write_people(people, IMPORT_ROWS)
        env = {**os.environ, "SYNDICATION_SECRET": SECRET}
        importing = subprocess.Popen(
            [str(SYNDICATION), "--config", str(site.config), "subscribers", "import",
             str(people)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while _count(site) < 1 + 2_000 and importing.poll() is None:  # well under way
                assert time.monotonic() < deadline, "the import never got going"
                time.sleep(0.05)
            token = make_token(SECRET.encode(), TokenPurpose.UNSUBSCRIBE, leaving)
            answer, seconds = await one_click(create_app(site.settings, site.engine), token)
            still_importing = importing.poll() is None
            output, _ = importing.communicate(timeout=300)
        finally:
            if importing.poll() is None:
                importing.kill()
                importing.wait()
        print(f"\none-click unsubscribe answered {answer.status_code} in {seconds:.2f} s "
              f"during a {IMPORT_ROWS:,}-row import")
        assert still_importing, "the unsubscribe was answered only once the import ended"
        assert answer.status_code == 200, answer.text
        assert seconds < LOCK_WAIT
        assert get_subscriber(site.engine, leaving).status is Status.UNSUBSCRIBED
        assert importing.returncode == 0, output
        assert f"imported {IMPORT_ROWS} rows, rejected 0" in output
        assert _count(site) == IMPORT_ROWS + 1
    finally:
        site.engine.dispose()


def _count(site: Site) -> int:
    with site.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(subscribers_table)) or 0)


@dataclass(frozen=True, slots=True)
class Case:
    """A request to one route that writes, built once the site has its people."""

    path: str  # the route's path pattern
    method: str
    url: str
    body: dict[str, object] | None = None
    form: str | None = None


def writing_routes(app: Starlette) -> set[tuple[str, str]]:
    """(path pattern, method) of every route that may write: not GET, and confirm."""
    found = set()
    for route in app.routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method == "HEAD":  # the GET's endpoint: covered by the GET
                continue
            if method != "GET" or route.path.startswith("/confirm/"):
                found.add((route.path, method))
    found.discard(("/api/{rest:path}", "POST"))  # a 404 for any path, no database
    found.discard(("/api/{rest:path}", "PUT"))
    found.discard(("/api/{rest:path}", "DELETE"))
    return found


def cases(site: Site) -> list[Case]:
    """One request per writing route, each one that would change something."""
    secret = SECRET.encode()
    active = site.add_subscriber("active@example.org")
    pending = add_subscriber(site.engine, "pending@example.org", languages=("fr",),
                             source=ConsentSource.WEB).id
    leave = make_token(secret, TokenPurpose.UNSUBSCRIBE, active)
    prefs = make_token(secret, TokenPurpose.PREFERENCES, active)
    csrf = make_csrf(secret, form="preferences", token=prefs)
    return [
        Case("/subscribe", "POST", "/subscribe", body={"email": "new@example.org"}),
        Case("/confirm/{token}", "GET",
             f"/confirm/{make_token(secret, TokenPurpose.CONFIRM, pending)}"),
        Case("/unsubscribe/{token}", "POST", f"/unsubscribe/{leave}", form=ONE_CLICK),
        Case("/preferences/{token}", "POST", f"/preferences/{prefs}",
             form=f"csrf={csrf}&languages=nl&lists=press&frequency=daily"),
        Case("/api/subscribers", "POST", "/api/subscribers",
             body={"email": "admin-added@example.org"}),
        Case("/api/subscribers/{email:path}", "DELETE", "/api/subscribers/active@example.org"),
        Case("/api/subscribers/{email:path}/remove", "POST",
             "/api/subscribers/active@example.org/remove"),
        Case("/api/lists", "POST", "/api/lists", body={"name": "newsdesk"}),
        Case("/api/lists/{name}", "DELETE", "/api/lists/public"),
    ]


async def send(client: httpx.AsyncClient, case: Case, *, json_answer: bool) -> httpx.Response:
    headers = {"Accept": "application/json" if json_answer else "text/html"}
    if case.path.startswith("/api/"):
        headers |= ADMIN
    if case.form is not None:
        return await client.request(case.method, case.url, content=case.form,
                                    headers=headers | FORM)
    return await client.request(case.method, case.url, json=case.body, headers=headers)


@contextmanager
def sqlite_write_lock(site: Site) -> Iterator[None]:
    """Another process's writer in the middle of a transaction (BEGIN IMMEDIATE)."""
    holder = sqlite3.connect(str(site.engine.url.database), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE subscribers SET bounces = bounces")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def fingerprint(site: Site) -> list[tuple[object, ...]]:
    """Everything the writing routes could change."""
    with site.engine.connect() as conn:
        return [
            tuple(row)
            for table in ("subscribers", "subscriptions", "lists", "suppressions", "consents")
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
        ]


async def test_every_writing_route_answers_503_while_another_writer_holds_sqlite(
    site: Site,
) -> None:
    app = create_app(site.settings, site.engine, lock_wait=SHORT_WAIT)
    planned = cases(site)
    assert {(case.path, case.method) for case in planned} == writing_routes(app)
    before = fingerprint(site)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with sqlite_write_lock(site):
            for number, case in enumerate(planned):
                start = time.monotonic()
                answer = await send(client, case, json_answer=bool(number % 2))
                seconds = time.monotonic() - start
                assert (case.url, answer.status_code) == (case.url, 503), answer.text
                assert answer.headers["retry-after"] == str(RETRY_AFTER)
                assert seconds < SHORT_WAIT + 2
                assert "nothing was changed" in answer.text  # JSON error, or the page's detail
        assert fingerprint(site) == before
        # The lock gone, the same requests go through: the client's retry works.
        statuses = [(await send(client, case, json_answer=True)).status_code
                    for case in planned]
    assert all(status < 500 for status in statuses), statuses
    assert fingerprint(site) != before


@pytest.mark.postgres
async def test_a_row_locked_on_postgresql_is_a_503_not_a_wait_without_end(
    tmp_path: Path, secrets_env: None, pg_url: str
) -> None:
    site = open_site(make_site(tmp_path / "site", database_url=pg_url))
    try:
        leaving = site.add_subscriber("leaving@example.org")
        app = create_app(site.settings, site.engine, lock_wait=SHORT_WAIT)
        token = make_token(SECRET.encode(), TokenPurpose.UNSUBSCRIBE, leaving)
        with site.engine.connect() as holder:
            holder.execute(text("SELECT * FROM subscribers WHERE id = :id FOR UPDATE"),
                           {"id": leaving})
            answer, seconds = await one_click(app, token)
            holder.rollback()
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == str(RETRY_AFTER)
        assert seconds < SHORT_WAIT + 2
        assert get_subscriber(site.engine, leaving).status is Status.ACTIVE
        again, _ = await one_click(app, token)
        assert again.status_code == 200
        assert get_subscriber(site.engine, leaving).status is Status.UNSUBSCRIBED
    finally:
        site.engine.dispose()
