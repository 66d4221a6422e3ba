"""The sign-up form: name and organisation kept, a privacy notice, and on an error the form
shown again with what was typed and the error tied to its field."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from lxml import html

from harness.sites import Site
from subscribers.directory import find_subscriber
from subscribers.model import Status
from tests.web.conftest import maildir_messages

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_name_and_organisation_are_kept_with_the_address(
    client: httpx.AsyncClient, site: Site,
) -> None:
    body = urlencode({"email": "els@example.org", "name": "  Els   Janssens ",
                      "organisation": "VRT NWS", "languages": "nl", "lists": "press"})
    response = await client.post("/subscribe", content=body, headers=FORM)
    assert response.status_code == 200
    person = find_subscriber(site.engine, "els@example.org")
    assert (person.name, person.organisation, person.status) == (
        "Els Janssens", "VRT NWS", Status.PENDING)
    # Both are optional.
    await client.post("/subscribe", content="email=anon%40example.org", headers=FORM)
    anonymous = find_subscriber(site.engine, "anon@example.org")
    assert (anonymous.name, anonymous.organisation) == ("", "")


@pytest.mark.parametrize(
    ("fields", "wrong", "says"),
    [
        ({"email": "not-an-address"}, "email", "geldig e-mailadres"),
        ({"email": "ok@example.org", "name": "x" * 201}, "name", "200 tekens"),
        ({"email": "ok@example.org", "organisation": "Le\x07Soir"}, "organisation",
         "200 tekens"),
    ],
)
async def test_an_error_shows_the_form_again_with_the_error_at_its_field(
    client: httpx.AsyncClient, site: Site, fields: dict[str, str], wrong: str, says: str,
) -> None:
    typed = {"name": "Jeanne Dupont", "organisation": "Le Soir", **fields,
             "languages": "nl", "lists": "public", "frequency": "weekly"}
    # Asked in French, answered in the language ticked (Dutch), as a sign-up always is.
    response = await client.post("/subscribe?lang=fr", content=urlencode(typed), headers=FORM)
    assert response.status_code == 422
    page = html.fromstring(response.text)
    field = page.get_element_by_id(f"field-{wrong}")
    assert field.get("aria-invalid") == "true"
    described = (field.get("aria-describedby") or "").split()
    error = page.get_element_by_id(described[0])
    assert says in error.text_content()
    assert error.getparent() is field.getparent()  # next to it, in the same form
    for key in ("email", "name", "organisation"):
        if key != wrong:
            assert page.get_element_by_id(f"field-{key}").get("value") == typed[key]
    # The boxes ticked stay ticked.
    assert page.xpath("//input[@name='languages'][@checked]/@value") == ["nl"]
    assert page.xpath("//input[@name='lists'][@checked]/@value") == ["public"]
    assert page.xpath("//input[@name='frequency'][@checked]/@value") == ["weekly"]
    # Only the wrong field is marked; nothing was recorded or sent.
    assert len(page.xpath("//*[@aria-invalid='true']")) == 1
    assert maildir_messages(site) == []


async def test_scripts_still_get_json_errors(client: httpx.AsyncClient) -> None:
    response = await client.post("/subscribe", json={"email": "nope"})
    assert response.status_code == 422
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("language", "kept", "how_long", "how_to_leave"),
    [
        ("fr", "le nom et l’organisation", "valable 7 jours", "vous désabonner"),
        ("nl", "de naam en organisatie", "7 dagen geldig", "uit te schrijven"),
    ],
)
async def test_the_privacy_notice_says_what_is_kept_how_long_and_how_to_leave(
    client: httpx.AsyncClient, language: str, kept: str, how_long: str, how_to_leave: str,
) -> None:
    page = html.fromstring((await client.get(f"/subscribe?lang={language}")).text)
    (notice,) = page.xpath("//section[@class='privacy']")
    text = " ".join(notice.text_content().split())
    assert kept in text
    assert how_long in text
    assert how_to_leave in text
    # The fields are optional and say so; the address is the one required one.
    assert page.xpath("//input[@required]/@name") == ["email"]
    assert page.get_element_by_id("field-name").get("autocomplete") == "name"
