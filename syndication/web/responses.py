"""Answers the subscription routes share: problems, 429s, token-checked routes, form choices."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from subscribers import (
    CONFIRM_MAX_AGE,
    Frequency,
    InvalidToken,
    TokenPurpose,
    TokenSubject,
    UnknownSubscriber,
    read_token,
    subscriber_for_token,
)
from syndication.translations import N_
from syndication.web.context import WebContext, context, wants_json
from syndication.web.pages import page_language, render_page

# A problem's words: a heading and a sentence, English message ids that `problem.html`
# translates ("" for no sentence: the detail says what is missing).
INVALID_LINK = (
    N_("This link is not valid"), N_("It may have expired or been copied incompletely.")
)
TRY_LATER = (N_("Something is missing"), N_("Please try again later."))
MISSING = (N_("Something is missing"), "")
TOO_MANY = (N_("Too many requests"), N_("Please try again later."))
# The form shows each frequency through `_(value)`: their values are message ids.
FREQUENCY_WORDS = (N_("immediate"), N_("daily"), N_("weekly"))


def problem(
    request: Request, web: WebContext, language: str, status: int,
    words: tuple[str, str], detail: str = "",
) -> Response:
    """An error answer: JSON for scripts, else a page in `language`."""
    heading, message = words
    if wants_json(request):
        return JSONResponse({"error": detail or message or heading}, status_code=status)
    return render_page(
        web.settings, "problem", language, status_code=status, heading=heading,
        message=message, detail=detail,
    )


def too_many(request: Request, web: WebContext, language: str, wait: int) -> Response:
    """429 Too Many Requests with Retry-After."""
    response = problem(request, web, language, 429, TOO_MANY)
    response.headers["Retry-After"] = str(wait)
    return response


@dataclass(frozen=True, slots=True)
class TokenVisit:
    """A request whose URL token checked out: whose link it is, and what to answer with."""

    web: WebContext
    secret: bytes  # the current secret: new tokens and CSRF tokens are made with it
    subscriber_id: int | None  # None: the person the link was made for is gone
    language: str  # asked for (?lang=, Accept-Language), before the subscriber's own


Endpoint = Callable[[Request], Awaitable[Response]]
TokenEndpoint = Callable[[Request, TokenVisit], Awaitable[Response]]


def token_route(purpose: TokenPurpose) -> Callable[[TokenEndpoint], Endpoint]:
    """Run a route only for a valid `purpose` token in its URL (`{token}`); else answer
    400 (forged, tampered with, expired, another purpose) or 503 (no site secret).

    The token is checked with the current and the previous secret (rotation); whom it
    names is looked up by public id, or for an old-form token by row id and age
    (`subscribers.subscriber_for_token`), so a link never acts on a newcomer."""

    def decorate(endpoint: TokenEndpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def checked(request: Request) -> Response:
            web = context(request)
            language = page_language(web.settings, request)
            keyring = web.keyring()
            if keyring is None:
                return problem(request, web, language, 503, TRY_LATER)
            max_age = CONFIRM_MAX_AGE if purpose is TokenPurpose.CONFIRM else None
            try:
                subject = read_token(
                    keyring, request.path_params["token"], purpose, max_age=max_age
                )
            except InvalidToken:
                return problem(request, web, language, 400, INVALID_LINK)
            subscriber_id = await run_in_threadpool(_named, web.engine, subject)
            visit = TokenVisit(web, keyring.current, subscriber_id, language)
            return await endpoint(request, visit)

        return checked

    return decorate


def _named(engine: Engine, subject: TokenSubject) -> int | None:
    try:
        return subscriber_for_token(engine, subject).id
    except UnknownSubscriber:
        return None


def form_choices(
    web: WebContext, language: str, lists: Sequence[str]
) -> dict[str, Any]:
    """The options of the subscribe and preferences forms, labelled in `language`."""
    settings = web.settings
    return {
        "languages": [(code, _language_name(code)) for code in settings.languages],
        "lists": [(name, _list_label(web, name, language)) for name in lists],
        "themes": [
            (slug, theme.label.get(language, slug)) for slug, theme in settings.themes.items()
        ],
        "frequencies": [frequency.value for frequency in Frequency],
    }


def _language_name(code: str) -> str:
    """A language named in itself ("français", "Nederlands"): readable by its readers."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def _list_label(web: WebContext, name: str, language: str) -> str:
    declared = web.settings.lists.get(name)
    return declared.label.get(language, name) if declared else name
