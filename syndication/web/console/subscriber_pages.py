"""The console's subscriber pages: search and filter, show, edit, remove, erase.

Anyone signed in may look; changing a subscriber (edit, remove, erase) takes the admin
role. An erase is asked first on a page of its own, and goes on only when the address is
typed again (SPEC "Confirmations": destructive actions are confirmed).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from subscribers import (
    Frequency,
    InvalidValue,
    SubscriberError,
    SubscriberFilter,
    UnknownSubscriber,
    erase_person,
    find_subscriber,
    list_names,
    normalise_email,
    remove_subscriber,
    search_subscribers,
    set_preferences,
    show_person,
)
from subscribers.model import Status
from syndication.console.accounts import Role
from syndication.delivery.history import delivery_history
from syndication.personal_data import erase_hook
from syndication.web.console.guard import Visit, console_page
from syndication.web.forms import read_choices


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@console_page()
async def subscribers_index(visit: Visit) -> Response:
    """GET /admin/subscribers?q&list&language&status&frequency&after|before: one page."""
    query = visit.request.query_params
    wanted = SubscriberFilter(
        text=query.get("q", "").strip(), list_name=query.get("list", ""),
        language=query.get("language", ""), status=query.get("status", ""),
        frequency=query.get("frequency", ""),
    )
    engine = visit.web.engine

    def read() -> tuple[Any, list[str]]:
        return (search_subscribers(engine, wanted, after=_number(query.get("after", "")),
                                   before=_number(query.get("before", ""))),
                list_names(engine))

    page, names = await run_in_threadpool(read)
    keep = {key: value for key, value in query.items()
            if key in ("q", "list", "language", "status", "frequency") and value}
    return visit.page("subscribers", page=page, wanted=wanted, lists=names, keep=keep,
                      statuses=[status.value for status in Status],
                      frequencies=[frequency.value for frequency in Frequency])


@console_page()
async def subscriber_show(visit: Visit) -> Response:
    """GET /admin/subscribers/{email}: everything held, and the forms to change it."""
    return await _show(visit, saved=visit.request.query_params.get("saved") == "1")


async def _show(visit: Visit, *, problem: str = "", saved: bool = False,
                status_code: int = 200) -> Response:
    engine = visit.web.engine
    email = visit.request.path_params["email"]

    def read() -> tuple[Any, list[dict[str, str]], list[str]]:
        with engine.connect() as conn:
            person = show_person(conn, email)
            return person, delivery_history(conn, person.subscriber.id), list_names(conn)

    try:
        person, history, names = await run_in_threadpool(read)
    except (UnknownSubscriber, InvalidValue, SubscriberError):
        return visit.page("missing", status_code=404, what=email)
    chosen_lists = {item.list_name for item in person.subscriptions}
    first = person.subscriptions[0] if person.subscriptions else None
    return visit.page(
        "subscriber", person=person, history=history, lists=names, chosen_lists=chosen_lists,
        themes=visit.settings.themes, chosen_themes=set(first.themes) if first else set(),
        frequency=first.frequency.value if first else Frequency.IMMEDIATE.value,
        frequencies=[frequency.value for frequency in Frequency], problem=problem,
        saved=saved, status_code=status_code,
    )


@console_page(role=Role.ADMIN)
async def subscriber_edit(visit: Visit) -> Response:
    """POST /admin/subscribers/{email}/edit: languages, lists, themes, frequency."""
    engine = visit.web.engine
    settings = visit.settings
    email = visit.request.path_params["email"]
    try:
        subscriber = await run_in_threadpool(lambda: find_subscriber(engine, email))
        names = await run_in_threadpool(lambda: list_names(engine))
        choices = read_choices(visit.fields, languages=settings.languages, lists=names,
                               themes=settings.themes, default_lists=())
        await run_in_threadpool(lambda: set_preferences(
            engine, subscriber.id, languages=choices.languages, lists=choices.lists,
            themes=choices.themes, frequency=choices.frequency))
    except UnknownSubscriber:
        return visit.page("missing", status_code=404, what=email)
    except SubscriberError as error:
        return await _show(visit, problem=str(error), status_code=422)
    await visit.record("subscriber edit", subject=subscriber.email, detail=(
        f"languages={','.join(choices.languages)} lists={','.join(choices.lists)} "
        f"themes={','.join(choices.themes)} frequency={choices.frequency.value}"))
    return RedirectResponse(f"/admin/subscribers/{subscriber.email}?saved=1", status_code=303)


@console_page(role=Role.ADMIN)
async def subscriber_remove(visit: Visit) -> Response:
    """POST /admin/subscribers/{email}/remove: unsubscribe from everything (record kept)."""
    engine = visit.web.engine
    email = visit.request.path_params["email"]
    try:
        removed = await run_in_threadpool(lambda: remove_subscriber(engine, email))
    except SubscriberError:
        return visit.page("missing", status_code=404, what=email)
    await visit.record("subscriber remove", subject=removed.email)
    return RedirectResponse(f"/admin/subscribers/{removed.email}", status_code=303)


@console_page(role=Role.ADMIN)
async def subscriber_erase_form(visit: Visit) -> Response:
    """GET /admin/subscribers/{email}/erase: what an erase does; type the address to go on."""
    return visit.page("erase", email=visit.request.path_params["email"], problem="")


@console_page(role=Role.ADMIN)
async def subscriber_erase(visit: Visit) -> Response:
    """POST /admin/subscribers/{email}/erase: forget the person everywhere (confirmed)."""
    email = visit.request.path_params["email"]
    try:
        same = normalise_email(visit.field("confirm")).lower() == normalise_email(email).lower()
    except SubscriberError:
        same = False
    if not same:
        return visit.page("erase", email=email, problem="confirm", status_code=422)
    engine, settings = visit.web.engine, visit.settings
    erasure = await run_in_threadpool(lambda: erase_person(
        engine, email, visit.secret, hook=erase_hook(settings)))
    await visit.record("subscriber erase", subject=erasure.email, erased=erasure.email,
                       detail="; ".join(erasure.removed))
    return visit.page("erased", erasure=erasure)
