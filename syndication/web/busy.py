"""While another writer holds the database: a bounded wait, then 503 with Retry-After.

Every route reaches the database through `WebContext.engine`, which `create_app` makes
with `storage.bounded_waits`: a transaction waits at most `LOCK_WAIT` seconds for a lock
another writer holds (a CSV import, a tick, the sender, another `run` process). Then the
driver's busy error (`storage.is_busy`: SQLite busy/locked, PostgreSQL lock timeout,
serialization failure, deadlock) reaches `answer_busy`, the app's handler of database
errors, whichever route it came from: 503 with `Retry-After`, and the words say that
nothing was changed (the transaction rolled back, so the request is safe to repeat). Any
other database error is a real one and stays a 500.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import Response

from storage import is_busy
from syndication.translations import N_
from syndication.web.context import context
from syndication.web.pages import page_language
from syndication.web.responses import problem

# A person who clicked waits this long at most (seconds); SQLite imports commit in
# batches of well under a second, so a wait this long means a writer that is stuck.
LOCK_WAIT = 3.0
RETRY_AFTER = 5  # seconds, in the Retry-After header
BUSY = (N_("Busy for a moment"), N_("Nothing was changed. Please try again in a few seconds."))


async def answer_busy(request: Request, error: Exception) -> Response:
    """503 with Retry-After for an error that only says the database was busy; else re-raise."""
    if not isinstance(error, DBAPIError) or not is_busy(error):
        raise error
    web = context(request)
    response = problem(request, web, page_language(web.settings, request), 503, BUSY,
                       "the database is busy: nothing was changed, retry shortly")
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
