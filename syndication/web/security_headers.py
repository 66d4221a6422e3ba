"""The headers every answer of `run` carries: no framing, no sniffing, no leaking, no caching.

- `X-Content-Type-Options: nosniff`, so a release attachment or a feed is never run as a
  script; `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`, so no other site can
  frame the unsubscribe or preferences buttons (clickjacking).
- `Content-Security-Policy`: scripts and everything else from the site itself only; the
  templates' own `<style>` blocks are inline, so styles may be; JSON-LD blocks are data,
  not scripts, and need no exception.
- `Referrer-Policy: strict-origin-when-cross-origin`, and `same-origin` on the token pages
  (`/confirm/…`, `/unsubscribe/…`, `/preferences/…`), whose URL is the token itself: it is
  never sent to another site, and the pages' own forms still post with their real `Origin`
  (under `no-referrer` a browser sends `Origin: null`, which the cross-site guard refuses).
- `Cache-Control: no-store` on the admin API and the token pages: they hold personal data,
  which no shared or browser cache may keep. Static files keep their own caching headers.

A header the route set itself is left as it is. A reverse proxy serving the output folder
directly must add the same headers (the deployment guide's proxy config does).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
EVERY_ANSWER = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
)
TOKEN_PREFIXES = ("/confirm/", "/unsubscribe/", "/preferences/")
PRIVATE_PREFIXES = ("/api/", *TOKEN_PREFIXES)


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the missing headers to the answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(str(scope.get("path", "")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _value in message.get("headers", [])}
                added = [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def headers_for(path: str) -> tuple[tuple[bytes, bytes], ...]:
    """The security headers of an answer to `path`."""
    referrer = b"same-origin" if path.startswith(TOKEN_PREFIXES) else (
        b"strict-origin-when-cross-origin")
    private = ((b"cache-control", b"no-store"),) if path.startswith(PRIVATE_PREFIXES) else ()
    return (*EVERY_ANSWER, (b"referrer-policy", referrer), *private)
