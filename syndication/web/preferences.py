"""GET|POST /preferences/{token}: a subscriber's languages, lists, themes and frequency.

The form carries a CSRF token (an HMAC of the link token, see `security.py`): a page on
another site cannot post it. Lists receiving embargo copies are shown only to those
already on them (they may leave, not join). Languages keep the subscriber's order of
preference: ticked languages they had come first, in their old order.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from subscribers import (
    Frequency,
    InvalidValue,
    Person,
    Status,
    TokenPurpose,
    UnknownSubscriber,
    get_subscriber,
    set_preferences,
    show_person,
)
from syndication.errors import BadBody, BodyTooLarge
from syndication.translations import N_
from syndication.web.forms import Choices, read_choices, read_fields, single
from syndication.web.pages import page_language, render_page
from syndication.web.responses import (
    INVALID_LINK,
    MISSING,
    TokenVisit,
    form_choices,
    problem,
    token_route,
)
from syndication.web.security import check_csrf, make_csrf

FORM = "preferences"
EXPIRED_FORM = (N_("Something is missing"), N_("The form has expired; please reload the page."))


@token_route(TokenPurpose.PREFERENCES)
async def preferences_get(request: Request, visit: TokenVisit) -> Response:
    """Show the preferences form."""
    web = visit.web
    person = await run_in_threadpool(_person, web.engine, visit.subscriber_id)
    if person is None:
        return problem(request, web, visit.language, 404, INVALID_LINK)
    open_lists = await run_in_threadpool(web.open_lists)
    return _form(request, visit, person, open_lists, saved=False)


@token_route(TokenPurpose.PREFERENCES)
async def preferences_post(request: Request, visit: TokenVisit) -> Response:
    """Save the preferences (choosing no list unsubscribes)."""
    web, language, subscriber_id = visit.web, visit.language, visit.subscriber_id
    try:
        fields = await read_fields(request)
    except BodyTooLarge:
        return problem(request, web, language, 413, MISSING, "the form is too large")
    except BadBody as error:
        return problem(request, web, language, 400, MISSING, str(error))
    token = request.path_params["token"]
    if not check_csrf(visit.secret, single(fields, "csrf"), form=FORM, token=token):
        return problem(request, web, language, 403, EXPIRED_FORM)
    person = await run_in_threadpool(_person, web.engine, subscriber_id)
    if person is None or subscriber_id is None:
        return problem(request, web, language, 404, INVALID_LINK)
    open_lists = await run_in_threadpool(web.open_lists)
    allowed = _shown_lists(person, open_lists)
    settings = web.settings
    try:
        choices = read_choices(
            fields, languages=settings.languages, lists=allowed, themes=settings.themes,
            default_lists=(),
        )
    except InvalidValue as error:
        return problem(request, web, language, 422, MISSING, str(error))
    choices = _keep_order(choices, person.subscriber.languages)
    subscriber = await run_in_threadpool(
        lambda: set_preferences(
            web.engine, subscriber_id, languages=choices.languages, lists=choices.lists,
            themes=choices.themes, frequency=choices.frequency, now=web.clock(),
        )
    )
    if subscriber.status is Status.UNSUBSCRIBED:
        return render_page(settings, "unsubscribed", subscriber.languages[0])
    person = await run_in_threadpool(_person, web.engine, subscriber_id)
    assert person is not None
    return _form(request, visit, person, open_lists, saved=True)


def _form(
    request: Request, visit: TokenVisit, person: Person, open_lists: tuple[str, ...],
    *, saved: bool,
) -> Response:
    web = visit.web
    subscriber = person.subscriber
    language = page_language(web.settings, request, subscriber.languages)
    subscriptions = person.subscriptions
    themes = {theme for subscription in subscriptions for theme in subscription.themes}
    chosen = {
        "languages": subscriber.languages,
        "lists": [subscription.list_name for subscription in subscriptions],
        "themes": themes,
        "frequency": (subscriptions[0].frequency if subscriptions else Frequency.IMMEDIATE).value,
    }
    csrf = make_csrf(visit.secret, form=FORM, token=request.path_params["token"])
    return render_page(
        web.settings, "preferences", language,
        **form_choices(web, language, _shown_lists(person, open_lists)),
        chosen=chosen, email=subscriber.email, action=request.url.path, csrf=csrf, saved=saved,
    )


def _person(engine: Engine, subscriber_id: int | None) -> Person | None:
    if subscriber_id is None:
        return None
    try:
        return show_person(engine, get_subscriber(engine, subscriber_id).email)
    except UnknownSubscriber:
        return None


def _shown_lists(person: Person, open_lists: tuple[str, ...]) -> tuple[str, ...]:
    mine = [subscription.list_name for subscription in person.subscriptions]
    return tuple(sorted(set(open_lists) | set(mine)))


def _keep_order(choices: Choices, previous: tuple[str, ...]) -> Choices:
    def rank(language: str) -> tuple[int, int]:
        if language in previous:
            return (0, previous.index(language))
        return (1, choices.languages.index(language))

    return replace(choices, languages=tuple(sorted(choices.languages, key=rank)))
