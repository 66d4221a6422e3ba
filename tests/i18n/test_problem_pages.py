"""Every problem page the subscription routes answer with, in each language, through the app:
translated words, and never the catalog's header (gettext's entry for an empty message)."""

from __future__ import annotations

import httpx
import pytest
from markupsafe import escape

from harness.sites import SECRET, Site
from subscribers import TokenPurpose, make_token, unsubscribe
from syndication.translations import translator
from syndication.web.preferences import EXPIRED_FORM
from syndication.web.responses import INVALID_LINK, MISSING, TRY_LATER
from syndication.web.signup_form import FIELD_ERRORS
from syndication.web.subscription import NOTHING_TO_CONFIRM

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
FORM_PROBLEM = "The form has a problem: please check the field marked below."
HEADER_WORDS = ("Project-Id-Version", "Plural-Forms", "Content-Type: text/plain")


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_every_error_path_shows_translated_words(
    client: httpx.AsyncClient, site: Site, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    secret = SECRET.encode()
    member = site.add_subscriber("member@example.org")
    preferences = make_token(secret, TokenPurpose.PREFERENCES, member)
    leaver = site.add_subscriber("leaver@example.org")
    unsubscribe(site.engine, leaver)
    query = f"?lang={language}"
    cases = [
        # A sign-up error shows the form again, the error next to its field.
        ("POST", "/subscribe", "email=not-an-address", 422,
         (FORM_PROBLEM, FIELD_ERRORS["email"])),
        ("POST", "/subscribe", "email=a%40example.org&lists=nowhere", 422,
         (FORM_PROBLEM, FIELD_ERRORS["choices"])),
        ("POST", "/subscribe", "x" * 70_000, 413, TRY_LATER),
        ("GET", "/confirm/forged-token", "", 400, INVALID_LINK),
        ("GET", f"/confirm/{make_token(secret, TokenPurpose.CONFIRM, leaver)}", "", 409,
         NOTHING_TO_CONFIRM),
        ("GET", f"/preferences/{make_token(secret, TokenPurpose.PREFERENCES, 999_999)}", "",
         404, INVALID_LINK),
        ("POST", f"/preferences/{preferences}", "languages=fr", 403, EXPIRED_FORM),
        ("POST", f"/preferences/{preferences}", "x" * 70_000, 413, MISSING),
    ]
    gettext = translator(language).gettext

    def _(message: str) -> str:
        return str(escape(gettext(message)))

    for method, path, body, status, (heading, sentence) in cases:
        response = await client.request(
            method, path + query, content=body or None, headers=FORM if body else None,
        )
        what = (method, path, status)
        assert response.status_code == status, what
        for word in filter(None, (heading, sentence)):
            assert gettext(word) != word, what
            assert _(word) in response.text, what
        assert "<p></p>" not in response.text, what
        assert not [word for word in HEADER_WORDS if word in response.text], what
    monkeypatch.delenv("SYNDICATION_SECRET")  # no secret: the sign-up cannot work now
    response = await client.post("/subscribe" + query, content="email=a%40example.org",
                                 headers=FORM)
    assert response.status_code == 503
    assert _(TRY_LATER[0]) in response.text
    assert _(TRY_LATER[1]) in response.text
