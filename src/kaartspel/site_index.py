"""The inspiration bank's search index, built when the site is written (`kaartspel site`).

The page searches with MiniSearch (vendored in `site_assets/`), which can load an index
serialised in its JSON format (`MiniSearch.loadJSON`, serialisation version 2). This module
writes that format from Python, so opening the page does no indexing work and building the
site needs no JavaScript runtime. It must produce what `new MiniSearch(options).addAll(docs)`
followed by `JSON.stringify` produces for the same documents and options (the terms may come
in another order); tests/test_site.py checks that in Chromium.

The options of the page (`SEARCH_FIELDS`, `tokenize`, `fold`) are mirrored in `site.js`:
a term is a run of letters, digits and combining marks; it is folded by lower-casing, Unicode
NFD decomposition and dropping the marks ("Enquête" -> "enquete"). Pure: cards in, data out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

SERIALIZATION_VERSION = 2

# The searched fields, in MiniSearch's field order, and how much a hit in each counts.
# title > place / wheel (segment, sub-form, card type) / facets > tags > link labels, text.
SEARCH_FIELDS: tuple[str, ...] = ("title", "place", "wheel", "facets", "tags", "links", "text")
BOOSTS: dict[str, float] = {
    "title": 3.0,
    "place": 2.0,
    "wheel": 2.5,
    "facets": 2.0,
    "tags": 1.5,
    "links": 1.0,
    "text": 1.0,
}


def _word_char(ch: str) -> bool:
    """A letter, digit or combining mark: /[\\p{L}\\p{N}\\p{M}]/u in the page's script."""
    return unicodedata.category(ch)[0] in "LNM"


# [^\W_] is exactly a letter or a digit (Unicode categories L and N); marks are rare
_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


def tokenize(text: str) -> list[str]:
    """The words of `text` as written: `text.match(/[\\p{L}\\p{N}\\p{M}]+/gu) || []`."""
    if not any(unicodedata.category(ch)[0] == "M" for ch in set(text) if ch >= "\u0300"):
        return _LETTERS_AND_DIGITS.findall(text)
    words: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if _word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            words.append(text[start:i])
            start = -1
    if start >= 0:
        words.append(text[start:])
    return words


@functools.lru_cache(maxsize=1 << 16)
def fold(term: str) -> str:
    """Case- and accent-blind form of a word: lower case, NFD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFD", term.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] != "M")


def terms(text: str) -> Iterator[str]:
    """The folded words of `text`, as the index holds them."""
    for word in tokenize(text):
        term = fold(word)
        if term:
            yield term


def _number(x: float) -> float | int:
    """A float as JavaScript's JSON.stringify writes it (3.0 -> 3)."""
    return int(x) if x == int(x) else x


def build_index(documents: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """MiniSearch's `toJSON()` of `documents` indexed over `SEARCH_FIELDS`.

    Each document has an "id" and a string per field; a field that is absent or None is
    skipped, as MiniSearch skips it (no length, no terms)."""
    field_ids = {name: i for i, name in enumerate(SEARCH_FIELDS)}
    postings: dict[str, dict[int, dict[int, int]]] = {}
    field_length: dict[int, list[int | None]] = {}
    average: list[float | None] = []
    document_ids: dict[int, Any] = {}
    for short_id, document in enumerate(documents):
        document_ids[short_id] = document["id"]
        lengths: list[int | None] = []
        for field, field_id in field_ids.items():
            value = document.get(field)
            if value is None:
                continue
            words = tokenize(str(value))
            # MiniSearch counts the distinct words as written (before folding)
            length = len(set(words))
            while len(lengths) <= field_id:
                lengths.append(None)
            lengths[field_id] = length
            while len(average) <= field_id:
                average.append(None)
            previous = average[field_id] or 0
            average[field_id] = (previous * short_id + length) / (short_id + 1)
            for term, freq in Counter(map(fold, words)).items():
                if term:
                    postings.setdefault(term, {}).setdefault(field_id, {})[short_id] = freq
        field_length[short_id] = lengths
    index = [
        [
            term,
            {
                str(field_id): {str(doc): freq for doc, freq in sorted(docs.items())}
                for field_id, docs in sorted(postings[term].items())
            },
        ]
        for term in sorted(postings)
    ]
    return {
        "documentCount": len(documents),
        "nextId": len(documents),
        "documentIds": {str(k): v for k, v in document_ids.items()},
        "fieldIds": field_ids,
        "fieldLength": {str(k): v for k, v in field_length.items()},
        "averageFieldLength": [None if a is None else _number(a) for a in average],
        "storedFields": {},
        "dirtCount": 0,
        "index": index,
        "serializationVersion": SERIALIZATION_VERSION,
    }
