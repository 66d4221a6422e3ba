"""The admin JSON API under /api/: subscribers, lists, releases, deliveries, audiences.

Every route but the OpenAPI document needs `Authorization: Bearer <token>`, the token in
the environment variable `[web] admin_token_env` names (compared in constant time): 401
without it or with a wrong one, 503 when none is configured (the API is then off).
Blocking database work runs in the thread pool. The OpenAPI 3.1 description of these
routes is `openapi.py`, kept beside them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subscribers import (
    DuplicateList,
    DuplicateSubscriber,
    ErasedAddress,
    Frequency,
    InvalidEmail,
    InvalidValue,
    MissingSecret,
    NotSubscribed,
    SubscriberError,
    UnknownList,
    UnknownSubscriber,
    add_subscriber,
    check_languages,
    check_themes,
    count_members,
    create_list,
    delete_list,
    erase_person,
    list_lists,
    list_subscribers,
    parse_frequency,
    remove_subscriber,
    show_person,
)
from subscribers.reports import lists_json, person_json, subscriber_json
from syndication.bounces.history import after_sending
from syndication.delivery.release_stats import audience, mailing_stats
from syndication.delivery.report import delivery_report
from syndication.errors import BadBody, BodyTooLarge
from syndication.personal_data import access_hook, erase_hook
from syndication.web.api_json import release_json
from syndication.web.context import context
from syndication.web.forms import read_fields, single, values
from syndication.web.openapi import OPENAPI
from syndication.web.security import admin_allowed

Handler = Callable[[Request], Awaitable[Response]]
MAX_PAGE = 500
_STATUS = {
    UnknownSubscriber: 404, UnknownList: 404, DuplicateSubscriber: 409, DuplicateList: 409,
    ErasedAddress: 409, NotSubscribed: 409, MissingSecret: 503, InvalidEmail: 422,
    InvalidValue: 422,
}


def admin(handler: Handler) -> Handler:
    """Let the request through only with the admin bearer token; map errors to statuses."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        expected = context(request).settings.admin_token()
        if not expected:
            return _error(503, "the admin API is off: no admin token is configured")
        if not admin_allowed(expected, request.headers.get("authorization")):
            return JSONResponse(
                {"error": "a valid bearer token is required"}, status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="syndication admin"'},
            )
        try:
            return await handler(request)
        except SubscriberError as error:
            return _error(_STATUS.get(type(error), 400), str(error))
        except (BadBody, BodyTooLarge) as error:
            return _error(400, str(error) or "the body is too large")

    return guarded


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _blocking(function: Callable[[], Any]) -> Any:
    return await run_in_threadpool(function)


@admin
async def subscribers_index(request: Request) -> Response:
    """GET /api/subscribers?offset&limit&list&all: one page of subscribers."""
    web = context(request)
    offset = _integer(request, "offset", 0, 0, None)
    limit = _integer(request, "limit", 50, 1, MAX_PAGE)
    every = request.query_params.get("all", "") in ("1", "true", "yes")
    rows = await _blocking(lambda: list_subscribers(
        web.engine, list_name=request.query_params.get("list") or None, include_all=every
    ))
    page = rows[offset:offset + limit]
    return JSONResponse({
        "total": len(rows), "offset": offset, "limit": limit,
        "items": [subscriber_json(subscriber, names) for subscriber, names in page],
    })


@admin
async def subscribers_add(request: Request) -> Response:
    """POST /api/subscribers: add an active subscriber (consent source admin)."""
    web = context(request)
    settings = web.settings
    fields = await read_fields(request)
    languages = check_languages(values(fields, "languages") or settings.languages[:1],
                                settings.languages)
    themes = check_themes(values(fields, "themes"), settings.themes)
    frequency = parse_frequency(single(fields, "frequency"))
    lists = values(fields, "lists") or await _blocking(web.open_lists)  # never a closed one
    subscriber = await _blocking(lambda: add_subscriber(
        web.engine, single(fields, "email"), languages=languages, name=single(fields, "name"),
        organisation=single(fields, "organisation"), lists=lists, themes=themes,
        frequency=frequency, secret=settings.keyring(), detail="admin API",
        resubscribe=single(fields, "resubscribe") in ("1", "true", "yes"),
    ))
    return JSONResponse(subscriber_json(subscriber, ()), status_code=201)


@admin
async def subscribers_show(request: Request) -> Response:
    """GET /api/subscribers/{email}: everything held about one person (GDPR access)."""
    web = context(request)

    def everything_held() -> dict[str, Any]:
        with web.engine.connect() as conn:
            person = show_person(conn, request.path_params["email"])
            held = person_json(person)
            # Every other place the registry names: deliveries, outbox copies.
            held.update(access_hook(web.settings)(conn, person.subscriber.email,
                                                  [person.subscriber.id]))
        return held

    return JSONResponse(await _blocking(everything_held))


@admin
async def subscribers_remove(request: Request) -> Response:
    """POST /api/subscribers/{email}/remove[?list=L]: unsubscribe; the record stays."""
    web = context(request)
    subscriber = await _blocking(lambda: remove_subscriber(
        web.engine, request.path_params["email"],
        list_name=request.query_params.get("list") or None,
    ))
    return JSONResponse(subscriber_json(subscriber, ()))


