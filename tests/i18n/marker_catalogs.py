"""A throw-away catalog of a new language, made with pybabel from the committed template."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from syndication.resources import LOCALES_DIR


def make_marker_catalog(folder: Path, language: str, marker: str) -> Path:
    """`folder` with a compiled catalog of `language`: every message as `marker` + English."""
    po = folder / language / "LC_MESSAGES" / "messages.po"
    _pybabel("init", "-i", str(LOCALES_DIR / "messages.pot"), "-d", str(folder),
             "-l", language, "--no-wrap")
    with open(po, "rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            forms = catalog.num_plurals
            singular, plural = message.id[0], message.id[1]
            message.string = tuple(marker + (singular if n == 0 else plural)
                                   for n in range(forms))
        else:
            message.string = marker + message.id
    with open(po, "wb") as file:
        write_po(file, catalog, width=0)
    _pybabel("compile", "-d", str(folder), "-l", language)
    return folder


def add_language(config: Path, language: str, *, releases: tuple[str, ...]) -> None:
    """Add `language` first in the config, a value in each of its per-language fields, and a
    version to `releases` (their per-language fields get a value too)."""
    counter = iter(range(1, 1_000))

    def add_value(match: re.Match[str]) -> str:
        return f'{match.group(1)}, {language} = "Wert {next(counter)}" }}'

    text = config.read_text("utf-8")
    text = text.replace("languages = [", f'languages = ["{language}", ', 1)
    config.write_text(re.sub(r'(nl = "[^"]*")\s*\}', add_value, text), "utf-8")
    for release in releases:
        path = config.parent / "releases" / f"{release}.toml"
        text = re.sub(r'(nl = "[^"]*")\s*\}', add_value, path.read_text("utf-8"))
        path.write_text(text + (
            f'\n[{language}]\ntitle = "Titel {release}"\nsummary = "Zusammenfassung."\n'
            f'body = "Text der Mitteilung."\nmore_info = "Weitere Auskünfte."\n'
        ), "utf-8")


def _pybabel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])
