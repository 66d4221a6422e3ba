"""The public newsroom served for a browser: the branded example site, every page kind.

Shared by the accessibility tests (tests/site/test_accessibility.py) and the screenshot
script (bench/screenshots.py): the example site with its logo, built, served by the real
app on a loopback port, with a pending and an active subscriber so the token pages exist.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from harness.sites import SECRET, Site, copy_example_site, open_site
from harness.web_thread import serving_in_thread
from subscribers import ConsentSource, TokenPurpose, add_subscriber, make_token
from syndication.releases import load_releases
from syndication.resources import EXAMPLE_SITE_DIR
from syndication.site.build import build_site
from syndication.web.app import create_app

ONE_LANGUAGE_RELEASE = "2026-02-10-belincosoc-senegal"
RELEASE = "2020-11-17-social-situation-report-2020"
# Every static page kind, by name: (path, language).
STATIC_PAGES = {
    "chooser": "/",
    "index": "/fr/index.html",
    "index-nl": "/nl/index.html",
    "theme": "/fr/themes/international/index.html",
    "archive": "/nl/archive/2016-08.html",
    "release": f"/fr/{RELEASE}.html",
    "release-one-language": f"/fr/{ONE_LANGUAGE_RELEASE}.html",
    "contacts": "/nl/contacts.html",
    "404": "/fr/no-such-page.html",
    "subscribe": "/subscribe?lang=fr",
}


@dataclass(frozen=True, slots=True)
class Newsroom:
    """The served site: its base URL and the paths of every page kind."""

    url: str
    pages: dict[str, str]


def open_branded_example(folder: Path, *, accent: str | None = None) -> Site:
    """The example site with its logo turned on (and another accent if given), built after
    its releases but the future one."""
    config = copy_example_site(folder)
    shutil.copyfile(EXAMPLE_SITE_DIR / "logo.svg", config.parent / "logo.svg")
    text = config.read_text(encoding="utf-8").replace('# logo = "logo.svg"', 'logo = "logo.svg"  ')
    if accent is not None:
        text = text.replace('accent = "#123a63"', f'accent = "{accent}"')
    config.write_text(text, encoding="utf-8")
    site = open_site(config)
    loaded = load_releases(site.settings)
    build_site(site.settings, loaded.releases, now=loaded.releases[-2].published)
    return site


@contextmanager
def serving_newsroom(site: Site) -> Iterator[Newsroom]:
    """Serve `site` (SYNDICATION_SECRET must be set) with the token pages ready."""
    secret = SECRET.encode()
    pending = add_subscriber(
        site.engine, "pending@example.org", languages=("fr",), lists=("press",),
        source=ConsentSource.WEB, secret=secret,
    ).public_id
    active = add_subscriber(
        site.engine, "active@example.org", languages=("nl", "fr"), lists=("press",),
    ).public_id
    holder: dict[str, ASGIApp] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await holder["app"](scope, receive, send)

    with serving_in_thread(app) as url:
        # The browser posts from the loopback origin: let the app accept its forms.
        settings = replace(site.settings, web=replace(site.settings.web, allowed_origins=(url,)))
        holder["app"] = create_app(settings, site.engine)
        pages = {
            **STATIC_PAGES,
            "confirmed": f"/confirm/{make_token(secret, TokenPurpose.CONFIRM, pending)}",
            "preferences": f"/preferences/{make_token(secret, TokenPurpose.PREFERENCES, active)}",
            "unsubscribe": f"/unsubscribe/{make_token(secret, TokenPurpose.UNSUBSCRIBE, active)}",
        }
        yield Newsroom(url, pages)
