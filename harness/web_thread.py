"""The app on a real uvicorn server in a background thread, for synchronous tests.

A browser test drives Chromium with Playwright's sync API, which must not run inside an
event loop; the server gets its own loop in its own thread instead.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

from harness.ports import free_port


class _ThreadServer(uvicorn.Server):
    """uvicorn that installs no signal handlers (only the main thread may)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def serving_in_thread(app: ASGIApp, *, timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 for the block; yield its base URL (no trailing slash)."""
    port = free_port()
    server = _ThreadServer(uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
    ))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
