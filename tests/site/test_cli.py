"""`syndication build` and `syndication check` on a copy of the example site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from syndication.cli import cli


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secrets `check` wants in the environment."""
    monkeypatch.setenv("SYNDICATION_SECRET", "cli-test-secret-8Gm2Xr5Kw9Tq3Zp7Lv4Nc6BhYeA1Fo")
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", "cli-test-admin-token-Jd4Wy7Qs2Fk9Rm5Tx3EpUa")


def run(config: Path, *arguments: str) -> tuple[int, str, str]:
    """Run the command line; exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["--config", str(config), *arguments])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_the_site_then_nothing(example_site: Path) -> None:
    code, out, _ = run(example_site, "build")
    assert code == 0
    public = example_site.parent / "public"
    for path in ("index.html", "feeds.opml", "fr/atom.xml", "nl/rss.xml", "fr/feed.json",
                 "fr/themes/pensions/atom.xml", "nl/2016-08-31-belincosoc-china.html"):
        assert (public / path).is_file(), path
    feed = json.loads((public / "nl/feed.json").read_text("utf-8"))
    assert feed["language"] == "nl"
    assert "files written" in out
    code, out, _ = run(example_site, "build")
    assert code == 0
    assert " 0 files written" in out


def test_check_passes_on_the_example_site(example_site: Path, secrets: None) -> None:
    code, out, err = run(example_site, "check")
    assert (code, err) == (0, "")
    assert "7 valid releases, 0 problems" in out


def test_check_names_the_file_and_field_of_a_bad_release(
    example_site: Path, secrets: None
) -> None:
    bad = example_site.parent / "releases" / "2019-05-01-bad.toml"
    bad.write_text(
        'published = 2019-05-01T10:00:00\nthemes = ["pensions"]\n'
        '[fr]\ntitle = "Un titre"\nbody = "Du texte."\n',
        encoding="utf-8",
    )
    code, out, err = run(example_site, "check")
    assert code == 1
    assert f"{bad}: published: has no UTC offset" in err
    assert "7 valid releases" in out


def test_build_still_builds_the_good_releases_and_exits_1(example_site: Path) -> None:
    bad = example_site.parent / "releases" / "2019-05-01-bad.toml"
    bad.write_text('published = 2019-05-01T10:00:00+02:00\nthemes = ["nope"]\n[fr]\n'
                   'title = "x"\nbody = "y"\n', encoding="utf-8")
    code, _, err = run(example_site, "build")
    assert code == 1
    assert f"{bad}: themes: unknown theme 'nope'" in err
    assert (example_site.parent / "public/fr/2016-08-31-belincosoc-china.html").is_file()


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("a", "is 1 bytes long; it must be at least 32 random bytes"),
        ("a test secret that is long enough", "looks guessable"),
        ("x" * 64, "looks guessable"),
        ("0123456789" * 4, "looks guessable"),
    ],
)
def test_check_refuses_a_weak_secret_and_says_how_to_make_one(
    example_site: Path, secrets: None, monkeypatch: pytest.MonkeyPatch, secret: str, reason: str
) -> None:
    monkeypatch.setenv("SYNDICATION_SECRET", secret)
    code, out, err = run(example_site, "check")
    assert code == 1
    assert f"the environment variable SYNDICATION_SECRET {reason}" in err
    assert "secrets.token_urlsafe(32)" in err
    assert "7 valid releases, 1 problem." in out


def test_check_takes_the_secret_python_makes(
    example_site: Path, secrets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets as random_secrets

    for _ in range(20):
        monkeypatch.setenv("SYNDICATION_SECRET", random_secrets.token_urlsafe(32))
        monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", random_secrets.token_hex(32))
        code, _out, err = run(example_site, "check")
        assert (code, err) == (0, "")


def test_check_mentions_a_weak_previous_secret_without_failing(
    example_site: Path, secrets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNDICATION_SECRET_PREVIOUS", "a")
    code, _out, err = run(example_site, "check")
    assert code == 0  # rotating away from a weak secret is the point: it must not block
    assert "warning: the environment variable SYNDICATION_SECRET_PREVIOUS is 1 bytes" in err
    assert "can be forged while it is set" in err
    monkeypatch.setenv("SYNDICATION_SECRET_PREVIOUS", "cli-test-old-secret-Wq3Zp8Lk2Rv5Tm9Xc4Bn7Hs")
    assert run(example_site, "check")[2] == ""  # a strong previous secret: nothing to say
