"""Where the product's own files live: templates, gettext catalogs, the example site.

The one module that knows. An installed wheel carries the repository's top-level
`templates/` and `examples/` inside the package (pyproject.toml maps them to
`syndication/templates` and `syndication/examples`); an editable install runs from a
checkout, where they sit beside the package instead. Both are found through
`importlib.resources`, with the checkout's folders as the fallback.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, when there is one


def packaged_folder(name: str) -> Path:
    """The folder `name` shipped inside the package, else the checkout's top-level one."""
    inside = files("syndication") / name
    # Jinja's loaders and shutil need real folders: a wheel unpacked by pip gives one
    # (a pathlib.Path); the checkout has none inside the package, only beside it.
    if isinstance(inside, Path) and inside.is_dir():
        return inside
    return PROJECT_ROOT / name


TEMPLATES_DIR = packaged_folder("templates")
EXAMPLE_SITE_DIR = packaged_folder("examples")
# The catalogs are package data in both installs.
LOCALES_DIR = Path(str(files("syndication") / "locales"))
