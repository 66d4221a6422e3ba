"""Every console page renders in every language; lists, import, mailings, releases, audit."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from harness.sites import Site
from subscribers import count_members, find_subscriber
from syndication.console.audit import read_audit
from syndication.scheduler.tick import publish_tick
from tests.console.conftest import csrf_of, sign_in

pytestmark = pytest.mark.integration
MAILING = "alert:2026-02-10-belincosoc-senegal"
PENSION = "2027-03-15-pension-adequacy-study"
PAGES = ("/admin/", "/admin/releases", f"/admin/releases/{PENSION}", "/admin/subscribers",
         "/admin/subscribers/fr@example.org", "/admin/subscribers/fr@example.org/erase",
         "/admin/lists", "/admin/lists/press/delete", "/admin/import", "/admin/mailings",
         f"/admin/mailings/{MAILING}", f"/admin/mailings/{MAILING}/cancel", "/admin/audit",
         "/admin/live/mailings")


def _mailing(site: Site) -> None:
    site.add_subscriber("fr@example.org", languages=("fr",), lists=("press",))
    site.add_subscriber("nl@example.org", languages=("nl", "fr"), lists=("press", "public"))
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_every_page_renders_in_the_language(
    admin_client: httpx.AsyncClient, site: Site, language: str
) -> None:
    _mailing(site)
    await admin_client.get(f"/admin/?lang={language}")
    for path in PAGES:
        page = await admin_client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        if path != "/admin/live/mailings":
            assert f'<html lang="{language}">' in page.text, path
    assert (await admin_client.get("/admin/nowhere")).status_code == 404
    words = {"fr": "Tableau de bord", "nl": "Overzicht"}[language]
    assert words in (await admin_client.get("/admin/")).text


async def test_previews_of_every_kind_and_language(
    editor_client: httpx.AsyncClient, site: Site
) -> None:
    page = await editor_client.get(f"/admin/releases/{PENSION}")
    for kind in ("alert", "embargo", "digest"):
        for language in ("fr", "nl"):
            assert f"/admin/releases/{PENSION}/mail/{kind}/{language}" in page.text
            mail = await editor_client.get(f"/admin/releases/{PENSION}/mail/{kind}/{language}")
            assert mail.status_code == 200
            assert "<html" in mail.text.lower()
            assert mail.headers["x-frame-options"] == "SAMEORIGIN"
    text = await editor_client.get(f"/admin/releases/{PENSION}/mail/alert/nl?format=text")
    assert text.headers["content-type"].startswith("text/plain")
    framed = await editor_client.get(f"/admin/releases/{PENSION}/page/fr")
    assert framed.status_code == 200
    assert "<html" in framed.text.lower()
    assert (await editor_client.get(f"/admin/releases/{PENSION}/page/de")).status_code == 404


async def test_an_editor_may_test_send_to_their_own_address(
    editor_client: httpx.AsyncClient, site: Site
) -> None:
    from tests.web.conftest import maildir_messages

    page = await editor_client.get(f"/admin/releases/{PENSION}")
    sent = await editor_client.post(f"/admin/releases/{PENSION}/test", data={
        "csrf": csrf_of(page.text), "kind": "embargo", "lang": "nl"})
    assert sent.status_code == 200
    messages = maildir_messages(site)
    assert [message["To"] for message in messages] == ["eddy@press.example"]


async def test_lists_create_label_and_delete_with_count(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("fr@example.org", lists=("press",))
    page = await admin_client.get("/admin/lists")
    token = csrf_of(page.text)
    created = await admin_client.post("/admin/lists", data={
        "csrf": token, "name": "agenda", "label": "Agenda"})
    assert created.status_code == 303
    bad = await admin_client.post("/admin/lists", data={"csrf": token, "name": "Bad Name"})
    assert bad.status_code == 422
    await admin_client.post("/admin/lists/agenda/label", data={"csrf": token, "label": "Diary"})
    assert "Diary" in (await admin_client.get("/admin/lists")).text
    confirm = await admin_client.get("/admin/lists/press/delete")
    assert "1 abonnement" in confirm.text or "1 subscription" in confirm.text
    await admin_client.post("/admin/lists/press/delete", data={"csrf": token})  # no confirm
    assert "press" in count_members(site.engine)
    await admin_client.post("/admin/lists/press/delete", data={"csrf": token, "confirm": "yes"})
    assert "press" not in count_members(site.engine)
    actions = [(e.action, e.target) for e in read_audit(site.engine)]
    assert actions == [("list delete", "press"), ("list label", "agenda"),
                       ("list create", "agenda")]


async def test_import_preview_then_apply_and_export(
    admin_client: httpx.AsyncClient, editor_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("fr@example.org", lists=("press",))
    page = await admin_client.get("/admin/import")
    csv = ("email,name,lists\nfr@example.org,Françoise,press\nnew@example.org,New,press\n"
           "broken,,press\n").encode()
    preview = await admin_client.post("/admin/import/preview", data={
        "csrf": csrf_of(page.text), "update": "1"}, files={"file": ("people.csv", csv)})
    assert preview.status_code == 200
    assert "broken" in preview.text
    assert "new@example.org" in preview.text
    assert find_subscriber(site.engine, "fr@example.org").name == ""  # nothing yet
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    applied = await admin_client.post("/admin/import/apply", data={
        "csrf": csrf_of(preview.text), "token": token, "update": "1", "name": "people.csv"})
    assert applied.status_code == 200
    assert find_subscriber(site.engine, "fr@example.org").name == "Françoise"
    assert find_subscriber(site.engine, "new@example.org").name == "New"
    assert not list((site.settings.data_dir / "uploads").iterdir())  # the upload is gone
    again = await admin_client.post("/admin/import/apply", data={
        "csrf": csrf_of(preview.text), "token": token})
    assert again.status_code == 410
    exported = await admin_client.get("/admin/export")
    assert exported.status_code == 200
    assert "new@example.org" in exported.text
    assert (await editor_client.get("/admin/export")).status_code == 403
    assert [e.action for e in read_audit(site.engine)][:2] == ["export", "import"]


async def test_cancel_and_retry_a_mailing(admin_client: httpx.AsyncClient, site: Site) -> None:
    _mailing(site)
    page = await admin_client.get(f"/admin/mailings/{MAILING}")
    token = csrf_of(page.text)
    retried = await admin_client.post(f"/admin/mailings/{MAILING}/retry", data={"csrf": token})
    assert retried.status_code == 303
    cancelled = await admin_client.post(f"/admin/mailings/{MAILING}/cancel", data={
        "csrf": token, "confirm": "yes"})
    assert cancelled.status_code == 303
    shown = await admin_client.get(f"/admin/mailings/{MAILING}")
    assert "skipped" in shown.text or "ignor" in shown.text or "overgeslagen" in shown.text
    refused = await admin_client.post(f"/admin/mailings/{MAILING}/retry", data={"csrf": token})
    assert refused.status_code == 409
    assert [e.action for e in read_audit(site.engine)] == ["mailing cancel", "mailing retry"]


async def test_audit_page_filters(admin_client: httpx.AsyncClient, site: Site) -> None:
    page = await admin_client.get("/admin/lists")
    await admin_client.post("/admin/lists", data={"csrf": csrf_of(page.text), "name": "agenda"})
    shown = await admin_client.get("/admin/audit", params={"channel": "console"})
    assert "list create" in shown.text
    assert "claire" in shown.text
    none = await admin_client.get("/admin/audit", params={"channel": "cli"})
    assert "list create" not in none.text


ADMIN_FORMS = (
    ("/admin/lists", {"name": "agenda"}),
    ("/admin/lists/press/label", {"label": "Presse"}),
    ("/admin/lists/press/delete", {"confirm": "yes"}),
    ("/admin/import/preview", {}),
    ("/admin/import/apply", {"token": "x" * 22}),
    (f"/admin/mailings/{MAILING}/cancel", {"confirm": "yes"}),
    (f"/admin/mailings/{MAILING}/retry", {}),
    ("/admin/subscribers/fr@example.org/edit", {"languages": "nl"}),
    ("/admin/subscribers/fr@example.org/remove", {}),
    ("/admin/subscribers/fr@example.org/erase", {"confirm": "fr@example.org"}),
)


async def test_an_editor_is_refused_every_admin_form(
    editor_client: httpx.AsyncClient, site: Site
) -> None:
    _mailing(site)
    token = csrf_of((await editor_client.get("/admin/")).text)
    before = (count_members(site.engine), site.mailings(),
              find_subscriber(site.engine, "fr@example.org"))
    for path, data in ADMIN_FORMS:
        answer = await editor_client.post(path, data={"csrf": token, **data})
        assert answer.status_code == 403, path
    for path in ("/admin/export", "/admin/lists/press/delete",
                 f"/admin/mailings/{MAILING}/cancel", "/admin/subscribers/fr@example.org/erase"):
        assert (await editor_client.get(path)).status_code == 403, path
    assert (count_members(site.engine), site.mailings(),
            find_subscriber(site.engine, "fr@example.org")) == before
    assert read_audit(site.engine) == []


async def test_a_session_expires(anonymous: httpx.AsyncClient,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from syndication.web.console.sessions import SESSION_SECONDS

    assert (await sign_in(anonymous, "claire")).status_code == 303
    assert (await anonymous.get("/admin/")).status_code == 200
    later = time.time() + SESSION_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert (await anonymous.get("/admin/")).status_code == 303


async def test_the_dashboard_lists_bounces_and_complaints_received(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    from sqlalchemy import insert, select

    from syndication.bounces.schema import delivery_reports
    from syndication.delivery.outbox_schema import deliveries

    _mailing(site)
    with site.engine.begin() as conn:
        delivery = conn.scalar(select(deliveries.c.id).order_by(deliveries.c.id).limit(1))
        conn.execute(insert(delivery_reports).values(
            delivery_id=delivery, kind="complaint", status=None, diagnostic="abuse report",
            source="import", received_at=datetime(2026, 2, 11, 9, 0, tzinfo=UTC), counted=True))
    page = await admin_client.get("/admin/?lang=fr")
    assert "plainte (marqué comme spam)" in page.text
    assert "abuse report" in page.text
    assert MAILING in page.text
