"""The console's forms while another process holds SQLite's write lock: 503, nothing
changed, then the same form goes through; erase deletes the uploads naming the person."""

from __future__ import annotations

import httpx
import pytest

from harness.sites import Site
from subscribers import count_members, find_subscriber
from syndication.console.accounts import Role, add_admin
from syndication.console.uploads import keep_upload
from syndication.web.app import create_app
from syndication.web.busy import RETRY_AFTER
from tests.console.conftest import PASSWORD, csrf_of, sign_in
from tests.web.test_busy_database import SHORT_WAIT, sqlite_write_lock

pytestmark = pytest.mark.integration


async def test_console_writes_answer_503_under_another_writer(site: Site) -> None:
    add_admin(site.engine, "claire", role=Role.ADMIN, password=PASSWORD)
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    app = create_app(site.settings, site.engine, lock_wait=SHORT_WAIT)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        assert (await sign_in(client, "claire")).status_code == 303
        token = csrf_of((await client.get("/admin/lists")).text)
        forms = [("/admin/lists", {"name": "agenda"}),
                 ("/admin/subscribers/anne@lesoir.example/edit",
                  {"languages": "nl", "lists": "press", "frequency": "daily"}),
                 ("/admin/lists/press/delete", {"confirm": "yes"})]
        with sqlite_write_lock(site):
            for path, data in forms:
                answer = await client.post(path, data={"csrf": token, **data})
                assert answer.status_code == 503, (path, answer.text[:200])
                assert answer.headers["retry-after"] == str(RETRY_AFTER)
        assert "agenda" not in count_members(site.engine)
        assert find_subscriber(site.engine, "anne@lesoir.example").languages == ("fr",)
        for path, data in forms:
            assert (await client.post(path, data={"csrf": token, **data})).status_code == 303
    assert "agenda" in count_members(site.engine)


async def test_erase_deletes_the_uploads_naming_the_person(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    data_dir = site.settings.data_dir
    keep_upload(data_dir, b"email\nANNE@lesoir.example\n")
    keep_upload(data_dir, b"email\njoanne@lesoir.example\n")
    form = await admin_client.get("/admin/subscribers/anne@lesoir.example/erase")
    erased = await admin_client.post("/admin/subscribers/anne@lesoir.example/erase", data={
        "csrf": csrf_of(form.text), "confirm": "anne@lesoir.example"})
    assert "1 uploaded CSV files deleted" in erased.text
    left = [path.read_text() for path in (data_dir / "uploads").iterdir()]
    assert left == ["email\njoanne@lesoir.example\n"]
