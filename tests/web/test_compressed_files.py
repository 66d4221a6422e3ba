"""`run` sends the build's `.gz` copies to clients that accept gzip, and says it varies."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import create_engine
from starlette.applications import Starlette

from harness.sites import copy_examples, make_site
from syndication.config import Settings, load_settings
from syndication.releases import load_releases
from syndication.site.build import build_site
from syndication.web.app import create_app
from syndication.web.static import accepts_gzip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    config = make_site(tmp_path_factory.mktemp("gz") / "site")
    copy_examples(config.parent / "releases")
    settings = load_settings(config)
    releases = load_releases(settings).releases
    build_site(settings, releases, now=releases[-2].published)
    return settings


@pytest.fixture(scope="module")
def app(built: Settings) -> Iterator[Starlette]:
    engine = create_engine("sqlite://")
    yield create_app(built, engine, releases=dict)
    engine.dispose()


@pytest.fixture
async def raw(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        yield http


async def fetch(http: httpx.AsyncClient, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """The answer and its bytes as sent (not decoded)."""
    async with http.stream("GET", path, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


@pytest.mark.parametrize(("path", "name"), [
    ("/fr/atom.xml", "fr/atom.xml"), ("/nl/index.html", "nl/index.html"),
    ("/", "index.html"), ("/fr/", "fr/index.html"), ("/feeds.opml", "feeds.opml"),
    ("/assets/search.js", "assets/search.js"), ("/fr/search/shards.json", "fr/search/shards.json"),
])
async def test_gzip_goes_to_who_accepts_it(
    raw: httpx.AsyncClient, built: Settings, path: str, name: str
) -> None:
    plain = (built.output_dir / name).read_bytes()
    zipped, body = await fetch(raw, path, **{"Accept-Encoding": "br, gzip;q=0.8"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert body == (built.output_dir / f"{name}.gz").read_bytes()
    assert gzip.decompress(body) == plain
    assert int(zipped.headers["content-length"]) == len(body)
    identity, body = await fetch(raw, path, **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert identity.headers["vary"] == "Accept-Encoding"
    assert body == plain
    assert identity.headers["content-type"] == zipped.headers["content-type"]
    assert identity.headers["etag"] != zipped.headers["etag"]  # two representations


async def test_scripts_have_a_type_browsers_run(raw: httpx.AsyncClient) -> None:
    # Served with nosniff: anything but a JavaScript type would not run.
    answer = await raw.get("/assets/lunr.min.js")
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["x-content-type-options"] == "nosniff"


async def test_conditional_get_of_the_gzip_copy(raw: httpx.AsyncClient) -> None:
    first, _ = await fetch(raw, "/fr/rss.xml", **{"Accept-Encoding": "gzip"})
    again, body = await fetch(raw, "/fr/rss.xml", **{
        "Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"],
    })
    assert again.status_code == 304
    assert body == b""
    assert again.headers["vary"] == "Accept-Encoding"


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepts_gzip("gzip")
    assert accepts_gzip("deflate, GZIP;q=0.5")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("gzip; q=0.000")
    assert not accepts_gzip("identity")
    assert not accepts_gzip("")
