"""The ``subscribers`` and ``lists`` command lines: every command and failure mode."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from subscribers.membership import add_subscriber
from subscribers.model import ConsentSource
from subscribers.tokens import CONFIRM_MAX_AGE
from tests.subscribers.conftest import Invoke, site


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _setup(cli: Invoke) -> None:
    assert cli("lists", "create", "press", "--label", "Press").exit_code == 0
    assert cli("lists", "create", "accredited").exit_code == 0


def test_lists_create_list_delete(cli: Invoke) -> None:
    created = cli("lists", "create", "press", "--label", "Press room")
    assert (created.exit_code, created.stdout) == (0, "created list press\n")
    cli("subscribers", "add", "a@example.be", "--lists", "press")
    listed = cli("lists", "list")
    assert _lines(listed.stdout) == ["name   label       subscribers", "press  Press room  1"]
    as_json = json.loads(cli("lists", "list", "--format", "json").stdout)
    assert as_json == [{"name": "press", "label": "Press room", "members": 1}]  # as /api/lists
    deleted = cli("lists", "delete", "press", "--yes")
    assert (deleted.exit_code, deleted.stdout) == (
        0,
        "deleted list press and its 1 subscription\n",
    )


def test_lists_failures(cli: Invoke) -> None:
    cli("lists", "create", "press")
    duplicate = cli("lists", "create", "press")
    assert (duplicate.exit_code, duplicate.stderr) == (1, "error: list 'press' exists already\n")
    bad = cli("lists", "create", "Press Room")
    assert bad.exit_code == 2
    assert "bad list name" in bad.stderr
    missing = cli("lists", "delete", "nope", "--yes")
    assert (missing.exit_code, missing.stderr) == (1, "error: unknown list 'nope'\n")


def test_add_with_every_option(cli: Invoke) -> None:
    _setup(cli)
    added = cli(
        "subscribers",
        "add",
        "Jane@Example.BE",
        "--name",
        "Jane",
        "--organisation",
        "Le Soir",
        "--languages",
        "nl,fr",
        "--lists",
        "press",
        "--themes",
        "health,international",
        "--frequency",
        "daily",
    )
    assert (added.exit_code, added.stdout) == (0, "added Jane@example.be (active) to press\n")
    shown = json.loads(cli("subscribers", "show", "jane@example.be", "--format", "json").stdout)
    assert shown["email"] == "Jane@example.be"  # one object, as GET /api/subscribers/{email}
    assert shown["languages"] == ["nl", "fr"]
    assert shown["organisation"] == "Le Soir"
    assert shown["lists"] == ["press"]
    assert shown["subscriptions"] == [
        {
            "list": "press",
            "themes": ["health", "international"],
            "frequency": "daily",
            "created_at": shown["subscriptions"][0]["created_at"],
        }
    ]
    assert [consent["source"] for consent in shown["consents"]] == ["admin"]
    # Deliveries are the mounting site's (its registry's access hook); none on their own.
    assert "deliveries" not in shown


def test_add_defaults_to_site_languages_and_every_list(cli: Invoke) -> None:
    _setup(cli)
    added = cli("subscribers", "add", "a@example.be")
    assert added.stdout == "added a@example.be (active) to accredited, press\n"
    rows = list(csv.DictReader(io.StringIO(cli("subscribers", "list", "--format", "csv").stdout)))
    assert [(r["languages"], r["lists"], r["status"]) for r in rows] == [
        ("fr,nl", "accredited,press", "active")
    ]


def test_add_bad_values_exit_2_unknown_names_exit_1(cli: Invoke) -> None:
    _setup(cli)
    for args, fragment, code in [
        (("not-an-email",), "EMAIL", 2),
        (("a@example.be", "--frequency", "hourly"), "hourly", 2),
        (("a@example.be", "--lists", "Bad Name"), "bad list name", 2),
        (("a@example.be", "--languages", ""), "no language given", 2),
        # SPEC "Precisely": well-formed, but naming nothing the site has
        (("a@example.be", "--languages", "de"), "unknown language 'de'", 1),
        (("a@example.be", "--themes", "sport"), "unknown theme 'sport'", 1),
        (("a@example.be", "--lists", "nope"), "nope", 1),
    ]:
        result = cli("subscribers", "add", *args)
        assert result.exit_code == code, args
        assert fragment in result.stderr
        assert "Traceback" not in result.output
    assert cli("subscribers", "list").stdout.count("@") == 0


def test_add_failures_exit_1_with_one_line(cli: Invoke) -> None:
    _setup(cli)
    unknown = cli("subscribers", "add", "a@example.be", "--lists", "nope")
    assert (unknown.exit_code, unknown.stderr) == (1, "error: unknown list 'nope'\n")
    cli("subscribers", "add", "a@example.be")
    twice = cli("subscribers", "add", "A@example.be")
    assert twice.exit_code == 1
    assert twice.stderr == "error: A@example.be is a subscriber already (active)\n"


def test_remove(cli: Invoke) -> None:
    _setup(cli)
    cli("subscribers", "add", "a@example.be")
    one = cli("subscribers", "remove", "a@example.be", "--list", "press")
    assert (one.exit_code, one.stdout) == (0, "removed a@example.be from press\n")
    again = cli("subscribers", "remove", "a@example.be", "--list", "press")
    assert again.exit_code == 1
    assert "not on list 'press'" in again.stderr
    everything = cli("subscribers", "remove", "a@example.be")
    assert everything.stdout == "a@example.be is now unsubscribed\n"
    idle = cli("subscribers", "remove", "a@example.be")
    assert idle.stdout == "a@example.be was unsubscribed already: nothing to do\n"
    unknown = cli("subscribers", "remove", "x@example.be")
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "error: no subscriber with address x@example.be\n",
    )


def test_list_filters_and_formats(cli: Invoke) -> None:
    _setup(cli)
    cli("subscribers", "add", "b@example.be", "--lists", "press", "--name", "B")
    cli("subscribers", "add", "a@example.be", "--lists", "accredited")
    cli("subscribers", "add", "gone@example.be")
    cli("subscribers", "remove", "gone@example.be")
    plain = _lines(cli("subscribers", "list").stdout)
    assert plain[0].split() == [
        "email",
        "name",
        "organisation",
        "languages",
        "lists",
        "status",
        "created",
    ]
    assert [line.split()[0] for line in plain[1:]] == ["a@example.be", "b@example.be"]
    everyone = json.loads(cli("subscribers", "list", "--all", "--format", "json").stdout)
    assert everyone["total"] == 3
    assert [(p["email"], p["status"]) for p in everyone["items"]] == [
        ("a@example.be", "active"),
        ("b@example.be", "active"),
        ("gone@example.be", "unsubscribed"),
    ]
    press = json.loads(cli("subscribers", "list", "--list", "press", "--format", "json").stdout)
    assert [(p["email"], p["lists"]) for p in press["items"]] == [("b@example.be", ["press"])]
    assert cli("subscribers", "list", "--list", "nope").exit_code == 1
    assert cli("subscribers", "list", "--format", "xml").exit_code == 2


def test_show_everything_held(cli: Invoke, database_url: str) -> None:
    _setup(cli)
    cli("subscribers", "add", "a@example.be", "--name", "Anne", "--lists", "press")

    def history(conn: Connection, subscriber_id: int) -> list[dict[str, str]]:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
        return [{"mailing": "release-1", "status": "sent", "subscriber": str(subscriber_id)}]

    shown = cli("subscribers", "show", "a@example.be", env=site(database_url, history=history))
    assert shown.exit_code == 0
    text = shown.stdout
    for expected in (
        "subscriber",
        "Anne",
        "subscriptions",
        "press",
        "consent",
        "admin",
        "deliveries",
        "release-1",
        "sent",
    ):
        assert expected in text
    missing = cli("subscribers", "show", "x@example.be")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "error: no subscriber with address x@example.be\n",
    )


def test_erase_then_re_add_is_refused(cli: Invoke) -> None:
    _setup(cli)
    cli("subscribers", "add", "a@example.be", "--name", "Anne")
    erased = cli("subscribers", "erase", "a@example.be", "--yes")
    assert erased.exit_code == 0
    assert erased.stdout.startswith("erased a@example.be")
    shown = cli("subscribers", "show", "a@example.be")
    assert (
        shown.stdout
        == "nothing is held about a@example.be: it was erased (only a keyed hash remains)\n"
    )
    refused = cli("subscribers", "add", "a@example.be")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: a@example.be was erased at the person's request and is never mailed again;"
        " add it with --resubscribe only if the person asked to come back\n"
    )
    back = cli("subscribers", "add", "a@example.be", "--resubscribe")
    assert (back.exit_code, back.stdout) == (
        0,
        "added a@example.be (active) to accredited, press\n",
    )
    unknown = cli("subscribers", "erase", "never@example.be", "--yes")
    assert unknown.exit_code == 0
    assert "nothing was held" in unknown.stdout


def test_erase_and_checks_without_secret(cli: Invoke, database_url: str) -> None:
    _setup(cli)
    no_secret = site(database_url, secret=None)
    refused = cli("subscribers", "erase", "a@example.be", "--yes", env=no_secret)
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == "error: erase needs the site secret to keep the keyed hash: set SYNDICATION_SECRET\n"
    )
    assert cli("subscribers", "add", "a@example.be", env=no_secret).exit_code == 0
    cli("subscribers", "erase", "b@example.be", "--yes")
    blocked = cli("subscribers", "add", "c@example.be", env=no_secret)
    assert blocked.exit_code == 1
    assert "set the SYNDICATION_SECRET environment variable" in blocked.stderr


def test_import_reports_lines_and_exits_1(cli: Invoke, tmp_path: Path) -> None:
    _setup(cli)
    path = tmp_path / "people.csv"
    path.write_text(
        "email;languages;lists\nok@example.be;fr;press\nbad;fr;press\nde@example.be;de;press\n",
        encoding="utf-8",
    )
    result = cli("subscribers", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3: bad email 'bad': An email address must have an @-sign.",
        f"{path}:4: unknown language 'de' (site languages: fr, nl)",
    ]
    assert result.stdout == "imported 1 row, rejected 2\n"
    strict = cli("subscribers", "import", str(path), "--strict")
    assert strict.exit_code == 1
    assert "nothing imported (--strict)" in strict.stdout
    path.write_text("email\nnew@example.be\n", encoding="utf-8")
    clean = cli("subscribers", "import", str(path), "--strict")
    assert (clean.exit_code, clean.stdout) == (0, "imported 1 row, rejected 0\n")
    assert cli("subscribers", "import", str(tmp_path / "missing.csv")).exit_code == 1  # names nothing: SPEC "Precisely"


def test_import_shows_progress_on_a_terminal(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("subscribers.cli.transfer.on_terminal", lambda: True)
    path = tmp_path / "people.csv"
    path.write_text("email\n" + "".join(f"p{n}@example.be\n" for n in range(50)), encoding="utf-8")
    result = cli("subscribers", "import", str(path))
    assert (result.exit_code, result.stdout) == (0, "imported 50 rows, rejected 0\n")
    assert cli("subscribers", "list", "--format", "json").stdout.count("@example.be") == 50


def test_export_to_stdout_and_file(cli: Invoke, tmp_path: Path) -> None:
    _setup(cli)
    cli("subscribers", "add", "a@example.be", "--name", "=1+1", "--lists", "press")
    out = cli("subscribers", "export")
    assert out.stdout.splitlines() == [
        "email,name,organisation,languages,lists,themes,frequency",
        "a@example.be,'=1+1,,fr;nl,press,,immediate",
    ]
    target = tmp_path / "export.csv"
    written = cli("subscribers", "export", str(target))
    assert written.stdout == f"exported 1 row to {target}\n"
    assert target.read_bytes().startswith(b"\xef\xbb\xbfemail,")
    reimport = cli("subscribers", "import", str(target))
    assert reimport.exit_code == 1
    assert "a@example.be is a subscriber already" in reimport.stderr


def test_unreachable_database_is_one_line() -> None:
    from click.testing import CliRunner

    from tests.subscribers.conftest import make_root

    env = site("postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(make_root(env), ["lists", "list"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: database: ")
    assert result.stderr.count("\n") == 1


def test_purge_pending_says_how_many(cli: Invoke, engine: Engine) -> None:
    _setup(cli)
    long_ago = datetime.now(UTC) - CONFIRM_MAX_AGE - timedelta(hours=1)
    for email in ("a@example.be", "b@example.be"):
        add_subscriber(engine, email, languages=["fr"], source=ConsentSource.WEB, now=long_ago)
    add_subscriber(engine, "c@example.be", languages=["fr"], source=ConsentSource.WEB)
    purged = cli("subscribers", "purge-pending")
    assert (purged.exit_code, purged.stdout) == (0, "purged 2 pending sign-ups never confirmed\n")
    again = cli("subscribers", "purge-pending")
    assert again.stdout == "purged 0 pending sign-ups never confirmed\n"
    assert "c@example.be" in cli("subscribers", "list", "--all").stdout
