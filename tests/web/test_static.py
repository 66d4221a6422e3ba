"""The output folder over HTTP: content types, validators, 304s, and no way out of it."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
from collections.abc import AsyncIterator, Iterator
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine
from starlette.applications import Starlette

from harness.ports import free_port
from harness.sites import copy_examples, make_site
from syndication.atomic_files import write_bytes_atomic
from syndication.config import Settings, load_settings
from syndication.releases import load_releases
from syndication.site.build import build_site
from syndication.web.app import create_app
from syndication.web.static import OutputFolder, accepts_gzip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The example site built once for this module (read-only tests)."""
    config = make_site(tmp_path_factory.mktemp("static") / "site")
    copy_examples(config.parent / "releases")
    settings = load_settings(config)
    releases = load_releases(settings).releases
    build_site(settings, releases, now=releases[-2].published)
    return settings


@pytest.fixture(scope="module")
def app(built: Settings) -> Iterator[Starlette]:
    """The web app; only its static files are used here (no database work)."""
    engine = create_engine("sqlite://")
    yield create_app(built, engine, releases=dict)
    engine.dispose()


@pytest.mark.parametrize(("path", "content_type"), [
    ("/fr/atom.xml", "application/atom+xml"),
    ("/nl/rss.xml", "application/rss+xml"),
    ("/fr/feed.json", "application/feed+json"),
    ("/fr/themes/international/atom.xml", "application/atom+xml"),
    ("/feeds.opml", "text/x-opml; charset=utf-8"),
    ("/fr/index.html", "text/html; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
])
async def test_files_have_their_content_type_and_validators(
    client: httpx.AsyncClient, built: Settings, path: str, content_type: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith("GMT")
    name = path.strip("/") or "index.html"
    assert response.content == (built.output_dir / name).read_bytes()


async def test_conditional_get_answers_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/fr/atom.xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    by_etag = await client.get("/fr/atom.xml", headers={"If-None-Match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == etag
    weak = await client.get("/fr/atom.xml", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    by_date = await client.get("/fr/atom.xml", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    stale = await client.get("/fr/atom.xml", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = await client.get(
        "/fr/atom.xml", headers={"If-None-Match": '"other"', "If-Modified-Since": modified}
    )
    assert both.status_code == 200
    older = formatdate(0, usegmt=True)
    assert (await client.get("/fr/atom.xml", headers={"If-Modified-Since": older})).status_code == 200


async def test_a_rewritten_file_gets_a_new_etag(client: httpx.AsyncClient, built: Settings) -> None:
    path = built.output_dir / "rewritten.xml"
    path.write_bytes(b"<a/>")
    before = (await client.get("/rewritten.xml")).headers["etag"]
    path.write_bytes(b"<b/>")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    after = await client.get("/rewritten.xml", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["etag"] != before


async def test_head_folders_and_missing_files(client: httpx.AsyncClient) -> None:
    head = await client.head("/fr/atom.xml")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) > 0
    folder = await client.get("/fr", follow_redirects=False)
    assert folder.status_code == 308
    assert folder.headers["location"] == "/fr/"
    assert (await client.get("/fr/")).headers["content-type"] == "text/html; charset=utf-8"
    assert (await client.get("/nope.xml")).status_code == 404
    assert (await client.post("/fr/atom.xml")).status_code == 405


@pytest.mark.parametrize("path", [
    "/../config.toml", "/fr/../../config.toml", "/./fr/../..//config.toml",
    "/%2e%2e/config.toml", "/..%2fconfig.toml", "/%252e%252e/config.toml",
    "/%252e%252e%252fconfig.toml", "/fr/..\\..\\config.toml", "/.manifest", "/fr/%00.xml",
    "//etc/passwd", "/etc/passwd",
])
def test_paths_never_leave_the_folder(built: Settings, path: str) -> None:
    assert OutputFolder(built.output_dir).resolve(path) is None


def test_a_symlink_out_of_the_folder_is_not_followed(built: Settings) -> None:
    (built.output_dir / "escape").symlink_to(built.config_path.parent)
    assert OutputFolder(built.output_dir).resolve("/escape/config.toml") is None


class _Server(uvicorn.Server):
    """uvicorn leaving pytest's signal handlers alone."""

    def capture_signals(self):  # type: ignore[no-untyped-def]
        return contextlib.nullcontext()


@pytest.fixture
async def served(app: Starlette) -> AsyncIterator[int]:
    """The app on a real uvicorn server on a free port."""
    port = free_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                    lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield port
    server.should_exit = True
    await task


async def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send a request line exactly as written (no client normalises it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    status = int(response.split(b" ", 2)[1])
    return status, response


@pytest.mark.parametrize("target", [
    "/../config.toml", "/fr/../../config.toml", "/%2e%2e/%2e%2e/config.toml",
    "/fr/..%2f..%2fconfig.toml", "/fr/%2e%2e%2f%2e%2e%2fconfig.toml",
    "/%252e%252e/config.toml", "/fr/..%252f..%252fconfig.toml", "/..%5cconfig.toml",
])
async def test_traversal_over_real_http_is_refused(served: int, target: str) -> None:
    status, response = await _raw_get(served, target)
    assert 400 <= status < 500
    assert b"[site]" not in response
    assert b"base_url" not in response


async def test_feeds_over_real_http_with_304(served: int) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served}") as client:
        first = await client.get("/nl/atom.xml")
        assert first.status_code == 200
        again = await client.get("/nl/atom.xml", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304


def test_resolve_accepts_plain_paths(built: Settings) -> None:
    folder = OutputFolder(built.output_dir)
    assert folder.resolve("/fr/atom.xml") == (built.output_dir / "fr/atom.xml").resolve()
    assert folder.resolve("/") == built.output_dir.resolve()
    assert isinstance(folder.resolve("/fr/"), Path)


async def test_a_file_replaced_while_served_is_never_torn(
    client: httpx.AsyncClient, built: Settings
) -> None:
    path = built.output_dir / "churn.xml"
    versions = [b"<a>" + b"x" * 5000 + b"</a>", b"<b>" + b"y" * 9000 + b"</b>"]
    write_bytes_atomic(path, versions[0])
    etags: dict[bytes, str] = {}
    for round_ in range(60):
        write_bytes_atomic(path, versions[round_ % 2])
        response = await client.get("/churn.xml")
        assert response.content in versions
        assert int(response.headers["content-length"]) == len(response.content)
        assert etags.setdefault(response.content, response.headers["etag"]) == (
            response.headers["etag"]
        )
    assert len(set(etags.values())) == 2


# Precompressed copies: the build's `.gz` files go to clients that accept gzip.


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
