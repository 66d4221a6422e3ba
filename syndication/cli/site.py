"""`init`, `check`, `secret` and `build`: a site's files, validated, published as feeds, pages."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import click

from syndication.cli.state import EXIT_INVALID, CliState
from syndication.cli.words import ngettext
from syndication.config import Settings
from syndication.dkim import DkimKey
from syndication.dkim_keys import dkim_problems, dns_record, load_key
from syndication.errors import ConfigError, Problem
from syndication.file_modes import PUBLIC_FOLDER, make_folders, make_private_folder
from syndication.releases import LoadedReleases
from syndication.releases.catalog import load_site_releases
from syndication.resources import EXAMPLE_SITE_DIR
from syndication.secret_strength import make_secret

_ABSOLUTE_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/\-]*)?")
_BASE_URL_LINE = re.compile(r'^base_url = "[^"]*"', re.MULTILINE)  # the one of [site]


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _ABSOLUTE_URL.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not an absolute http(s) URL, like "
                                 "http://127.0.0.1:8080")
    return None if value is None else value.rstrip("/")


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--base-url", callback=_base_url, default=None,
              help="[site] base_url of the new site, e.g. http://127.0.0.1:8080 to try "
              "every link of its emails locally.  [default: the example's]")
def init_command(directory: Path, base_url: str | None) -> None:
    """Create a working site in DIRECTORY from the example (config, releases, data folder)."""
    config = directory / "config.toml"
    if config.exists():
        click.echo(f"error: {config}: already exists; not overwriting it", err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    make_folders(directory, PUBLIC_FOLDER)  # a web server must reach public/ inside it
    text = (EXAMPLE_SITE_DIR / "config.toml").read_text(encoding="utf-8")
    if base_url is not None:
        text = _BASE_URL_LINE.sub(lambda _: f'base_url = "{base_url}"', text, count=1)
    config.write_text(text, encoding="utf-8")
    shutil.copytree(EXAMPLE_SITE_DIR / "releases", directory / "releases", dirs_exist_ok=True)
    # The example logo, for `[site] logo` (commented out in the config until it is yours).
    shutil.copyfile(EXAMPLE_SITE_DIR / "logo.svg", directory / "logo.svg")
    make_private_folder(directory / "var")
    click.echo(f"Created a site in {directory}. Next, give it its secrets and check it:")
    for name in ("SYNDICATION_SECRET", "SYNDICATION_ADMIN_TOKEN"):
        click.echo(f'  export {name}="$(syndication secret)"')
    click.echo(f"  syndication --config {config} check")


@click.command("check")
@click.pass_obj
def check_command(state: CliState) -> None:
    """Validate the config and every release; print every problem."""
    settings = state.settings()
    loaded = load_state_releases(state)
    problems = list(loaded.problems)
    problems.extend(
        Problem(str(settings.config_path), "", f"the environment variable {secret} is not set: "
                f"{_how_to_set(secret.split(' ')[0], settings)}")
        for secret in settings.missing_secrets()
    )
    problems.extend(
        Problem(str(settings.config_path), "", reason) for reason in settings.weak_secrets()
    )
    problems.extend(dkim_problems(settings))
    for warning in settings.secret_warnings():
        click.echo(f"{settings.config_path}: warning: {warning}", err=True)
    report_problems(problems)
    report_dkim_records(settings)
    click.echo(ngettext("%(num)d valid release", "%(num)d valid releases", len(loaded.releases))
               + ", " + ngettext("%(num)d problem.", "%(num)d problems.", len(problems)))
    if problems:
        raise click.exceptions.Exit(EXIT_INVALID)


def _how_to_set(name: str, settings: Settings) -> str:
    """The command that sets a missing variable: a new secret, or the SMTP password."""
    if name in (settings.web.secret_env, settings.web.admin_token_env):
        return f'export {name}="$(syndication secret)"'
    return f"export {name}=<its value>"


@click.command("secret")
def secret_command() -> None:
    """Print a new strong random secret (64 characters, 384 bits) for the environment.

    \b
    export SYNDICATION_SECRET="$(syndication secret)"
    export SYNDICATION_ADMIN_TOKEN="$(syndication secret)"
    """
    click.echo(make_secret())


@click.command("build")
@click.pass_obj
def build_command(state: CliState) -> None:
    """Write feeds and pages for everything public by now, rewriting only what changed."""
    from syndication.site.build import build_site

    settings = state.settings()
    loaded = load_state_releases(state)
    report_problems(loaded.problems)
    try:
        report = build_site(settings, loaded.releases, now=datetime.now(UTC))
    except ConfigError as error:  # an override template that cannot be rendered
        report_problems(error.problems)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    click.echo(
        ngettext("%(num)d public release", "%(num)d public releases", report.public) + ": "
        + ngettext("%(num)d file written, %(unchanged)d unchanged, in %(folder)s",
                   "%(num)d files written, %(unchanged)d unchanged, in %(folder)s",
                   len(report.written), unchanged=report.unchanged, folder=settings.output_dir)
    )
    if loaded.problems:
        raise click.exceptions.Exit(EXIT_INVALID)


def load_state_releases(state: CliState) -> LoadedReleases:
    """Every release of the site, validated against config lists and database lists."""
    return load_site_releases(state.engine(), state.settings())


def report_dkim_records(settings: Settings) -> None:
    """Print the DNS TXT record of each DKIM key that loads (what to publish)."""
    dkim = settings.mail.dkim
    if dkim is None:
        return
    for key in dkim.keys:
        loaded = load_key(key)
        if not isinstance(loaded, str):
            record = dns_record(DkimKey(dkim.domain, key.selector, loaded))
            click.echo(f"DKIM: publish this DNS record: {record}")


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    """Print each problem on its own line on stderr."""
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
