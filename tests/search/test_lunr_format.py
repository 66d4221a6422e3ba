"""`lunr_format` writes exactly the index lunr's own Builder writes, for real releases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lunr.builder import Builder

from syndication.config import Settings
from syndication.search.index import FIELDS, FOLD, plain_text, words
from syndication.search.lunr_format import serialised_index
from tests.search.conftest import fold_accents
from tests.site.building import load


def lunr_builder_index(documents: list[tuple[str, dict[str, list[str]]]]) -> dict[str, object]:
    builder = Builder()
    builder.search_pipeline.add(fold_accents)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for ref, fields in documents:
        builder.add({"ref": ref, **fields})
    serialised: dict[str, object] = builder.build().serialize()
    return serialised


def test_the_example_releases_index_as_lunr_indexes_them(example_settings: Settings) -> None:
    for language in example_settings.languages:
        documents = [
            (release.id, {
                "title": words(release.versions[language].title),
                "summary": words(release.versions[language].summary),
                "body": words(plain_text(release.versions[language].body_html)),
            })
            for release in load(example_settings) if language in release.versions
        ]
        assert len(documents) >= 5
        mine = serialised_index(FIELDS, documents, search_pipeline=[FOLD])
        assert mine == lunr_builder_index(documents)


WORD = st.sampled_from(["pension", "securite", "sociale", "a", "de", "la", "crise", "2020"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(WORD, max_size=4), st.lists(WORD, max_size=3),
                          st.lists(WORD, max_size=30)), min_size=1, max_size=8))
def test_any_documents_index_as_lunr_indexes_them(
    texts: list[tuple[list[str], list[str], list[str]]],
) -> None:
    documents = [
        (f"r{number}", {"title": title, "summary": summary, "body": body})
        for number, (title, summary, body) in enumerate(texts)
    ]
    assert serialised_index(FIELDS, documents, search_pipeline=[FOLD]) == (
        lunr_builder_index(documents)
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aé Z9_-'’.,()«» \n\t«x"), max_size=60))
def test_words_are_split_then_trimmed_at_both_ends_then_folded(text: str) -> None:
    # lunr.js's tokenizer (with search.js's separators) and its trimmer, in two steps.
    import re

    from syndication.search.index import fold

    tokens = re.split(r"[\s\-'’‘`]+", text.lower())
    trimmed = [re.sub(r"\W+$", "", re.sub(r"^\W+", "", token)) for token in tokens]
    assert words(text) == [fold(token) for token in trimmed if token]
