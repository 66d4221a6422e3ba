"""Screenshots of the console's main pages in every language, for docs/console/.

A demo site (the example releases, a few subscribers, a mailing under way, changes in the
audit log) served on a free port, signed in as an admin in Chromium; one PNG per page and
language. Run it by hand when the pages change, and commit the PNGs:

    .venv/bin/python -m harness.console_screenshots [FOLDER]   (default docs/console)
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from harness.browser import chromium, open_page, save_screenshot
from harness.ports import free_port
from harness.sites import ADMIN_TOKEN, SECRET, Site, open_built_example
from harness.web_thread import serving_in_thread
from subscribers import Frequency
from syndication.console.accounts import Role, add_admin
from syndication.console.audit import cli_actor, record_change
from syndication.scheduler.tick import publish_tick
from syndication.web.app import create_app

PASSWORD = "screenshots only"
PAGES = {
    "dashboard": "/admin/",
    "subscribers": "/admin/subscribers",
    "subscriber": "/admin/subscribers/anne.dupont@lesoir.example",
    "release": "/admin/releases/2027-03-15-pension-adequacy-study",
    "mailing": "/admin/mailings/alert:2026-02-10-belincosoc-senegal",
    "audit": "/admin/audit",
}
PEOPLE = (("anne.dupont@lesoir.example", ("fr",), Frequency.IMMEDIATE),
          ("bert.peeters@standaard.example", ("nl",), Frequency.DAILY),
          ("claire.martin@rtbf.example", ("fr", "nl"), Frequency.IMMEDIATE),
          ("dirk.janssens@vrt.example", ("nl", "fr"), Frequency.WEEKLY))


def demo_site(folder: Path) -> Site:
    """The example site with subscribers, a mailing under way and some audit entries."""
    site = open_built_example(folder)
    add_admin(site.engine, "claire", role=Role.ADMIN, password=PASSWORD,
              email="claire@press.example")
    for email, languages, frequency in PEOPLE:
        site.add_subscriber(email, languages=languages, frequency=frequency)
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    record_change(site.engine, cli_actor(), "lists create", subject="agenda")
    return site


def take(folder: Path) -> list[Path]:
    """Write the screenshots into `folder`; the files written."""
    os.environ.setdefault("SYNDICATION_SECRET", SECRET)
    os.environ.setdefault("SYNDICATION_ADMIN_TOKEN", ADMIN_TOKEN)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        site = demo_site(Path(scratch) / "site")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = replace(site.settings, base_url=url,
                           web=replace(site.settings.web, allowed_origins=(url,)))
        with serving_in_thread(create_app(settings, site.engine), port=port), \
                chromium() as browser, open_page(browser) as page:
            page.goto(f"{url}/admin/login")
            page.fill("#username", "claire")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            for language in settings.languages:
                page.goto(f"{url}/admin/?lang={language}")
                for name, path in PAGES.items():
                    page.goto(f"{url}{path}")
                    target = folder / f"{name}-{language}.png"
                    save_screenshot(page, target)
                    written.append(target)
        site.engine.dispose()
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/console")
    for path in take(out):
        print(path)
