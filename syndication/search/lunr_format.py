"""A lunr index written directly in lunr's serialised form (lunr.js 2.3.9 `Index.load`).

lunr's Python `Builder` spends most of its time on work a static index never uses: a
`Token` and a deep-copied metadata dict per word, a pipeline call per word, a token-set
trie for wildcard queries in Python (lunr.js rebuilds its own from the inverted index).
This module takes the words already cut (`index.words`) and computes the same two tables
with the same arithmetic, in the same order, so the bytes are those `Builder` gives:
`tests/search/test_lunr_format.py` checks it against lunr on real releases.

- `invertedIndex`: `[term, {"_index": n, field: {ref: {}}}]` sorted by term; `n` counts
  terms in order of first appearance (documents, then fields, then words).
- `fieldVectors`: `["field/ref", [term index, weight, …]]` per document and field, with
  lunr's BM25 weight (k1 = 1.2, b = 0.75) times the field's boost, rounded to 3 places.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

LUNR_VERSION = "2.3.9"
K1 = 1.2
B = 0.75

Posting = dict[str, object]


def serialised_index(
    fields: Sequence[tuple[str, int]],
    documents: Sequence[tuple[str, Mapping[str, Sequence[str]]]],
    *, search_pipeline: Sequence[str] = (),
) -> dict[str, object]:
    """lunr's `Index.serialize()` for `documents` (ref, words by field), `fields` (name, boost)."""
    names = [name for name, _boost in fields]
    boosts = dict(fields)
    inverted: dict[str, Posting] = {}
    counted: list[tuple[str, str, int, Counter[str]]] = []  # field, ref, length, frequencies
    totals = dict.fromkeys(names, 0)
    for ref, words_by_field in documents:
        for name in names:
            words = words_by_field[name]
            frequencies = Counter(words)  # first-appearance order, as lunr's dict
            for term in frequencies:
                posting = inverted.get(term)
                if posting is None:
                    posting = {field: {} for field in names}
                    posting["_index"] = len(inverted)
                    inverted[term] = posting
                postings = posting[name]
                assert isinstance(postings, dict)
                postings[ref] = {}
            counted.append((name, ref, len(words), frequencies))
            totals[name] += len(words)
    count = len(documents)
    average = {name: totals[name] / count for name in names} if count else {}
    idf: dict[str, float] = {}
    vectors = []
    for name, ref, length, frequencies in counted:
        elements: list[tuple[int, float]] = []
        for term, tf in frequencies.items():
            posting = inverted[term]
            if term not in idf:
                idf[term] = _idf(posting, names, count)
            # lunr's expression, operation for operation: the rounding must match.
            score = (
                idf[term] * ((K1 + 1) * tf)
                / (K1 * (1 - B + B * (length / average[name])) + tf)
            )
            score *= boosts[name]  # (then lunr multiplies by the document's boost, 1)
            index = posting["_index"]
            assert isinstance(index, int)
            elements.append((index, round(score, 3)))
        elements.sort()
        vectors.append([f"{name}/{ref}", [value for pair in elements for value in pair]])
    return {
        "version": LUNR_VERSION,
        "fields": names,
        "fieldVectors": vectors,
        "invertedIndex": [[term, inverted[term]] for term in sorted(inverted)],
        "pipeline": list(search_pipeline),
    }


def _idf(posting: Posting, names: Sequence[str], count: int) -> float:
    with_term = 0
    for name in names:
        postings = posting[name]
        assert isinstance(postings, dict)
        with_term += len(postings)
    ratio = (count - with_term + 0.5) / (with_term + 0.5)
    return math.log(1 + abs(ratio))
