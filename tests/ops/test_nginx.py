"""deploy/nginx/syndication.conf in Debian's nginx, TLS on loopback, in front of `run`.

Static files come from nginx (precompressed copies, validators, caching and security
headers); the sign-up goes through to `run`, which keys its rate limit on the address
nginx forwards, not on nginx's own, nor on a header the client made up.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.ports import free_port
from harness.processes import RunningService, smtp_server, use_smtp_and_port
from harness.sites import copy_examples, make_site
from syndication.web.context import IP_LIMIT
from tests.ops.deployment import NGINX, Nginx, running_nginx


def test_debian_nginx_is_there() -> None:
    # Never a skip: without nginx the deployment guide's proxy config is untested.
    assert NGINX.exists(), "Debian's nginx is missing: .ci/run installs it"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Nginx, Path]]:
    """`run` on the example site behind nginx; the output folder."""
    folder = tmp_path_factory.mktemp("nginx")
    with smtp_server() as (smtp_port, _inbox):
        config = make_site(folder / "site")
        copy_examples(config.parent / "releases")
        run_port = free_port()
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=run_port)
        service = RunningService(config)
        try:
            service.wait_for_line("Serving")
            output = config.parent / "public"
            deadline = time.monotonic() + 60
            while not any(" tick at " in line for line in service.output):  # built
                assert time.monotonic() < deadline, "".join(service.output)
                time.sleep(0.1)
            (folder / "nginx").mkdir()
            with running_nginx(folder / "nginx", output=output, run_port=run_port) as nginx:
                yield nginx, output
        finally:
            service.stop()


def client(nginx: Nginx, *, source: str = "127.0.0.1") -> httpx.Client:
    """HTTPS to nginx, trusting its certificate only, from a loopback address of our choice."""
    context = ssl.create_default_context(cafile=str(nginx.ca))
    return httpx.Client(
        base_url=f"https://127.0.0.1:{nginx.https}", timeout=10,
        transport=httpx.HTTPTransport(verify=context, local_address=source),
    )


def raw_get(http: httpx.Client, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    with http.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize(("path", "name", "content_type"), [
    ("/fr/atom.xml", "fr/atom.xml", "application/atom+xml"),
    ("/nl/rss.xml", "nl/rss.xml", "application/rss+xml"),
    ("/fr/feed.json", "fr/feed.json", "application/feed+json"),
    ("/nl/", "nl/index.html", "text/html; charset=utf-8"),
])
def test_files_come_from_nginx_with_validators_and_304s(
    stack: tuple[Nginx, Path], path: str, name: str, content_type: str
) -> None:
    nginx, output = stack
    with client(nginx) as http:
        first, body = raw_get(http, path, **{"Accept-Encoding": "identity"})
        assert first.status_code == 200
        assert first.headers["content-type"] == content_type
        assert body == (output / name).read_bytes()
        assert first.headers["cache-control"] == "no-cache"
        assert first.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
        by_etag = http.get(path, headers={"If-None-Match": first.headers["etag"],
                                          "Accept-Encoding": "identity"})
        assert by_etag.status_code == 304
        by_date = http.get(path, headers={"If-Modified-Since": first.headers["last-modified"],
                                          "Accept-Encoding": "identity"})
        assert by_date.status_code == 304
        zipped, body = raw_get(http, path, **{"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["vary"]
        assert body == (output / f"{name}.gz").read_bytes()
        again = http.get(path, headers={"If-None-Match": zipped.headers["etag"],
                                        "Accept-Encoding": "gzip"})
        assert again.status_code == 304


def test_http_redirects_to_https_and_run_answers_the_rest(stack: tuple[Nginx, Path]) -> None:
    nginx, _output = stack
    plain = httpx.get(f"http://127.0.0.1:{nginx.http}/fr/atom.xml")
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://127.0.0.1/fr/atom.xml"
    with client(nginx) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        assert http.get("/readyz").status_code == 200
        missing = http.get("/fr/no-such-release.html")
        assert missing.status_code == 404  # run's answer, through @run
        form = http.get("/subscribe")
        assert form.status_code == 200
        assert "<form" in form.text
        assert http.get("/metrics").status_code == 401  # allowed from here, needs the token


def sign_up(http: httpx.Client, email: str, forged: str) -> int:
    return http.post(
        "/subscribe", content=json.dumps({"email": email, "lists": ["press"]}),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forged},
    ).status_code


def test_the_sign_up_limit_keys_on_the_client_nginx_forwards(stack: tuple[Nginx, Path]) -> None:
    nginx, _output = stack
    with client(nginx, source="127.0.0.2") as first:
        statuses = [
            sign_up(first, f"limited{n}@example{n}.org", forged=f"198.51.100.{n + 1}")
            for n in range(IP_LIMIT.count + 2)
        ]
    # Each made-up X-Forwarded-For is ignored: nginx appends the real peer, run takes it.
    assert statuses[:IP_LIMIT.count] == [200] * IP_LIMIT.count
    assert statuses[IP_LIMIT.count:] == [429, 429]
    with client(nginx, source="127.0.0.3") as second:  # another client: its own allowance
        assert sign_up(second, "other@example.net", forged="127.0.0.2") == 200


def test_scripts_are_cached_a_day_and_the_search_index_revalidated(
    stack: tuple[Nginx, Path],
) -> None:
    nginx, output = stack
    with client(nginx) as http:
        script, body = raw_get(http, "/assets/search.js", **{"Accept-Encoding": "gzip"})
        assert script.headers["content-type"] == "text/javascript"
        assert "max-age=86400" in script.headers["cache-control"]
        assert script.headers["content-encoding"] == "gzip"
        assert body == (output / "assets/search.js.gz").read_bytes()
        shard = http.get("/fr/search/shards.json")
        assert shard.headers["content-type"] == "application/json"
        assert shard.headers["cache-control"] == "no-cache"
        assert shard.json()["shards"]
