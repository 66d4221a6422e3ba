"""No request path reaches a file outside the output folder, over real HTTP (uvicorn).

Request lines are written byte for byte through a socket: dot-dot segments plain,
percent-encoded, double-encoded, overlong UTF-8, with backslashes, absolute paths and
URIs, NUL bytes. Canary files sit beside the output folder (and a hidden one inside it);
none of them, nor the config, the database or /etc/passwd, may ever come back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.scheduler.sites import Site
from tests.security.conftest import Tally
from tests.security.served import get, raw_request, serving

OUTSIDE = b"CANARY-OUTSIDE-THE-FOLDER"
HIDDEN = b"CANARY-HIDDEN-IN-THE-FOLDER"
LEAKS = (OUTSIDE, HIDDEN, b"base_url", b"SQLite format 3", b"root:x:0:0", b"[site]")
DOT_DOTS = [
    "..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%25252e%25252e",
    "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "..%00", "..;",
]
SEPARATORS = ["/", "%2f", "%2F", "%252f", "\\", "%5c", "%5C", "%255c"]
TARGETS = [
    *(f"/{dots}{sep}canary.txt" for dots in DOT_DOTS for sep in SEPARATORS),
    *(f"/fr/{dots}{sep}{dots}{sep}canary.txt" for dots in DOT_DOTS for sep in SEPARATORS),
    *(f"/fr/{dots}{sep}{dots}{sep}config.toml" for dots in ("..", "%2e%2e", "%252e%252e")
      for sep in ("/", "%2f", "%5c")),
    "/../var/syndication.db", "/fr/../../var/syndication.db", "/../../../../../../etc/passwd",
    "/etc/passwd", "//etc/passwd", "///etc/passwd", "/%2fetc%2fpasswd", "/%2Fetc/passwd",
    "/fr//..//..//canary.txt", "/./../canary.txt", "/fr/./../../canary.txt",
    "http://x/../canary.txt", "http://x/%2e%2e/canary.txt", "http://127.0.0.1/../../etc/passwd",
    "file:///etc/passwd", "C:\\Windows\\win.ini", "/C:/Windows/win.ini", "\\..\\canary.txt",
    "/.hidden.txt", "/%2ehidden.txt", "/fr/../.hidden.txt", "/escape/canary.txt",
    "/escape/config.toml", "/escape", "/fr/atom.xml%00.html", "/fr/atom.xml%00/../../canary.txt",
    "/%00", "/%00../canary.txt", "/fr%00/atom.xml", "/%u002e%u002e/canary.txt",
    "/..%u2215canary.txt", "/%e2%80%a5/canary.txt", "/..%ef%bc%8fcanary.txt",
]
RAW_BYTES = [
    b"/\x00", b"/..\x00/canary.txt", b"/fr/atom.xml\x00", b"/\x00../canary.txt",
    b"/../canary.txt\r\nX: y", b"/ ../canary.txt", b"/\xc0\xae\xc0\xae/canary.txt",
    b"/\xff\xfe/canary.txt", b"/fr/\t../canary.txt",
]


@pytest.fixture
def planted(site: Site) -> Path:
    """Canary files beside and inside the output folder, and a symlink out of it."""
    output = site.settings.output_dir
    (output.parent / "canary.txt").write_bytes(OUTSIDE)
    (output / ".hidden.txt").write_bytes(HIDDEN)
    (output / "escape").symlink_to(output.parent)
    return output


async def test_no_path_leaves_the_output_folder(app: Starlette, planted: Path) -> None:
    tally = Tally("traversal attempts over real HTTP")
    async with serving(app) as port:
        cases = [(target, get(target, method)) for target in TARGETS for method in ("GET", "HEAD")]
        cases += [(repr(target), get(target)) for target in RAW_BYTES]
        for target, request in cases:
            status, answer = await raw_request(port, request)
            assert not any(leak in answer for leak in LEAKS), (target, answer[:300])
            assert 400 <= status < 500, (target, answer[:300])
            tally.add(request.split(b" ", 1)[0].decode(), str(status))
        # The server still serves what it should.
        status, answer = await raw_request(port, get("/fr/atom.xml"))
        assert status == 200
        assert b"<feed" in answer
    tally.print()
    assert tally.total() == 2 * len(TARGETS) + len(RAW_BYTES)
