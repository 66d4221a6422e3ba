"""Benchmark: feeds and pages of a generated site (default 10,000 releases × 2 languages ×
20 themes), timed end to end as `syndication build` runs them: `load_releases` + `build_site`.

Three kinds of build, each in a fresh process (as the CLI runs): a full build (no caches,
empty output folder), a build with nothing changed, and a rebuild after editing one release;
the last two are repeated (`--repeat`, the fastest run is shown: the machine may be shared).
A last row renders the whole search index (every month shard of every language, as the
full build does on its workers) in one process, to show its share of the full build.
Prints a table: releases, wall seconds (load, build, total), CPU seconds (this process and
its page-writing workers, interpreter start-up included), files written, peak memory (RSS
of the largest process).

    .venv/bin/python bench/feeds.py [--releases 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

THEMES = [f"theme-{index:02d}" for index in range(20)]
PARAGRAPH = (
    "Le Service de Coopération Internationale du SPF Sécurité sociale a accueilli une "
    "délégation de haut niveau. Les deux organisations ont échangé leur expérience et leurs "
    "bonnes pratiques dans le domaine de la sécurité sociale en temps de crise, de "
    "l'inégalité des revenus et du marché du travail. "
)
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def write_site(folder: Path, count: int) -> None:
    """A config with 20 themes and `count` bilingual releases, one every 8 hours from 2000."""
    lines = [
        "[site]", 'base_url = "https://press.example.be"', 'languages = ["fr", "nl"]',
        'timezone = "Europe/Brussels"',
        'title = { fr = "Communiqués de presse", nl = "Persberichten" }',
        "[organisation]", 'name = { fr = "SPF Sécurité sociale", nl = "FOD Sociale Zekerheid" }',
        'website = "https://www.socialsecurity.belgium.be"',
        "[contacts.press-service]", 'name = "Service de presse / Persdienst"',
        'phone = "0473 13 13 29"', 'email = "press@minsoc.fed.be"',
        "[lists.press]", 'label = "Press"',
    ]
    for slug in THEMES:
        lines += [f"[themes.{slug}]", f'label = {{ fr = "Thème {slug}", nl = "Thema {slug}" }}']
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    releases = folder / "releases"
    releases.mkdir(exist_ok=True)
    chooser = random.Random(2016)
    start = datetime(2000, 1, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    for index in range(count):
        published = start + timedelta(hours=8 * index)
        (releases / f"r{index:05d}.toml").write_text(
            release_text(index, published, chooser.sample(THEMES, 2)), encoding="utf-8"
        )


def release_text(index: int, published: datetime, themes: list[str], edit: str = "") -> str:
    """One release file like the example ones: two languages, contacts, an attachment."""
    body = f"{PARAGRAPH}\n\n{PARAGRAPH}{edit}\n\n- un\n- deux *trois*\n"
    return f'''published = {published.isoformat()}
themes = ["{themes[0]}", "{themes[1]}"]

[fr]
title = "Communiqué numéro {index}"
summary = "Résumé du communiqué numéro {index}."
body = """
{body}"""

[nl]
title = "Persbericht nummer {index}"
summary = "Samenvatting van persbericht nummer {index}."
body = """
{body}"""

[[contacts]]
ref = "press-service"

[[contacts]]
name = "Jan Peeters"
role = {{ fr = "Porte-parole", nl = "Woordvoerder" }}
phone = "0470 55 12 34"
email = "jan.peeters@minsoc.fed.be"

[[attachments]]
title = {{ fr = "Rapport (PDF)", nl = "Rapport (pdf)" }}
url = "https://press.example.be/files/{index}.pdf"
type = "application/pdf"
'''


def run_phase(config: Path) -> dict[str, float | int]:
    """One `syndication build`: load the releases, build the site; times and peak memory."""
    from syndication.config import load_settings
    from syndication.releases import load_releases
    from syndication.site.build import build_site

    settings = load_settings(config)
    started = time.perf_counter()
    loaded = load_releases(settings)
    loaded_at = time.perf_counter()
    report = build_site(settings, loaded.releases, now=NOW)
    finished = time.perf_counter()
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return {
        "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
        "releases": len(loaded.releases), "problems": len(loaded.problems),
        "load": loaded_at - started, "build": finished - loaded_at, "total": finished - started,
        "written": len(report.written), "unchanged": report.unchanged,
        "peak_mib": max(own.ru_maxrss, workers.ru_maxrss) / 1024,
    }


def search_phase(config: Path) -> dict[str, float | int]:
    """Render every search shard in this process; times as `run_phase` reports them."""
    from syndication.config import load_settings
    from syndication.pages.listing import month_of
    from syndication.releases import Release, load_releases
    from syndication.search.index import render_shard

    settings = load_settings(config)
    started = time.perf_counter()
    releases = load_releases(settings).releases
    loaded_at = time.perf_counter()
    shards = 0
    for language in settings.languages:
        months: dict[str, list[Release]] = {}
        for release in sorted(releases, key=lambda r: r.published, reverse=True):
            months.setdefault(month_of(release, settings), []).append(release)
        for items in months.values():
            render_shard(settings, language, items)
            shards += 1
    finished = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": own.ru_utime + own.ru_stime, "releases": len(releases), "problems": 0,
        "load": loaded_at - started, "build": finished - loaded_at, "total": finished - started,
        "written": shards, "unchanged": 0, "peak_mib": own.ru_maxrss / 1024,
    }


def measure(config: Path, phase: str = "--phase") -> dict[str, float | int]:
    """Run one phase in a fresh interpreter (as the command line does)."""
    # -P: this folder is not put first on sys.path, where bench/subscribers.py would hide
    # the `subscribers` package that the config module imports.
    result = subprocess.run(
        [sys.executable, "-P", __file__, phase, str(config)],
        check=True, capture_output=True, text=True,
    )
    measured: dict[str, float | int] = json.loads(result.stdout)
    return measured


def main() -> None:
    """Generate the site, run the three builds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the incremental builds")
    parser.add_argument("--keep", type=Path, help="generate the site here and keep it")
    parser.add_argument("--phase", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--search-phase", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.phase:
        print(json.dumps(run_phase(arguments.phase)))
        return
    if arguments.search_phase:
        print(json.dumps(search_phase(arguments.search_phase)))
        return
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    try:
        started = time.perf_counter()
        write_site(folder, arguments.releases)
        print(f"generated {arguments.releases} releases in {time.perf_counter() - started:.1f} s"
              f" ({folder})")
        config = folder / "config.toml"
        rows = [("full build", measure(config))]
        rows.append(("no change", fastest(measure(config) for _ in range(arguments.repeat))))
        edited = folder / "releases" / f"r{arguments.releases // 2:05d}.toml"
        original = edited.read_text(encoding="utf-8")
        runs = []
        for run in range(arguments.repeat):
            edited.write_text(original.replace("Résumé du", f"Résumé corrigé ({run}) du"),
                              encoding="utf-8")
            runs.append(measure(config))
        rows.append(("one release edited", fastest(runs)))
        rows.append(("search index alone (every shard, 1 process)",
                     measure(config, "--search-phase")))
        print_table(rows)
    finally:
        if arguments.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def fastest(runs: Iterable[dict[str, float | int]]) -> dict[str, float | int]:
    """The run with the shortest total time."""
    return min(runs, key=lambda run: run["total"])


def print_table(rows: list[tuple[str, dict[str, float | int]]]) -> None:
    """The results as a Markdown table."""
    print("| build | releases | load s | build s | total s | CPU s | written | unchanged "
          "| peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['releases']} | {row['load']:.2f} | {row['build']:.2f} | "
              f"{row['total']:.2f} | {row['cpu']:.2f} | {row['written']} | "
              f"{row['unchanged']} | {row['peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
