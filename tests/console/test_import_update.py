"""Import in update mode (CLI `subscribers import --update`) and the import preview."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sites import Site
from subscribers import (
    find_subscriber,
    import_csv,
    preview_csv,
    remove_subscriber,
    show_person,
)
from tests.cli.conftest import Run

pytestmark = pytest.mark.integration
LANGUAGES = ("fr", "nl")


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_says_what_would_change_and_changes_nothing(site: Site, tmp_path: Path) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    site.add_subscriber("bert@standaard.example", languages=("nl",), lists=("press",))
    site.add_subscriber("gone@example.org", lists=("press",))
    remove_subscriber(site.engine, "gone@example.org")
    path = _csv(tmp_path, "email,name,languages,lists\n"
                "anne@lesoir.example,Anne,fr,press;public\n"   # 2: updated
                "bert@standaard.example,,nl,press\n"           # 3: unchanged
                "new@example.org,New,fr,press\n"               # 4: new
                "not an address,,fr,press\n"                   # 5: rejected
                "gone@example.org,,fr,press\n"                 # 6: unsubscribed: rejected
                "new@example.org,Again,fr,press\n")            # 7: duplicate in file
    seen = preview_csv(site.engine, path, languages=LANGUAGES, themes=(), update=True)
    assert seen.new == ((4, "new@example.org"),)
    assert seen.updated == ((2, "anne@lesoir.example", ("name", "subscriptions")),)
    assert seen.unchanged == ((3, "bert@standaard.example"),)
    assert [(error.line, error.reason.split(":")[0]) for error in seen.rejected] == [
        (5, "bad email 'not an address'"),
        (6, "gone@example.org is unsubscribed"),
        (7, "duplicate in file"),
    ]
    assert find_subscriber(site.engine, "anne@lesoir.example").name == ""
    without = preview_csv(site.engine, path, languages=LANGUAGES, themes=(), update=False)
    assert any("is a subscriber already" in error.reason for error in without.rejected)
    assert without.updated == ()


def test_update_applies_and_keeps_subscription_dates(site: Site, tmp_path: Path) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    before = show_person(site.engine, "anne@lesoir.example").subscriptions[0].created_at
    path = _csv(tmp_path, "email,name,organisation,languages,lists,frequency\n"
                "anne@lesoir.example,Anne,Le Soir,nl;fr,press;public,weekly\n")
    report = import_csv(site.engine, path, languages=LANGUAGES, themes=(), update=True)
    assert (report.imported, report.updated, report.unchanged, report.errors) == (0, 1, 0, ())
    person = show_person(site.engine, "anne@lesoir.example")
    assert (person.subscriber.name, person.subscriber.organisation) == ("Anne", "Le Soir")
    assert person.subscriber.languages == ("nl", "fr")
    by_list = {item.list_name: item for item in person.subscriptions}
    assert set(by_list) == {"press", "public"}
    assert by_list["press"].created_at == before
    assert {item.frequency.value for item in person.subscriptions} == {"weekly"}
    again = import_csv(site.engine, path, languages=LANGUAGES, themes=(), update=True)
    assert (again.updated, again.unchanged) == (0, 1)


def test_cli_update_mode(run: Run, site: Site, tmp_path: Path) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    path = _csv(tmp_path, "email,name\nanne@lesoir.example,Anne\nnew@example.org,New\n")
    rejected = run("subscribers", "import", str(path))
    assert rejected.exit_code == 1
    assert "is a subscriber already" in rejected.output
    updated = run("subscribers", "import", "--update", str(path))
    assert updated.exit_code == 0, updated.output
    # new@example.org went in with the first run: it is unchanged now.
    assert "imported 0 rows, updated 1, unchanged 1, rejected 0" in updated.output
    assert find_subscriber(site.engine, "anne@lesoir.example").name == "Anne"
