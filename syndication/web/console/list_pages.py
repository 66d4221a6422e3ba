"""The console's list pages: every list with its members, create, label, delete.

Deleting a list is asked first on a page saying how many subscriptions go with it.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from subscribers import (
    SubscriberError,
    UnknownList,
    count_members,
    count_subscriptions,
    create_list,
    delete_list,
    label_list,
    list_lists,
)
from syndication.console.accounts import Role
from syndication.web.console.guard import Visit, console_page


@console_page()
async def lists_index(visit: Visit) -> Response:
    """GET /admin/lists: every list, its label and active members."""
    return await _index(visit)


async def _index(visit: Visit, *, problem: str = "", status_code: int = 200) -> Response:
    engine = visit.web.engine
    found, members = await run_in_threadpool(lambda: (list_lists(engine),
                                                      count_members(engine)))
    return visit.page("lists", lists=found, members=members, problem=problem,
                      status_code=status_code)


@console_page(role=Role.ADMIN)
async def list_create(visit: Visit) -> Response:
    """POST /admin/lists: create a list."""
    engine = visit.web.engine
    name, label = visit.field("name"), visit.field("label")
    try:
        created = await run_in_threadpool(lambda: create_list(engine, name, label=label))
    except SubscriberError as error:
        return await _index(visit, problem=str(error), status_code=422)
    await visit.record("list create", subject=created.name, detail=created.label)
    return RedirectResponse("/admin/lists", status_code=303)


@console_page(role=Role.ADMIN)
async def list_label(visit: Visit) -> Response:
    """POST /admin/lists/{name}/label: change a list's label."""
    engine = visit.web.engine
    name, label = visit.request.path_params["name"], visit.field("label")
    try:
        await run_in_threadpool(lambda: label_list(engine, name, label))
    except SubscriberError as error:
        return await _index(visit, problem=str(error), status_code=422)
    await visit.record("list label", subject=name, detail=label)
    return RedirectResponse("/admin/lists", status_code=303)


@console_page(role=Role.ADMIN)
async def list_delete_form(visit: Visit) -> Response:
    """GET /admin/lists/{name}/delete: how many subscriptions would go; confirm."""
    name = visit.request.path_params["name"]
    try:
        lost = await run_in_threadpool(lambda: count_subscriptions(visit.web.engine, name))
    except UnknownList:
        return visit.page("missing", status_code=404, what=name)
    return visit.page("list_delete", name=name, lost=lost)


@console_page(role=Role.ADMIN)
async def list_delete(visit: Visit) -> Response:
    """POST /admin/lists/{name}/delete (confirm=yes): delete the list and its subscriptions."""
    name = visit.request.path_params["name"]
    if visit.field("confirm") != "yes":
        return RedirectResponse(f"/admin/lists/{name}/delete", status_code=303)
    try:
        lost = await run_in_threadpool(lambda: delete_list(visit.web.engine, name))
    except UnknownList:
        return visit.page("missing", status_code=404, what=name)
    await visit.record("list delete", subject=name, detail=f"{lost} subscriptions removed")
    return RedirectResponse("/admin/lists", status_code=303)
