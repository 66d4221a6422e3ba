"""Counted sentences of the command line: the right plural form, in the locale's language."""

from __future__ import annotations

import shutil

import pytest

from harness.sites import Site
from syndication.resources import EXAMPLE_SITE_DIR
from tests.cli.conftest import Run

SEED = "2016-08-31-belincosoc-china.toml"


@pytest.fixture
def one_release(site: Site) -> Site:
    shutil.copyfile(EXAMPLE_SITE_DIR / "releases" / SEED, site.config.parent / "releases" / SEED)
    return site


@pytest.mark.parametrize(("locale", "words"), [
    ("C.UTF-8", "1 valid release, 0 problems."),
    ("fr_BE.UTF-8", "1 communiqué valide, 0 problème."),  # French: 0 is singular
    ("nl_BE.UTF-8", "1 geldig persbericht, 0 problemen."),
])
def test_check_counts_in_the_locale_language(
    one_release: Site, run: Run, monkeypatch: pytest.MonkeyPatch, locale: str, words: str
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", locale)

    result = run("check")

    assert result.exit_code == 0, result.output
    assert words in result.output


def test_one_problem_is_singular(one_release: Site, run: Run) -> None:
    release = one_release.config.parent / "releases" / SEED
    release.write_text(release.read_text(encoding="utf-8").replace(
        'themes = ["', 'themes = ["no-such-theme", "'), encoding="utf-8")

    result = run("check")

    assert result.exit_code == 1
    assert "0 valid releases, 1 problem." in result.output


def test_publish_counts_one_delivery_and_one_release(one_release: Site, run: Run) -> None:
    assert run("subscribers", "add", "jane@example.be", "--lists", "press").exit_code == 0

    result = run("publish", "--at", "2016-08-31T15:50:00+02:00")

    assert result.exit_code == 0, result.output
    assert "1 public release, " in result.output
    assert ": 1 delivery planned." in result.output
    assert "1 delivery planned in all." in result.output
    assert "deliveries planned" not in result.output.replace("0 deliveries planned", "")
