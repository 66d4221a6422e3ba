"""A built site served over HTTP on loopback, as a static web server would serve it.

`served_folder(folder)` runs the standard library's threading HTTP server on a free port
(bound to port 0: the OS picks) for the block and yields its base URL; `serving(handler)`
does the same for any request handler (the WebSub hub and subscriber use it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".json": "application/json"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers with an empty body."""

    def answer(self, status: int) -> None:
        """An empty reply with `status`."""
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 for the block; yields "http://127.0.0.1:PORT"."""
    with serving(partial(_QuietHandler, directory=str(folder))) as url:
        yield url


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run `handler` on a free loopback port for the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
