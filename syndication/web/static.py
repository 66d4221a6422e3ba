"""The output folder over HTTP: feed and page content types, validators, 304s, no escape.

Feeds are polled by aggregators every few minutes, so conditional GET is what keeps the
service cheap: a strong ETag (a hash of the bytes, cached per file version) and
Last-Modified (the file's mtime; files are rewritten only when their bytes change), and
304 Not Modified when the client's copy is current (RFC 9110 §13: If-None-Match wins over
If-Modified-Since). A request path is resolved and must stay inside the output folder,
whatever its encoding (`..`, `%2e%2e`, `..%2f`, double-encoded): anything else is a 404.
A file the build wrote with a `.gz` copy beside it goes to a client that accepts gzip as
that copy, with `Content-Encoding: gzip` (its own ETag: another representation, RFC 9110
§8.8.3), and either answer says `Vary: Accept-Encoding` so caches keep both apart.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from syndication.site.compression import SUFFIX as GZ

CONTENT_TYPES = {
    "atom.xml": "application/atom+xml",
    "rss.xml": "application/rss+xml",
    "feed.json": "application/feed+json",
}
SUFFIX_TYPES = {
    ".opml": "text/x-opml",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".vcf": "text/vcard; charset=utf-8",
}
NOT_FOUND_PAGE = "404.html"  # written by `build` (syndication.pages.brand_pages)
# Feeds change at publication instants: caches must ask again, a 304 costs nothing.
CACHE_CONTROL = "no-cache"


@dataclass(frozen=True, slots=True)
class _Version:
    inode: int
    mtime_ns: int
    size: int


class OutputFolder:
    """Serves files of one folder with validators; ETags are cached per file version."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._etags: dict[Path, tuple[_Version, str]] = {}

    async def respond(self, request: Request) -> Response:
        """Answer GET or HEAD for a path in the folder."""
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", 405, headers={"Allow": "GET, HEAD"})
        raw_path: str = request.scope["path"]
        path = self.resolve(raw_path)
        if path is None:
            return self.not_found(request)
        if path.is_dir():
            if not raw_path.endswith("/"):
                # Rebuilt from the parts: "//host" must never become an off-site redirect.
                parts = [part for part in raw_path.split("/") if part]
                return RedirectResponse("/" + "".join(f"{part}/" for part in parts), 308)
            path = path / "index.html"
            if not path.is_file():
                return self.not_found(request)
        compressed = path.with_name(path.name + GZ)
        if path.suffix == GZ or not compressed.is_file():
            return self._respond(request, path, content_type(path))
        extra = {"Vary": "Accept-Encoding"}
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            extra["Content-Encoding"] = "gzip"
            return self._respond(request, compressed, content_type(path), extra)
        return self._respond(request, path, content_type(path), extra)

    def not_found(self, request: Request) -> Response:
        """A 404 with the site's own page (both languages) when the build wrote one."""
        try:
            page = (self._root / NOT_FOUND_PAGE).read_bytes()
        except OSError:
            return PlainTextResponse("Not Found", 404)
        body = b"" if request.method == "HEAD" else page
        return Response(body, status_code=404, media_type=SUFFIX_TYPES[".html"],
                        headers={"Cache-Control": CACHE_CONTROL,
                                 "Content-Length": str(len(page))})

    def resolve(self, url_path: str) -> Path | None:
        """The file a URL path names, or None if it would leave the folder or is hidden."""
        # Starlette hands us the path decoded once; decode until stable so a double-encoded
        # dot-dot is judged like a plain one.
        decoded = url_path
        for _ in range(3):
            again = unquote(decoded)
            if again == decoded:
                break
            decoded = again
        if "\x00" in decoded or "\\" in decoded:
            return None
        parts = [part for part in decoded.split("/") if part]
        if any(part in (".", "..") or part.startswith(".") for part in parts):
            return None
        root = self._root.resolve()
        try:
            candidate = root.joinpath(*parts).resolve()
        except (OSError, ValueError):
            return None
        if candidate != root and not candidate.is_relative_to(root):
            return None
        if not candidate.exists():
            return None
        return candidate

    def _respond(
        self, request: Request, path: Path, media_type: str, extra: dict[str, str] | None = None
    ) -> Response:
        # One open file, read whole: a rebuild renames a new file over this one at any
        # moment, and the bytes sent must be those the length and the ETag describe.
        try:
            with path.open("rb") as stream:
                stat = os.fstat(stream.fileno())
                version = _Version(stat.st_ino, stat.st_mtime_ns, stat.st_size)
                cached = self._etags.get(path)
                etag = cached[1] if cached is not None and cached[0] == version else None
                headers = {
                    "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
                    "Cache-Control": CACHE_CONTROL,
                    **(extra or {}),
                }
                if etag is not None and _not_modified(request, etag, int(stat.st_mtime)):
                    return Response(status_code=304, headers={"ETag": etag, **headers})
                content = stream.read()
        except OSError:
            return PlainTextResponse("Not Found", 404)
        if etag is None:
            etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
            self._etags[path] = (version, etag)
        headers["ETag"] = etag
        if _not_modified(request, etag, int(stat.st_mtime)):
            return Response(status_code=304, headers=headers)
        headers["Content-Length"] = str(len(content))
        body = b"" if request.method == "HEAD" else content
        return Response(body, headers=headers, media_type=media_type)


def content_type(path: Path) -> str:
    """The Content-Type of a file of the output folder."""
    return CONTENT_TYPES.get(path.name) or SUFFIX_TYPES.get(
        path.suffix.lower(), "application/octet-stream"
    )


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value accepts gzip (RFC 9110 §12.5.3: `q=0` refuses)."""
    for item in accept_encoding.lower().split(","):
        coding, _, parameters = item.strip().partition(";")
        if coding.strip() not in ("gzip", "x-gzip", "*"):
            continue
        quality = parameters.strip().removeprefix("q=").strip() if parameters else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def _not_modified(request: Request, etag: str, mtime: int) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        # Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return mtime <= int(since.timestamp())
