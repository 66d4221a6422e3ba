"""No default ever puts anyone on a closed list (issue 11, item 3).

`subscribers add` and an import row with an empty lists cell put people on every list, the
embargo list `accredited` (config `public = false`) included: an embargo leak by default.
And `lists delete` of a list the config declares came back silently at the next start.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner

from harness.sites import Site
from subscribers import show_person
from syndication.cli import cli

AUTH = {"Authorization": "Bearer security-test-admin-token"}


def lists_of(site: Site, email: str) -> list[str]:
    return sorted(item.list_name for item in show_person(site.engine, email).subscriptions)


def run(site: Site, *arguments: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["--config", str(site.config), *arguments])
    return done.exit_code, done.output


def test_add_without_lists_joins_the_open_lists_only_and_says_so(site: Site) -> None:
    code, output = run(site, "subscribers", "add", "new@example.org")
    assert code == 0, output
    assert lists_of(site, "new@example.org") == ["press", "public"]
    assert "(the default: every open list; accredited closed, only with --lists)" in output
    code, _ = run(site, "subscribers", "add", "acc@example.org", "--lists", "accredited")
    assert code == 0
    assert lists_of(site, "acc@example.org") == ["accredited"]  # named: an admin's choice


def test_an_import_row_without_lists_joins_the_open_lists_only(
    site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("email,name,lists\nrow@example.org,Row,\nnamed@example.org,N,accredited\n",
                    encoding="utf-8")
    code, output = run(site, "subscribers", "import", str(path))
    assert code == 0, output
    assert lists_of(site, "row@example.org") == ["press", "public"]
    assert lists_of(site, "named@example.org") == ["accredited"]


async def test_the_api_default_is_the_open_lists(site: Site, client: httpx.AsyncClient) -> None:
    added = await client.post("/api/subscribers", headers=AUTH, json={"email": "api@example.org"})
    assert added.status_code == 201
    assert lists_of(site, "api@example.org") == ["press", "public"]


def test_a_list_the_config_declares_cannot_be_deleted(site: Site) -> None:
    code, output = run(site, "lists", "delete", "accredited", "--yes")
    assert code == 1
    assert "declared in the site's config ([lists.accredited])" in output
    code, output = run(site, "lists", "list")
    assert "accredited" in output
