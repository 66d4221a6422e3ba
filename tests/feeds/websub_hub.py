"""A minimal WebSub hub and subscriber on loopback, written from the W3C recommendation.

WebSub (W3C Recommendation, 23 January 2018):
- §5.1 a subscriber POSTs `hub.mode=subscribe`, `hub.topic`, `hub.callback` to the hub,
  which answers 202 and (§5.3) verifies the intent: a GET on the callback with
  `hub.mode`, `hub.topic`, `hub.challenge` and `hub.lease_seconds`, which the subscriber
  must answer 2xx echoing the challenge;
- publishing is not fixed by the recommendation (§6: "any mechanism"); the de facto ping,
  which this hub takes, is the PubSubHubbub 0.4 form POST `hub.mode=publish&hub.url=…`;
- §7 content distribution: the hub fetches the topic and POSTs its bytes to every verified
  callback, with `Link: <hub>; rel="hub"` and `Link: <topic>; rel="self"` headers.

`fail_with` makes the hub answer pings with that status (a hub that is down or refusing).
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.feeds.served_site import QuietHandler, serving


@dataclass
class HubState:
    """What the hub saw and holds."""

    url: str = ""
    pings: list[str] = field(default_factory=list)  # hub.url of each accepted ping
    refused: list[str] = field(default_factory=list)
    subscriptions: dict[str, set[str]] = field(default_factory=dict)  # topic: callbacks
    fail_with: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def distribute(self, topic: str) -> None:
        """§7: fetch the topic and push it to each verified subscriber."""
        callbacks = self.subscriptions.get(topic, set())
        if not callbacks:
            return
        with urllib.request.urlopen(topic, timeout=5) as reply:
            body, kind = reply.read(), reply.headers.get("Content-Type", "application/xml")
        for callback in sorted(callbacks):
            request = urllib.request.Request(callback, data=body, method="POST", headers={
                "Content-Type": kind,
                "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
            })
            with urllib.request.urlopen(request, timeout=5):
                pass


def _hub_handler(state: HubState) -> type[BaseHTTPRequestHandler]:
    class Hub(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                self.answer(400)
                return
            form = {key: values[0] for key, values in
                    parse_qs(self.rfile.read(length).decode("ascii")).items()}
            mode = form.get("hub.mode")
            if mode == "publish" and "hub.url" in form:
                topic = form["hub.url"]
                with state.lock:
                    if state.fail_with is not None:
                        state.refused.append(topic)
                        self.answer(state.fail_with)
                        return
                    state.pings.append(topic)
                self.answer(202)
                state.distribute(topic)
            elif mode == "subscribe" and {"hub.topic", "hub.callback"} <= form.keys():
                self.answer(202)
                self._verify(form["hub.topic"], form["hub.callback"])
            else:
                self.answer(400)

        def _verify(self, topic: str, callback: str) -> None:
            """§5.3: the subscriber must echo the challenge."""
            challenge = "challenge-" + str(id(self))
            query = urlencode({"hub.mode": "subscribe", "hub.topic": topic,
                               "hub.challenge": challenge, "hub.lease_seconds": "3600"})
            with urllib.request.urlopen(f"{callback}?{query}", timeout=5) as reply:
                if reply.read().decode() == challenge:
                    with state.lock:
                        state.subscriptions.setdefault(topic, set()).add(callback)

    return Hub


@dataclass
class SubscriberState:
    """What the subscriber's callback received: (topic of the Link rel=self, body)."""

    url: str = ""
    received: list[tuple[str, bytes]] = field(default_factory=list)


def _subscriber_handler(state: SubscriberState) -> type[BaseHTTPRequestHandler]:
    class Callback(QuietHandler):
        def do_GET(self) -> None:
            query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
            challenge = query.get("hub.challenge", "").encode()
            self.send_response(200 if challenge else 404)
            self.send_header("Content-Length", str(len(challenge)))
            self.end_headers()
            self.wfile.write(challenge)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            links = self.headers.get("Link", "")
            self_link = next((part.split(";")[0].strip(" <>") for part in links.split(",")
                              if 'rel="self"' in part), "")
            state.received.append((self_link, body))
            self.answer(200)

    return Callback


@contextmanager
def running_hub() -> Iterator[HubState]:
    """A hub on a free loopback port for the block."""
    state = HubState()
    with serving(_hub_handler(state)) as url:
        state.url = f"{url}/"
        yield state


@contextmanager
def running_subscriber() -> Iterator[SubscriberState]:
    """A subscriber's callback on a free loopback port for the block."""
    state = SubscriberState()
    with serving(_subscriber_handler(state)) as url:
        state.url = f"{url}/callback"
        yield state


def subscribe(hub: HubState, topic: str, callback: str) -> None:
    """§5.1: ask the hub for `topic` (it verifies the intent before answering)."""
    request = urllib.request.Request(
        hub.url, method="POST", data=urlencode({
            "hub.mode": "subscribe", "hub.topic": topic, "hub.callback": callback,
        }).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=5) as reply:
        assert reply.status == 202
    wait_for(lambda: callback in hub.subscriptions.get(topic, set()))


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until `condition()` holds (the hub works after answering), or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
