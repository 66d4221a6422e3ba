"""Querying the built index with lunr's Python API, as lunr.js queries it in the browser."""

from __future__ import annotations

from lunr.pipeline import Pipeline
from lunr.token import Token

from syndication.search.index import FOLD, fold


def fold_accents(token: Token, index: int | None = None, tokens: object = None) -> Token:
    """search.js's `foldAccents`, for lunr's Python `Index.load` and `search`."""
    return token.update(lambda text, metadata=None: fold(text))


if FOLD not in Pipeline.registered_functions:
    Pipeline.register_function(fold_accents, FOLD)
