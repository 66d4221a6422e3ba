"""The console in a real browser (Debian's Chromium under Playwright, `browser` fixture):
an admin's morning, end to end, with the CLI and the API changing things alongside, and
axe-core judging every page; an editor, a forged form and another site refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

from harness.browser import open_page, serious_violations
from harness.ports import free_port
from harness.sites import ADMIN_TOKEN, Site
from harness.web_thread import serving_in_thread
from subscribers import UnknownSubscriber, find_subscriber
from syndication.console.accounts import Role, add_admin
from syndication.console.audit import read_audit
from syndication.scheduler.tick import publish_tick
from syndication.web.app import create_app
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.integration
MAILING = "alert:2026-02-10-belincosoc-senegal"
PENSION = "2027-03-15-pension-adequacy-study"
BAD_CSV = ("email,name,lists\n"
           "anne@lesoir.example,Anne Dupont,press\n"
           "not-an-address,,press\n"
           "new@standaard.example,Nieuw,press\n"
           "other@example.org,,no-such-list\n")


@pytest.fixture
def console_url(site: Site) -> Iterator[str]:
    """The app serving the site, whose base_url and allowed origin is its own address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = replace(site.settings, base_url=url,
                       web=replace(site.settings.web, allowed_origins=(url,)))
    add_admin(site.engine, "claire", role=Role.ADMIN, password=PASSWORD,
              email="claire@press.example")
    add_admin(site.engine, "eddy", role=Role.EDITOR, password=PASSWORD)
    site.add_subscriber("anne@lesoir.example", languages=("fr",), lists=("press",))
    site.add_subscriber("bert@standaard.example", languages=("nl",), lists=("press",))
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    app = create_app(settings, site.engine)
    app.state.console.slow_down = 0.0
    with serving_in_thread(app, port=port) as served:
        yield served


def _sign_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/admin/")
    expect(page).to_have_url(f"{url}/admin/login?next=/admin/")
    page.get_by_label("Nom").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")


def _accessible(page: Page) -> None:
    violations = serious_violations(page)
    assert violations == [], f"{page.url}: " + "; ".join(str(v) for v in violations)


