"""`[feeds] websub_hubs`: the WebSub hubs every feed announces and `run`/`publish` notify.

Parsed here, so `config.py` only calls `read_websub_hubs`. A hub is an absolute http(s)
URL (W3C WebSub §4: a feed's `rel="hub"` link); a query or fragment is kept as written.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from syndication.tomlfields import Fields


def read_websub_hubs(feeds: Fields) -> tuple[str, ...]:
    """The hubs of `[feeds] websub_hubs` (default none), each an absolute http(s) URL."""
    hubs = []
    for text in feeds.text_list("websub_hubs") or []:
        hub = text.strip()
        parts = urlsplit(hub)
        if parts.scheme not in ("http", "https") or not parts.hostname or any(
                character.isspace() or ord(character) < 32 for character in hub):
            feeds.problem("websub_hubs", f"{text!r} is not an absolute http(s) URL "
                          'like "https://pubsubhubbub.appspot.com/"')
        elif hub in hubs:
            feeds.problem("websub_hubs", f"lists {hub!r} twice")
        else:
            hubs.append(hub)
    return tuple(hubs)
