"""Screenshots of the public newsroom for docs/site/: index, release and sign-up pages at
desktop (1280 px) and phone (400 px) width, in Debian's Chromium.

Not a benchmark: the look of the pages, made on demand and committed by hand. Prints a
table of the files written.

    .venv/bin/python bench/screenshots.py [--out docs/site]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

# The repository first: bench/subscribers.py would otherwise shadow the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.browser import DESKTOP_WIDTH, PHONE_WIDTH, chromium, open_page, save_screenshot
from harness.newsroom import open_branded_example, serving_newsroom
from harness.sites import ADMIN_TOKEN, SECRET

SHOTS = ("index", "release", "subscribe")


def main() -> None:
    """Write the screenshots; print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/site"))
    out = parser.parse_args().out
    os.environ.setdefault("SYNDICATION_SECRET", SECRET)
    os.environ.setdefault("SYNDICATION_ADMIN_TOKEN", ADMIN_TOKEN)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        site = open_branded_example(Path(folder) / "site")
        with serving_newsroom(site) as newsroom, chromium() as browser:
            for width in (DESKTOP_WIDTH, PHONE_WIDTH):
                with open_page(browser, width=width) as page:
                    for kind in SHOTS:
                        page.goto(newsroom.url + newsroom.pages[kind])
                        target = out / f"{kind}-{width}.png"
                        save_screenshot(page, target)
                        rows.append((kind, width, target, target.stat().st_size))
        site.engine.dispose()
    print(f"{'page':<10} {'width':>6}  {'bytes':>8}  file")
    for kind, width, target, size in rows:
        print(f"{kind:<10} {width:>6}  {size:>8}  {target}")


if __name__ == "__main__":
    main()
