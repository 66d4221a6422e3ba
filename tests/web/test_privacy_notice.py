"""The sign-up page says that an unconfirmed sign-up is deleted when its link expires."""

from __future__ import annotations

import httpx

from subscribers.tokens import CONFIRM_MAX_AGE


async def test_the_sign_up_page_says_unconfirmed_addresses_are_deleted(
    client: httpx.AsyncClient,
) -> None:
    days = CONFIRM_MAX_AGE.days
    french = await client.get("/subscribe", headers={"Accept-Language": "fr"})
    assert f"valable {days} jours" in french.text
    assert "nous effaçons l’adresse" in french.text
    dutch = await client.get("/subscribe", headers={"Accept-Language": "nl"})
    assert f"{days} dagen geldig" in dutch.text
