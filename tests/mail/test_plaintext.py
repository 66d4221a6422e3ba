"""Release HTML as plain text for the text part."""

from __future__ import annotations

from syndication.mail.plaintext import html_to_text
from syndication.releases.markdown import render_markdown


def text(markdown: str) -> str:
    return html_to_text(render_markdown(markdown))


def test_paragraphs_are_wrapped_and_separated() -> None:
    result = text("word " * 40 + "\n\nSecond paragraph.")
    lines = result.split("\n")
    assert all(len(line) <= 72 for line in lines)
    assert result.endswith("\n\nSecond paragraph.")


def test_links_show_their_target() -> None:
    assert text("See [the study](https://example.org/s.pdf).") == (
        "See the study <https://example.org/s.pdf>."
    )
    assert text("<https://example.org/x>") == "https://example.org/x"
    assert text("<press@example.org>") == "press@example.org"
    assert text("[Write to us](mailto:press@example.org)") == (
        "Write to us <mailto:press@example.org>"
    )


def test_lists_quotes_and_headings() -> None:
    result = text("### Findings\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n> words")
    assert result == "Findings\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted words"


def test_nested_list_is_indented() -> None:
    assert text("- outer\n  - inner") == "- outer\n  - inner"


def test_code_keeps_its_lines_and_entities_are_decoded() -> None:
    assert text("```\na  b\n  c\n```\n\n1 < 2 & 3") == "a  b\n  c\n\n1 < 2 & 3"


def test_table_rows_become_lines() -> None:
    assert text("| a | b |\n|---|---|\n| 1 | 2 |") == "a | b\n1 | 2"


def test_line_breaks_are_kept() -> None:
    assert text("one  \ntwo") == "one\ntwo"
