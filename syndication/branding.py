"""The site's brand: its own templates, its logo, its accent colour, its name in a sentence.

Read from the config (`[paths] templates`, `[site] logo`, `[site] accent`, `[organisation]
name_in_sentence`) into one frozen value that pages, web pages and emails share. The
override folder is used only when it exists (the default, `templates` beside the config,
usually does not); a named logo must exist. The accent must be readable: the header puts
text on it and the links are written in it on white, so it is refused when neither white
nor the pages' ink on it reaches WCAG's 4.5:1 (see `colours`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemLoader, TemplateSyntaxError

from syndication.colours import (
    AA_TEXT,
    INK,
    WHITE,
    contrast_ratio,
    hex_colour,
    link_colour,
    parse_colour,
    readable_text_colour,
)
from syndication.template_environment import template_environment
from syndication.tomlfields import Fields

DEFAULT_ACCENT = "#123a63"  # the navy of the first email masthead
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
MAX_LOGO_BYTES = 2_000_000
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".css")


@dataclass(frozen=True, slots=True)
class Branding:
    """What makes the pages and emails the site's own."""

    templates_dir: Path | None = None  # the override folder, when it exists
    logo: Path | None = None
    accent: str = DEFAULT_ACCENT  # "#rrggbb"
    name_in_sentence: Mapping[str, str] = field(default_factory=dict)

    @property
    def template_roots(self) -> tuple[Path, ...]:
        """The override roots searched before the packaged templates."""
        return (self.templates_dir,) if self.templates_dir is not None else ()

    @property
    def accent_text(self) -> str:
        """The text colour that reads best on the accent (white or near-black)."""
        return readable_text_colour(parse_colour(self.accent) or (0, 0, 0))

    @property
    def accent_link(self) -> str:
        """The accent if it reads as text on white, else a darker shade of it."""
        return link_colour(parse_colour(self.accent) or (0, 0, 0))

    @property
    def logo_name(self) -> str | None:
        """The logo's file name in the output folder (`logo.svg`), if there is a logo."""
        return f"logo{self.logo.suffix.lower()}" if self.logo is not None else None


def read_templates_dir(paths: Fields, folder: Path) -> Path | None:
    """`[paths] templates`: the override folder if it exists (default `templates`), each of
    its templates compiled so that a syntax error is a named problem, not a failed build."""
    given = paths.text("templates")
    candidate = folder / (given or "templates")
    if candidate.is_dir():
        for problem in template_problems(candidate):
            paths.problem("templates", problem)
        return candidate
    if given and candidate.exists():
        paths.problem("templates", f"{str(candidate)!r} is not a folder")
    elif given:
        paths.problem("templates", f"no such folder: {str(candidate)!r}")
    return None


def template_problems(root: Path) -> list[str]:
    """What is wrong with each template file under `root` ("file, line N: reason")."""
    environment = template_environment(FileSystemLoader(str(root)))
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES:
            continue
        try:
            environment.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except TemplateSyntaxError as error:
            found.append(f"{path}, line {error.lineno}: {error.message}")
        except (OSError, UnicodeDecodeError) as error:
            found.append(f"{path}: cannot be read as UTF-8 text ({error})")
    return found


def read_logo(site: Fields, folder: Path) -> Path | None:
    """`[site] logo`: an image file beside the config (SVG, PNG, JPEG, WebP or GIF)."""
    given = site.text("logo")
    if not given:
        return None
    path = folder / given
    if path.suffix.lower() not in LOGO_SUFFIXES:
        site.problem("logo", f"{given!r} must be an image ending in " + ", ".join(LOGO_SUFFIXES))
        return None
    if not path.is_file():
        site.problem("logo", f"no such file: {str(path)!r}")
        return None
    if path.stat().st_size > MAX_LOGO_BYTES:
        site.problem("logo", f"{given!r} is larger than {MAX_LOGO_BYTES // 1_000_000} MB")
        return None
    return path


def read_accent(site: Fields) -> str:
    """`[site] accent`: a CSS hex colour that white or black text can be read on."""
    given = site.text("accent")
    if given is None:
        return DEFAULT_ACCENT
    colour = parse_colour(given)
    if colour is None:
        site.problem("accent", f'{given!r} is not a CSS hex colour like "#123a63" or "#c00"')
        return DEFAULT_ACCENT
    # The text put on it is white or the pages' ink (`readable_text_colour`).
    best = max(contrast_ratio(colour, WHITE), contrast_ratio(colour, INK))
    if best < AA_TEXT:
        site.problem("accent", f"{given!r}: no text colour reaches a {AA_TEXT}:1 contrast on "
                     "it (WCAG 2.1 AA); choose a darker or a lighter colour")
        return DEFAULT_ACCENT
    return hex_colour(colour)


def read_branding(
    *, site: Fields, paths: Fields, organisation: Fields, folder: Path,
    languages: tuple[str, ...],
) -> Branding:
    """Every brand key of the config (call before the tables' `finish()`)."""
    return Branding(
        templates_dir=read_templates_dir(paths, folder),
        logo=read_logo(site, folder),
        accent=read_accent(site),
        name_in_sentence=organisation.localized("name_in_sentence", languages) or {},
    )
