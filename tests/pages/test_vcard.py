"""vCards of press contacts: RFC 6350 escaping and folding, read back by a real parser."""

from __future__ import annotations

import vobject
from hypothesis import given
from hypothesis import strategies as st

from syndication.pages.vcard import VCardContact, escape_text, fold_line, render_vcard

AWKWARD = VCardContact(
    name="Dupont, Jeanne; porte-parole\\adjointe", role="Presse\nFR; NL, DE",
    organisation="SPF Sécurité sociale – Service de presse, Bruxelles",
    phone="+3225286300", email="jeanne.dupont@minsoc.fed.be",
    website="https://www.socialsecurity.belgium.be", language="fr",
)


def test_text_values_are_escaped() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_a_real_parser_reads_back_every_value() -> None:
    card = vobject.readOne(render_vcard(AWKWARD).decode("utf-8"))
    assert card.version.value == "4.0"
    assert card.fn.value == AWKWARD.name
    assert card.title.value == AWKWARD.role
    assert card.tel.value == "tel:+3225286300"
    assert card.email.value == AWKWARD.email
    assert card.url.value == AWKWARD.website


def test_lines_end_in_crlf_and_fold_at_75_octets() -> None:
    long = VCardContact(name="é" * 120, role="", organisation="", phone=None, email=None,
                        website=None, language="nl")
    data = render_vcard(long)
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    assert vobject.readOne(data.decode("utf-8")).fn.value == "é" * 120


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300))
def test_folding_then_unfolding_gives_the_line_back(text: str) -> None:
    folded = fold_line(f"FN:{text}")
    assert folded.endswith("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded[:-2].split("\r\n"))
    assert folded[:-2].replace("\r\n ", "") == f"FN:{text}"