@admin
async def subscribers_erase(request: Request) -> Response:
    """DELETE /api/subscribers/{email}: forget the person, keep a keyed hash."""
    web = context(request)
    secret = web.keyring()
    if secret is None:
        raise MissingSecret("the site secret is needed to erase an address")
    erasure = await _blocking(
        lambda: erase_person(web.engine, request.path_params["email"], secret,
                             hook=erase_hook(web.settings))
    )
    answer: dict[str, Any] = {"erased": erasure.email, "held": erasure.held}
    if erasure.removed:  # the outbox's replies and copies that quoted the address
        answer["removed"] = list(erasure.removed)
    return JSONResponse(answer)


@admin
async def lists_index(request: Request) -> Response:
    """GET /api/lists: every list with its number of active members."""
    web = context(request)
    found = await _blocking(lambda: (list_lists(web.engine), count_members(web.engine)))
    every, members = found
    return JSONResponse(lists_json(every, members))


@admin
async def lists_create(request: Request) -> Response:
    """POST /api/lists {name, label}: create a list."""
    web = context(request)
    fields = await read_fields(request)
    created = await _blocking(lambda: create_list(
        web.engine, single(fields, "name"), label=single(fields, "label")
    ))
    return JSONResponse({"name": created.name, "label": created.label}, status_code=201)


@admin
async def lists_delete(request: Request) -> Response:
    """DELETE /api/lists/{name}: delete a list and its subscriptions."""
    web = context(request)
    name = request.path_params["name"]
    removed = await _blocking(lambda: delete_list(web.engine, name))
    return JSONResponse({"deleted": name, "subscriptions": removed})


@admin
async def releases_index(request: Request) -> Response:
    """GET /api/releases[?status=scheduled|public]: releases with their mailing statistics."""
    web = context(request)
    now = datetime.now(UTC)
    wanted = request.query_params.get("status")
    stats = await _blocking(lambda: mailing_stats(web.engine))
    items = [
        release_json(release, now=now, stats=stats.get(release.id, {}))
        for release in sorted(web.releases().values(), key=lambda r: (r.published, r.id))
    ]
    return JSONResponse([item for item in items if wanted in (None, item["status"])])


@admin
async def releases_audience(request: Request) -> Response:
    """GET /api/releases/{id}/audience: how many subscribers its mailings reach, by language."""
    web = context(request)
    release = web.releases().get(request.path_params["id"])
    if release is None:
        return _error(404, f"no release {request.path_params['id']!r}")
    embargo = release.embargo

    def count() -> dict[str, Any]:
        reach: dict[str, Any] = {"alert": audience(web.engine, release)}
        reach["digest"] = {
            frequency.value: audience(web.engine, release, frequencies=(frequency,))
            for frequency in (Frequency.DAILY, Frequency.WEEKLY)
        }
        reach["embargo"] = None if embargo is None else audience(
            web.engine, release, lists=embargo.lists, frequencies=tuple(Frequency)
        )
        return reach

    return JSONResponse({"release": release.id, **await _blocking(count)})


@admin
async def deliveries_index(request: Request) -> Response:
    """GET /api/deliveries[?release=ID]: counts by mailing and status, retries, failures,
    bounces and complaints after sending (the same report as `syndication deliveries
    --format json`)."""
    web = context(request)
    release_id = request.query_params.get("release") or None
    report = await _blocking(lambda: delivery_report(web.engine, release_id=release_id))
    keys = [line.key for line in report.mailings] if release_id else None
    reports = await _blocking(lambda: after_sending(web.engine, mailing_keys=keys))
    return JSONResponse({**report.as_json(), "after_sending": reports.as_json()})


async def openapi_document(request: Request) -> Response:
    """GET /api/openapi.json: the OpenAPI 3.1 description of this API (no token needed)."""
    return JSONResponse(OPENAPI)


def _integer(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        raise InvalidValue(f"{name} must be an integer") from None
    if value < low or (high is not None and value > high):
        raise InvalidValue(f"{name} must be between {low} and {high or 'any'}")
    return value


def api_routes() -> list[Route]:
    """The routes of the admin API."""
    return [
        Route("/api/openapi.json", openapi_document, methods=["GET"]),
        Route("/api/subscribers", subscribers_index, methods=["GET"]),
        Route("/api/subscribers", subscribers_add, methods=["POST"]),
        Route("/api/subscribers/{email:path}", subscribers_show, methods=["GET"]),
        Route("/api/subscribers/{email:path}", subscribers_erase, methods=["DELETE"]),
        Route("/api/subscribers/{email:path}/remove", subscribers_remove, methods=["POST"]),
        Route("/api/lists", lists_index, methods=["GET"]),
        Route("/api/lists", lists_create, methods=["POST"]),
        Route("/api/lists/{name}", lists_delete, methods=["DELETE"]),
        Route("/api/releases", releases_index, methods=["GET"]),
        Route("/api/releases/{id}/audience", releases_audience, methods=["GET"]),
        Route("/api/deliveries", deliveries_index, methods=["GET"]),
    ]