def test_an_admins_morning_lands_in_the_audit_log_with_cli_and_api_changes(
    browser: Browser, console_url: str, site: Site, tmp_path: Path
) -> None:
    from syndication.cli import cli

    made = CliRunner().invoke(cli, ["--config", str(site.config), "lists", "create", "agenda"])
    assert made.exit_code == 0, made.output
    added = httpx.post(f"{console_url}/api/subscribers", json={"email": "api@example.org"},
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert added.status_code == 201
    csv = tmp_path / "journalists.csv"
    csv.write_text(BAD_CSV, encoding="utf-8")
    with open_page(browser) as page:
        _sign_in(page, console_url, "claire")
        _accessible(page)
        # Search a subscriber, open them, edit a preference.
        page.get_by_role("link", name="Abonnés").click()
        page.get_by_label("Adresse, nom ou organisation").fill("lesoir")
        page.get_by_role("button", name="Rechercher").click()
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(1)
        _accessible(page)
        page.get_by_role("link", name="anne@lesoir.example").click()
        _accessible(page)
        page.get_by_label("Nederlands").check()
        page.get_by_label("Fréquence").select_option("daily")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Enregistré.")
        # Import a CSV with bad rows: preview, then apply.
        page.get_by_role("link", name="Import et export").click()
        _accessible(page)
        page.get_by_label("Fichier CSV (UTF-8)").set_input_files(str(csv))
        page.get_by_label("Mettre à jour les abonnés existants d'après leurs lignes").check()
        page.get_by_role("button", name="Aperçu").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import")
        rejected = page.locator("table", has_text="Lignes refusées")
        expect(rejected.locator("tbody tr")).to_have_count(2)
        expect(rejected).to_contain_text("not-an-address")
        _accessible(page)
        page.get_by_role("button", name="Appliquer l'import").click()
        expect(page.get_by_role("status")).to_contain_text("Nouveaux : 1 · mis à jour : 1")
        # Cancel a mailing.
        page.get_by_role("link", name="Envois").click()
        _accessible(page)
        page.get_by_role("link", name=MAILING).click()
        _accessible(page)
        page.get_by_role("link", name="Annuler cet envoi…").click()
        _accessible(page)
        page.get_by_role("button", name="Annuler l'envoi").click()
        expect(page.get_by_role("status")).to_contain_text("L'envoi est annulé")
        # Erase a person.
        page.goto(f"{console_url}/admin/subscribers/bert@standaard.example")
        page.get_by_role("link", name="Effacer cette personne…").click()
        _accessible(page)
        page.get_by_label("Retapez l'adresse pour confirmer").fill("bert@standaard.example")
        page.get_by_role("button", name="Effacer définitivement").click()
        expect(page.get_by_role("status")).to_have_text("La personne a été effacée.")
        # The audit log shows each change, the CLI's and the API's among them.
        page.get_by_role("link", name="Journal des modifications").click()
        _accessible(page)
        log = page.locator("tbody").inner_text()
    assert find_subscriber(site.engine, "anne@lesoir.example").languages == ("fr", "nl")
    assert find_subscriber(site.engine, "new@standaard.example").name == "Nieuw"
    with pytest.raises(UnknownSubscriber):
        find_subscriber(site.engine, "bert@standaard.example")
    for change in ("subscriber edit\tanne@lesoir.example", "import\tjournalists.csv",
                   f"mailing cancel\t{MAILING}", "subscriber erase\t<erased address>",
                   "lists create\tagenda", "POST /api/subscribers\tapi@example.org"):
        assert change in log, change
    assert "bert@standaard.example" not in log
    assert "\tcli\tcli@" in log
    assert "\tapi\t127.0.0.1" in log
    assert "\tconsole\t127.0.0.1" in log


def test_every_console_page_passes_axe_in_both_languages(
    browser: Browser, console_url: str
) -> None:
    pages = ("/admin/", "/admin/releases", f"/admin/releases/{PENSION}", "/admin/subscribers",
             "/admin/subscribers/anne@lesoir.example",
             "/admin/subscribers/anne@lesoir.example/erase", "/admin/lists",
             "/admin/lists/press/delete", "/admin/import", "/admin/mailings",
             f"/admin/mailings/{MAILING}", f"/admin/mailings/{MAILING}/cancel", "/admin/audit",
             "/admin/nowhere")
    with open_page(browser) as page:
        page.goto(f"{console_url}/admin/login")
        _accessible(page)
        _sign_in(page, console_url, "claire")
        for language in ("fr", "nl"):
            page.goto(f"{console_url}/admin/?lang={language}")
            for path in pages:
                page.goto(f"{console_url}{path}")
                assert page.locator("html").get_attribute("lang") == language
                _accessible(page)


def test_editor_forged_form_and_other_site_are_refused(
    browser: Browser, console_url: str, site: Site
) -> None:
    with open_page(browser) as page:
        _sign_in(page, console_url, "eddy")
        page.goto(f"{console_url}/admin/mailings/{MAILING}")
        before = page.locator("main").inner_text()
        page.goto(f"{console_url}/admin/subscribers/anne@lesoir.example")
        assert page.get_by_role("button", name="Enregistrer").count() == 0
        token = page.locator('input[name="csrf"]').first.get_attribute("value") or ""
        for action in ("edit", "remove"):
            refused = page.request.post(
                f"{console_url}/admin/subscribers/anne@lesoir.example/{action}",
                form={"csrf": token, "languages": "nl", "lists": "public"},
                headers={"Origin": console_url})
            assert refused.status == 403, action
        cancel = page.request.post(f"{console_url}/admin/mailings/{MAILING}/cancel",
                                   form={"csrf": token, "confirm": "yes"},
                                   headers={"Origin": console_url})
        assert cancel.status == 403
        assert page.request.get(f"{console_url}/admin/export").status == 403
        page.goto(f"{console_url}/admin/mailings/{MAILING}")
        assert page.locator("main").inner_text() == before  # not cancelled
    with open_page(browser) as page:
        _sign_in(page, console_url, "claire")
        page.goto(f"{console_url}/admin/subscribers/anne@lesoir.example")
        token = page.locator('input[name="csrf"]').first.get_attribute("value") or ""
        forged = page.request.post(f"{console_url}/admin/subscribers/anne@lesoir.example/remove",
                                   form={"csrf": "forged"}, headers={"Origin": console_url})
        assert forged.status == 403
        no_token = page.request.post(
            f"{console_url}/admin/subscribers/anne@lesoir.example/remove", form={},
            headers={"Origin": console_url})
        assert no_token.status == 403
        elsewhere = page.request.post(
            f"{console_url}/admin/subscribers/anne@lesoir.example/remove",
            form={"csrf": token}, headers={"Origin": "https://evil.example"})
        assert elsewhere.status == 403
    subscriber = find_subscriber(site.engine, "anne@lesoir.example")
    assert subscriber.languages == ("fr",)
    assert subscriber.status.value == "active"
    assert read_audit(site.engine) == []
