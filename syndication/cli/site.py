"""`init`, `check` and `build`: the site's files, validated and published as feeds and pages."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import click

from syndication.cli.state import EXIT_INVALID, CliState
from syndication.config import Settings
from syndication.dkim import DkimKey
from syndication.dkim_keys import dkim_problems, dns_record, load_key
from syndication.errors import Problem
from syndication.file_modes import PUBLIC_FOLDER, make_folders, make_private_folder
from syndication.releases import LoadedReleases
from syndication.releases.catalog import load_site_releases
from syndication.resources import EXAMPLE_SITE_DIR


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init_command(directory: Path) -> None:
    """Create a working site in DIRECTORY from the example (config, releases, data folder)."""
    config = directory / "config.toml"
    if config.exists():
        click.echo(f"error: {config}: already exists; not overwriting it", err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    make_folders(directory, PUBLIC_FOLDER)  # a web server must reach public/ inside it
    shutil.copyfile(EXAMPLE_SITE_DIR / "config.toml", config)
    shutil.copytree(EXAMPLE_SITE_DIR / "releases", directory / "releases", dirs_exist_ok=True)
    make_private_folder(directory / "var")
    click.echo(f"Created a site in {directory}. Next: syndication --config {config} check")


@click.command("check")
@click.pass_obj
def check_command(state: CliState) -> None:
    """Validate the config and every release; print every problem."""
    settings = state.settings()
    loaded = load_state_releases(state)
    problems = list(loaded.problems)
    problems.extend(
        Problem(str(settings.config_path), "", f"the environment variable {secret} is not set")
        for secret in settings.missing_secrets()
    )
    problems.extend(
        Problem(str(settings.config_path), "", reason) for reason in settings.weak_secrets()
    )
    problems.extend(dkim_problems(settings))
    report_problems(problems)
    report_dkim_records(settings)
    click.echo(f"{len(loaded.releases)} valid releases, {len(problems)} problems.")
    if problems:
        raise click.exceptions.Exit(EXIT_INVALID)


@click.command("build")
@click.pass_obj
def build_command(state: CliState) -> None:
    """Write feeds and pages for everything public by now, rewriting only what changed."""
    from syndication.site.build import build_site

    settings = state.settings()
    loaded = load_state_releases(state)
    report_problems(loaded.problems)
    report = build_site(settings, loaded.releases, now=datetime.now(UTC))
    click.echo(
        f"{report.public} public releases: {len(report.written)} files written, "
        f"{report.unchanged} unchanged, in {settings.output_dir}"
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
