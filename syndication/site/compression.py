"""Precompressed copies: `x.html.gz` beside `x.html`, for static servers and for `run`.

nginx (`gzip_static on`), Apache and `run` send the `.gz` file to a client that accepts
gzip instead of compressing every answer again. The bytes are deterministic (RFC 1952
header with MTIME 0 and no file name), so a rebuild with no change writes nothing, the
`.gz` files included.
"""

from __future__ import annotations

import gzip

SUFFIX = ".gz"
# What the build writes is text: pages, feeds, OPML, the search index.
COMPRESSED_SUFFIXES = (".html", ".xml", ".json", ".opml", ".txt", ".js", ".css", ".svg")
LEVEL = 6  # zlib's default: nearly all of level 9's gain at half its time


def is_compressed(path: str) -> bool:
    """Whether the build writes a `.gz` copy beside this output path."""
    return path.endswith(COMPRESSED_SUFFIXES)


def compressed_path(path: str) -> str:
    """The path of the `.gz` copy of an output path."""
    return path + SUFFIX


def gzip_bytes(content: bytes) -> bytes:
    """`content` gzipped, the same bytes for the same content (no time, no name)."""
    return gzip.compress(content, compresslevel=LEVEL, mtime=0)
