"""Subscription routes: sign up (double opt-in), confirm, unsubscribe (RFC 8058), preferences.

Every link carries a purpose-bound signed token (`subscribers.tokens`): a forged, tampered,
expired or wrong-purpose token gets a 400 page, an unknown subscriber a 404. GET never
changes anything but a confirmation (the double opt-in link): unsubscribing takes a POST,
which mail clients make on their own for RFC 8058 one-click (`List-Unsubscribe=One-Click`),
so no CSRF token is asked there (the token in the URL is the authority). The preferences
form carries a CSRF token.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subscribers import (
    InvalidEmail,
    InvalidValue,
    TokenPurpose,
    UnknownSubscriber,
    WrongStatus,
    confirm_subscriber,
    get_subscriber,
    make_token,
    normalise_email,
    unsubscribe,
)
from syndication.errors import BadBody, BodyTooLarge
from syndication.translations import N_
from syndication.web.confirmations import process_sign_up
from syndication.web.context import client_address, context, wants_json
from syndication.web.forms import (
    Identity,
    read_choices,
    read_fields,
    read_identity_field,
    single,
    values,
)
from syndication.web.pages import page_language, render_page
from syndication.web.preferences import preferences_get, preferences_post
from syndication.web.responses import (
    INVALID_LINK,
    MISSING,
    TRY_LATER,
    TokenVisit,
    problem,
    token_route,
    too_many,
)
from syndication.web.signup_form import signup_page

NOTHING_TO_CONFIRM = (N_("Nothing to confirm"), N_("This address is no longer subscribed."))


async def subscribe_form(request: Request) -> Response:
    """GET /subscribe: the sign-up form (`?email=` fills the address, from the home's box)."""
    web = context(request)
    language = page_language(web.settings, request)
    open_lists = await run_in_threadpool(web.open_lists)
    email = request.query_params.get("email", "")[:320]
    return signup_page(web, language, open_lists,
                       fields={"email": (email,)} if email else None)


async def subscribe(request: Request) -> Response:
    """POST /subscribe: answer, then record the sign-up and mail its confirmation."""
    web = context(request)
    settings = web.settings
    language = page_language(settings, request)
    wait = await run_in_threadpool(web.ip_limit.retry_after, client_address(request))
    if wait:
        return too_many(request, web, language, wait)
    secret = web.keyring()
    if secret is None:
        return problem(request, web, language, 503, TRY_LATER)
    try:
        fields = await read_fields(request)
    except BodyTooLarge:
        return problem(request, web, language, 413, TRY_LATER)
    except BadBody as error:
        return problem(request, web, language, 400, MISSING, str(error))
    language = page_language(settings, request, values(fields, "languages"))
    open_lists = await run_in_threadpool(web.open_lists)
    field = "email"
    try:
        email = normalise_email(single(fields, "email"))
        identity = {}
        for part in dataclass_fields(Identity):  # name, organisation: both optional
            field = part.name
            identity[field] = read_identity_field(fields, field)
        field = "choices"
        choices = read_choices(
            fields, languages=settings.languages, lists=open_lists,
            themes=settings.themes, default_lists=open_lists,
        )
        if not choices.lists:
            raise InvalidValue("there is no list to subscribe to")
    except (InvalidEmail, InvalidValue) as error:
        if wants_json(request):
            return problem(request, web, language, 422, MISSING, str(error))
        return signup_page(web, language, open_lists, fields=fields, error_field=field,
                           status_code=422)
    wait = await run_in_threadpool(web.confirmation_wait, email)
    if wait:
        return too_many(request, web, language, wait)
    # The same answer for every address, before anything depends on it (issue 11, item 5).
    answer = (JSONResponse({"status": "check your inbox"}) if wants_json(request)
              else render_page(settings, "subscribed", language))
    answer.background = BackgroundTask(
        process_sign_up, web, secret, email, choices, Identity(**identity))
    return answer


@token_route(TokenPurpose.CONFIRM)
async def confirm(request: Request, visit: TokenVisit) -> Response:
    """GET /confirm/{token}: activate a pending sign-up (a no-op for an active one).

    HEAD (which Starlette routes here too) changes nothing: link checkers and mail
    scanners probe links with it, and a probe must not stand in for the person's click."""
    web, language, subscriber_id = visit.web, visit.language, visit.subscriber_id
    if request.method == "HEAD":
        return Response(status_code=200 if subscriber_id is not None else 404,
                        media_type="text/html")
    try:
        if subscriber_id is None:
            raise UnknownSubscriber("the link's subscriber is gone")
        subscriber = await run_in_threadpool(
            confirm_subscriber, web.engine, subscriber_id, now=web.clock()
        )
    except UnknownSubscriber:
        return problem(request, web, language, 404, INVALID_LINK)
    except WrongStatus:
        return problem(request, web, language, 409, NOTHING_TO_CONFIRM)
    preferences = make_token(visit.secret, TokenPurpose.PREFERENCES, subscriber.public_id)
    return render_page(
        web.settings, "confirmed", page_language(web.settings, request, subscriber.languages),
        email=subscriber.email, preferences_url=f"/preferences/{preferences}",
    )


@token_route(TokenPurpose.UNSUBSCRIBE)
async def unsubscribe_page(request: Request, visit: TokenVisit) -> Response:
    """GET /unsubscribe/{token}: a page with a button; never unsubscribes by itself."""
    web = visit.web
    if visit.subscriber_id is None:
        return render_page(web.settings, "unsubscribed", visit.language)
    try:
        subscriber = await run_in_threadpool(get_subscriber, web.engine, visit.subscriber_id)
    except UnknownSubscriber:
        return render_page(web.settings, "unsubscribed", visit.language)
    preferences = make_token(visit.secret, TokenPurpose.PREFERENCES, subscriber.public_id)
    return render_page(
        web.settings, "unsubscribe", page_language(web.settings, request, subscriber.languages),
        email=subscriber.email, action=request.url.path,
        preferences_url=f"/preferences/{preferences}",
    )


@token_route(TokenPurpose.UNSUBSCRIBE)
async def unsubscribe_now(request: Request, visit: TokenVisit) -> Response:
    """POST /unsubscribe/{token}: unsubscribe (RFC 8058 one-click POSTs land here too)."""
    web, language, subscriber_id = visit.web, visit.language, visit.subscriber_id
    try:
        if subscriber_id is not None:
            subscriber = await run_in_threadpool(
                unsubscribe, web.engine, subscriber_id, now=web.clock()
            )
            language = page_language(web.settings, request, subscriber.languages)
    except UnknownSubscriber:
        pass  # erased: there is nothing left to unsubscribe
    if wants_json(request):
        return JSONResponse({"status": "unsubscribed"})
    return render_page(web.settings, "unsubscribed", language)


def subscription_routes() -> list[Route]:
    """The routes of this module."""
    return [
        Route("/subscribe", subscribe_form, methods=["GET"]),
        Route("/subscribe", subscribe, methods=["POST"]),
        Route("/confirm/{token}", confirm, methods=["GET"]),
        Route("/unsubscribe/{token}", unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe/{token}", unsubscribe_now, methods=["POST"]),
        Route("/preferences/{token}", preferences_get, methods=["GET"]),
        Route("/preferences/{token}", preferences_post, methods=["POST"]),
    ]
