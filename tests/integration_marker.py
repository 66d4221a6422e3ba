"""The `integration` marker: put on every test that needs a server, a database or SMTP.

`pytest -m "not integration"` is then the fast inner loop. A test is integration when

- it uses one of `INTEGRATION_FIXTURES` (directly or through another fixture): a
  database (SQLite file or PostgreSQL), a private site with its database, a server;
- it carries the `postgres` marker;
- its module imports something of `INTEGRATION_MODULES` (itself or through a helper
  module of `tests`): child processes (of `syndication`, pip, anything), SMTP and HTTP
  servers, the command lines (which open the site's database), the modules that open
  databases.

Every other test runs under a guard: opening a database (sqlite3, psycopg) or an IPv4/IPv6
socket fails it with a message saying how to mark it, so the classification cannot go
stale as tests are added or moved.
"""

from __future__ import annotations

import ast
import functools
import socket
import sqlite3
import sqlite3.dbapi2
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

INTEGRATION_FIXTURES = frozenset({
    "pg_databases",  # every PostgreSQL database of the suite comes from it
    "backend",  # sqlite file or postgresql
    "store",  # tests/delivery: the site's database
    "engine", "database_url", "fresh_url",  # tests/subscribers
    "empty_site", "built_site",  # private sites with their SQLite database
    "smtp_server",  # tests/delivery: aiosmtpd on loopback
    "server",  # tests/faults: the fault-capable SMTP server
    "served",  # tests/web/test_static.py: the app on a real uvicorn server
    "browser",  # tests/conftest.py: a real Chromium (a child process)
})
INTEGRATION_MODULES = (
    "harness.processes", "harness.mailing_site", "harness.recorder",
    "harness.feeds_under_load", "harness.postgres", "harness.smtp", "harness.browser",
    "harness.postfix",
    "tests.delivery.smtp_server", "tests.faults.fault_server", "tests.security.served",
    "tests.feeds.served_site", "tests.feeds.websub_hub",
    "syndication.cli", "subscribers.cli",
    "syndication.database", "subscribers.schema", "storage.engine", "storage.migrations",
    "subprocess",  # a child process may open anything, out of the guard's sight
)
HOW_TO_MARK = (
    "{what} in a test not marked `integration`: have it use one of INTEGRATION_FIXTURES "
    "or INTEGRATION_MODULES (tests/integration_marker.py), or add what it uses there"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a server, a database or SMTP."""
    for item in items:
        if is_integration(item):
            item.add_marker(pytest.mark.integration)


def is_integration(item: pytest.Item) -> bool:
    """Whether `item` uses a database, a server or SMTP, by its fixtures, markers, imports."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & INTEGRATION_FIXTURES or item.get_closest_marker("postgres"):
        return True
    module = getattr(item, "module", None)
    return module is not None and any(
        name.startswith(INTEGRATION_MODULES) for name in _imports(module.__name__)
    )


@functools.cache
def _imports(module_name: str) -> frozenset[str]:
    """The modules a test module imports, and those its helpers in `tests` import in turn.

    Read from the source, not the globals: an imported object does not always know the
    module it came from (a click group says `click.core`).
    """
    module = sys.modules.get(module_name)
    source = getattr(module, "__file__", None)
    if source is None:
        return frozenset()
    package = module_name if source.endswith("__init__.py") else module_name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(Path(source).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            names.add(".".join(part for part in (base, node.module or "") if part))
    for name in list(names):
        if name.startswith("tests.") and name != module_name:
            names |= _imports(name)
    return frozenset(names)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    """Run a test not marked `integration` with databases and sockets refused."""
    if item.get_closest_marker("integration"):
        yield
        return
    with _refused(item.nodeid):
        yield


@contextmanager
def _refused(nodeid: str) -> Iterator[None]:
    # (owner, name, what its own __dict__ held: restored as is, a classmethod included)
    patches: list[tuple[Any, str, Any]] = []
    missing = object()

    def refuse(owner: Any, name: str, what: str, applies: Callable[..., bool]) -> None:
        original = getattr(owner, name)
        patches.append((owner, name, vars(owner).get(name, missing)))

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if applies(*args):
                raise AssertionError(f"{nodeid}: " + HOW_TO_MARK.format(what=what))
            return original(*args, **kwargs)

        setattr(owner, name, guarded)

    def always(*_args: Any) -> bool:
        return True

    def inet(sock: socket.socket, *_args: Any) -> bool:
        return sock.family in (socket.AF_INET, socket.AF_INET6)

    refuse(sqlite3, "connect", "a SQLite database opened", always)
    refuse(sqlite3.dbapi2, "connect", "a SQLite database opened", always)
    refuse(psycopg, "connect", "a PostgreSQL connection", always)
    refuse(psycopg.Connection, "connect", "a PostgreSQL connection", always)
    for name in ("connect", "connect_ex", "bind"):
        refuse(socket.socket, name, f"a network socket ({name})", inet)
    try:
        yield
    finally:
        for owner, name, own in reversed(patches):
            if own is missing:
                delattr(owner, name)
            else:
                setattr(owner, name, own)
