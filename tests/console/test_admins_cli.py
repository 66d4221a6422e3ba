"""`admins add|list|remove` and `audit` through the real CLI on a real SQLite site."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from harness.sites import Site
from syndication.console.accounts import Role, SignIn, get_admin, sign_in
from syndication.console.schema import admins
from tests.cli.conftest import Run

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery"


def test_an_admin_added_from_stdin_can_sign_in_and_is_hashed(run: Run, site: Site) -> None:
    added = run("admins", "add", "claire", "--role", "admin", "--email", "claire@press.example",
                "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    with site.engine.connect() as conn:
        stored = conn.scalar(select(admins.c.password_hash).where(admins.c.name == "claire"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert sign_in(site.engine, "claire", PASSWORD) is SignIn.OK
    assert sign_in(site.engine, "claire", "wrong password!") is SignIn.REFUSED
    assert get_admin(site.engine, "claire").role is Role.ADMIN


def test_list_shows_roles_and_json(run: Run) -> None:
    run("admins", "add", "claire", "--role", "admin", "--password-stdin", input=PASSWORD)
    run("admins", "add", "eddy", "--role", "editor", "--password-stdin", input=PASSWORD)
    table = run("admins", "list")
    assert "claire" in table.output
    assert "editor" in table.output
    listed = json.loads(run("admins", "list", "--format", "json").output)
    assert [(a["name"], a["role"]) for a in listed] == [("claire", "admin"), ("eddy", "editor")]


def test_bad_names_short_passwords_and_duplicates_are_refused(run: Run) -> None:
    short = run("admins", "add", "claire", "--role", "admin", "--password-stdin", input="short")
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    bad = run("admins", "add", "Claire Dupont", "--role", "admin", "--password-stdin",
              input=PASSWORD)
    assert bad.exit_code == 1
    assert "bad admin name" in bad.output
    run("admins", "add", "claire", "--role", "admin", "--password-stdin", input=PASSWORD)
    again = run("admins", "add", "claire", "--role", "editor", "--password-stdin", input=PASSWORD)
    assert again.exit_code == 1
    assert "exists already" in again.output
    no_password = run("admins", "add", "marc", "--role", "admin")
    assert no_password.exit_code == 2
    assert "--password-stdin" in no_password.output


def test_remove_needs_yes_without_a_terminal(run: Run, site: Site) -> None:
    run("admins", "add", "claire", "--role", "admin", "--password-stdin", input=PASSWORD)
    refused = run("admins", "remove", "claire")
    assert refused.exit_code == 2
    assert "--yes" in refused.output
    assert get_admin(site.engine, "claire").name == "claire"
    removed = run("admins", "remove", "claire", "--yes")
    assert removed.exit_code == 0
    assert "No admins" in run("admins", "list").output
    unknown = run("admins", "remove", "claire", "--yes")
    assert unknown.exit_code == 1
    assert "no admin 'claire'" in unknown.output


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    run: Run, site: Site
) -> None:
    run("admins", "add", "claire", "--role", "admin", "--password-stdin", input=PASSWORD)
    outcomes = [sign_in(site.engine, "claire", f"guess number {n}") for n in range(5)]
    assert outcomes == [SignIn.REFUSED] * 4 + [SignIn.LOCKED]
    assert sign_in(site.engine, "claire", PASSWORD) is SignIn.LOCKED
    assert sign_in(site.engine, "nobody", PASSWORD) is SignIn.REFUSED


def test_audit_records_cli_changes_and_erase_scrubs_the_address(run: Run) -> None:
    assert run("subscribers", "add", "ann@example.org", "--lists", "press").exit_code == 0
    assert run("lists", "create", "agenda").exit_code == 0
    assert run("subscribers", "list").exit_code == 0  # a read: not recorded
    assert run("subscribers", "erase", "--help").exit_code == 0  # help: not recorded
    logged = json.loads(run("audit", "--format", "json").output)
    assert [(e["action"], e["target"], e["channel"]) for e in logged] == [
        ("lists create", "agenda", "cli"), ("subscribers add", "ann@example.org", "cli")]
    assert logged[0]["origin"].startswith("cli@")
    assert logged[0]["actor"]
    erased = run("subscribers", "erase", "ann@example.org", "--yes")
    assert erased.exit_code == 0, erased.output
    after = run("audit", "--format", "json").output
    assert "ann@example.org" not in after
    entries = json.loads(after)
    assert entries[0]["action"] == "subscribers erase"
    assert entries[0]["target"] == "<erased address>"
    assert entries[-1]["target"] == "<erased address>"
    table = run("audit", "--since", "1h")
    assert "lists create agenda" in table.output
    assert "No changes" in run("audit", "--since", "2999-01-01").output
    bad = run("audit", "--since", "yesterday")
    assert bad.exit_code == 2
    assert "ISO 8601" in bad.output
