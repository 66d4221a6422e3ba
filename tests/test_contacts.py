"""How a contact's phone and address are written for reading and linking: one place each."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from jinja2 import DictLoader

from syndication.contacts import Contact, display_phone, mailto_uri, normalise_phone, tel_uri
from syndication.template_environment import template_environment


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+32473636124", "+32 473 63 61 24"),
        ("+3225286011", "+32 2 528 60 11"),
        ("+33142685300", "+33 1 42 68 53 00"),
    ],
)
def test_a_number_is_shown_spaced_and_linked_as_e164(e164: str, shown: str) -> None:
    assert display_phone(e164) == shown
    assert tel_uri(e164) == f"tel:{e164}"
    contact = Contact(name="A", role={}, phone=e164, email=None)
    assert contact.phone_display == shown


def test_a_contact_without_phone_shows_none() -> None:
    assert Contact(name="A", role={}, phone=None, email="a@example.be").phone_display == ""


@pytest.mark.parametrize(
    ("address", "uri"),
    [
        ("press@minsoc.fed.be", "mailto:press@minsoc.fed.be"),
        # RFC 6068 §2: sub-delims other than "&", ";" and "," may stay as they are, so a
        # tagged address reads as written (quote(address, safe="@") made it jean%2Bpresse).
        ("jean+presse@example.be", "mailto:jean+presse@example.be"),
        ("o'brien@example.be", "mailto:o'brien@example.be"),  # as in RFC 6068 §6.2
        ("a!b$c*d=e@example.be", "mailto:a!b$c*d=e@example.be"),
        # Valid in an address but not in a URI (RFC 3986): encoded. The templates' old
        # filter left them as they were, which made an invalid URI.
        ("a{b}|c^d`e@example.be", "mailto:a%7Bb%7D%7Cc%5Ed%60e@example.be"),
        # "%" and the gen-delims but "@" (RFC 6068 §2), "&" (RFC 6068 §6.2: Mike%26family).
        ("gorby%kremvax@example.com", "mailto:gorby%25kremvax@example.com"),
        ("a/b?c#d&e@example.be", "mailto:a%2Fb%3Fc%23d%26e@example.be"),
        # Non-ASCII as percent-encoded UTF-8.
        ("jean@exämple.be", "mailto:jean@ex%C3%A4mple.be"),
    ],
)
def test_mailto_quotes_as_rfc_6068_says(address: str, uri: str) -> None:
    assert mailto_uri(address) == uri
    assert unquote(urlsplit(uri).path) == address


def test_the_templates_filters_are_the_same_functions() -> None:
    source = "{{ n|phone }} {{ n|tel }} {{ a|mailto }}"
    environment = template_environment(DictLoader({"t.html": source}))
    rendered = environment.get_template("t.html").render(n="+32473636124", a="jean+x@example.be")
    assert rendered == "+32 473 63 61 24 tel:+32473636124 mailto:jean+x@example.be"
    assert environment.filters["phone"] is display_phone
    assert environment.filters["tel"] is tel_uri
    assert environment.filters["mailto"] is mailto_uri


@pytest.mark.parametrize(("written", "stored", "shown", "link"), [
    ("02 528 60 11 ext. 5", "+3225286011;ext=5", "+32 2 528 60 11 ext. 5",
     "tel:+3225286011;ext=5"),
    ("02/528.60.11 x 12", "+3225286011;ext=12", "+32 2 528 60 11 ext. 12",
     "tel:+3225286011;ext=12"),
    ("0473 63 61 24", "+32473636124", "+32 473 63 61 24", "tel:+32473636124"),
])
def test_an_extension_is_kept_shown_and_linked(
    written: str, stored: str, shown: str, link: str
) -> None:
    assert normalise_phone(written) == stored
    assert display_phone(stored) == shown
    assert tel_uri(stored) == link  # RFC 3966 §5.1.5


@pytest.mark.parametrize("written", ["02 528 60 11 poste 5", "02 528 60 11 / 02 528 60 12"])
def test_digits_that_are_no_part_of_the_number_are_refused_not_dropped(written: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(written)
