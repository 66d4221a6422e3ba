"""List labels are checked wherever a list is made (issue 11, item 14).

The API took any label: terminal escape sequences (shown by `lists list`) and 60 KB.
"""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner

from harness.sites import Site
from syndication.cli import cli

AUTH = {"Authorization": "Bearer security-test-admin-token"}
BAD_LABELS = ["\x1b[2J\x1b[31mred", "a\x00b", "x" * 60_000, "bell\x07"]


@pytest.mark.parametrize("label", BAD_LABELS)
async def test_the_api_refuses_a_bad_label(
    site: Site, client: httpx.AsyncClient, label: str
) -> None:
    answer = await client.post("/api/lists", headers=AUTH, json={"name": "new", "label": label})
    assert answer.status_code == 422
    assert "label" in answer.text
    names = [item["name"] for item in (await client.get("/api/lists", headers=AUTH)).json()]
    assert "new" not in names


@pytest.mark.parametrize("label", BAD_LABELS[:2])
def test_the_command_line_refuses_a_bad_label(site: Site, label: str) -> None:
    made = CliRunner().invoke(cli, ["--config", str(site.config), "lists", "create", "new",
                                    "--label", label])
    assert made.exit_code == 1
    assert "label" in made.stderr
    listed = CliRunner().invoke(cli, ["--config", str(site.config), "lists", "list"])
    assert "new" not in listed.stdout
    assert "\x1b" not in listed.stdout


async def test_a_good_label_is_kept_on_one_line(site: Site, client: httpx.AsyncClient) -> None:
    answer = await client.post("/api/lists", headers=AUTH,
                               json={"name": "new", "label": "Presse\n  régionale"})
    assert answer.status_code == 201
    assert answer.json()["label"] == "Presse régionale"
