"""Every console page rendered in one language, in each of its variants (problems, roles,
empty and full tables), for the catalog tests: between them they ask every console word.

The words the console shows through `_(value)` (roles, statuses, kinds: see
`syndication.web.console.words`) are asked too, one each, as a page shows them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from subscribers import (
    Consent,
    ConsentSource,
    Frequency,
    ImportPreview,
    ImportReport,
    MailingList,
    Person,
    RowError,
    Status,
    Subscriber,
    SubscriberFilter,
    SubscriberPage,
    Subscription,
)
from subscribers.privacy import Erasure
from syndication import translations
from syndication.config import Settings
from syndication.console.accounts import Admin, Role
from syndication.console.audit import AuditEntry
from syndication.delivery.report import FailureLine, MailingLine, MailingSummary, RetryLine
from syndication.mail import MailKind
from syndication.releases import Release
from syndication.web.console import words
from syndication.web.console.dashboard import Due, Failure
from syndication.web.console.rendering import render

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ADMIN = Admin(1, "claire", Role.ADMIN, "claire@press.example", NOW, 0)
EDITOR = Admin(2, "eddy", Role.EDITOR, "", NOW, 0)
ANNE = Subscriber(7, "pub7", "anne@example.org", "Anne", "Le Soir", ("fr",), Status.ACTIVE, NOW, NOW,
                  0)
SUMMARY = MailingSummary("alert:x", "alert", NOW, "in progress", 3, 10, NOW)


def _request(language: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/admin/", "headers": [],
                    "query_string": f"lang={language}".encode()})


def _variants(releases: Mapping[str, Release]) -> Iterator[tuple[str, dict[str, Any]]]:
    release = next(r for r in releases.values() if r.embargo is not None)
    person = Person(ANNE, (Subscription(1, 7, "press", ("social",), Frequency.DAILY, NOW),
                           Subscription(2, 7, "public", (), Frequency.DAILY, NOW)),
                    (Consent(1, 7, ConsentSource.ADMIN, NOW, NOW, None, "admin"),))
    failure = Failure("alert:x", "failed", "anne@example.org", "550 no such user", NOW)
    for problem in ("", "refused", "locked", "throttled", "expired"):
        yield "login", {"admin": None, "problem": problem, "next": ""}
    for reason in ("role", "csrf", "session", "a mailing error"):
        yield "refused", {"admin": ADMIN, "reason": reason}
    yield "dashboard", {"due": [Due("release", NOW, release), Due("embargo", NOW, release),
                                Due("daily", NOW), Due("weekly", NOW)],
                        "sending": [SUMMARY], "failures": [failure, Failure(
                            "alert:x", "bounced", "", "550", None)],
                        "bounces": [Failure("alert:x", "complaint", "", "abuse", NOW), failure]}
    yield "dashboard", {"due": [], "sending": [], "failures": [], "bounces": []}
    page = SubscriberPage(((ANNE, ("press",)),), has_before=True, has_after=True)
    yield "subscribers", {"page": page, "wanted": SubscriberFilter(), "lists": ["press"],
                          "keep": {"q": "a"}, "statuses": ["active"], "frequencies": ["daily"]}
    yield "subscribers", {"page": SubscriberPage((), False, False), "wanted": SubscriberFilter(),
                          "lists": [], "keep": {}, "statuses": [], "frequencies": []}
    shown = {"lists": ["press"], "chosen_lists": {"press"}, "themes": ("social",),
             "chosen_themes": {"social"}, "frequency": "daily", "frequencies": ["daily"],
             "problem": "bad", "saved": True}
    yield "subscriber", {"person": person, "history": [{"mailing": "alert:x", "status": "sent",
                                                        "sent_at": "", "last_reply": ""}],
                         **shown}
    yield "subscriber", {"person": Person(ANNE, (), ()), "history": [], **shown}
    for problem in ("", "confirm"):
        yield "erase", {"email": "anne@example.org", "problem": problem}
    for held in (True, False):
        yield "erased", {"erasure": Erasure("anne@example.org", held, True, True, ("1 x",))}
    yield "missing", {"what": "x"}
    yield "lists", {"lists": [MailingList(1, "press", "Press")], "members": {"press": 2},
                    "problem": "bad"}
    yield "list_delete", {"name": "press", "lost": 2}
    for problem in ("", "nofile", "expired", "stopped"):
        yield "import", {"problem": problem}
    yield "import", {"problem": "", "admin": EDITOR}
    yield "import_preview", {"preview": ImportPreview(((2, "a@x.org"),), ((3, "b@x.org", (
        "name",)),), ((4, "c@x.org"),), (RowError(5, "bad"),)), "token": "t", "update": True,
        "name": "x.csv"}
    yield "import_done", {"report": ImportReport(1, (RowError(5, "bad"),), 1, 1), "name": "x"}
    yield "mailings", {"summaries": [SUMMARY]}
    yield "mailings", {"summaries": []}
    line = MailingLine("alert:x", "alert", None, NOW, {"sent": 2}, "too many errors")
    for notice in ("cancelled", "retried"):
        yield "mailing", {"line": line, "state": "paused", "notice": notice,
                          "retries": [RetryLine("alert:x", 1, 2, NOW, "451")],
                          "failures": [FailureLine("alert:x", "failed", 2, "550")]}
    yield "mailing", {"line": line, "state": "paused", "notice": "", "retries": [],
                      "failures": []}
    yield "mailing_cancel", {"key": "alert:x"}
    entry = AuditEntry(1, NOW, "claire", "console", "192.0.2.1", "list create", "x", "")
    audit = {"keep": {}, "channels": ("console",), "periods": ("1d",), "actor": "",
             "channel": "", "q": "", "since": ""}
    yield "audit", {"entries": [entry], "more": True, **audit}
    yield "audit", {"entries": [], "more": False, **audit}
    yield "releases", {"releases": [(release, "scheduled", {"sent": 1})]}
    yield "releases", {"releases": []}
    for sent in ("sent", "noaddress", "failed"):
        yield "release", {"release": release, "kinds": (MailKind.ALERT, MailKind.EMBARGO),
                          "status": "embargoed", "audiences": {name: {"fr": 1} for name in words.KIND_WORDS},
                          "sent": sent}


def console_pages(settings: Settings, releases: Mapping[str, Release],
                  language: str) -> Iterator[tuple[str, str]]:
    """(what, HTML) for every console page variant in `language`."""
    for name, context in _variants(releases):
        context = {"admin": ADMIN, **context}
        page = render(_request(language), settings, name, language, csrf="token", **context)
        yield f"console {name}", bytes(page.body).decode()
    shown = translations.translator(language)
    for group in (words.ROLES, words.MAILING_STATES, words.DELIVERY_STATUSES,
                  words.SUBSCRIBER_STATUSES, words.FREQUENCIES, tuple(words.KIND_WORDS.values()),
                  words.IMPORT_OUTCOMES, words.RELEASE_STATUSES, tuple(words.REPORT_WORDS.values())):
        for word in group:
            shown.gettext(word)
