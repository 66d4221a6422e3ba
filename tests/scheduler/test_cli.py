"""`syndication publish [--at TIME]` on the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from harness.sites import Site
from syndication.cli import cli


def publish(site: Site, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(site.config), "publish", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("bad", [
    "tomorrow", "2026-03-29T08:00:00", "2026-03-29", "2026-02-30T08:00:00Z",
    "2026-03-29T08+02:00", "",
])
def test_a_bad_time_is_a_usage_error(site: Site, bad: str) -> None:
    code, output = publish(site, "--at", bad)
    assert code == 2
    assert "RFC 3339" in output


def test_publish_at_plans_and_reports(site: Site) -> None:
    site.add_subscriber("reader@example.org")
    site.add_release("due", "2026-03-29T09:00:00+02:00")
    code, output = publish(site, "--at", "2026-03-29T07:00:00Z")
    assert code == 0, output
    assert "Alert of due: 1 delivery planned." in output
    assert "Daily digest up to 2026-03-29T08:00:00+02:00: 0 deliveries planned." in output
    code, output = publish(site, "--at", "2026-03-29T07:00:00Z")
    assert code == 0
    assert output.endswith("0 deliveries planned in all.\n")
    code, output = publish(site, "--at", "2026-03-29 06:00:00+02:00")
    assert code == 0
    assert "made already" in output
    assert output.endswith("0 deliveries planned in all.\n")


def test_invalid_release_files_exit_1_after_publishing_the_rest(site: Site) -> None:
    site.add_release("good", "2026-03-29T09:00:00+02:00")
    (site.settings.releases_dir / "broken.toml").write_text("published = 2026-03-29T09:00:00\n")
    code, output = publish(site, "--at", "2026-03-30T00:00:00Z")
    assert code == 1
    assert "broken.toml" in output
    assert (site.settings.output_dir / "fr" / "good.html").is_file()
