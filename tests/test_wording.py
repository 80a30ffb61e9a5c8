"""Fixed words come from the wording data, per language, with an error naming a missing key."""

from __future__ import annotations

import pytest

from kaartspel import wording
from kaartspel.errors import InvalidDeck


def test_every_shipped_language_has_the_card_and_booklet_words_of_dutch():
    dutch = wording.for_language("nl")
    keys = [k for k in dutch._words if k.startswith(("card.", "booklet."))]
    assert keys
    for language in wording.shipped_languages():
        words = wording.for_language(language)
        assert [k for k in keys if k not in words._words] == [], language


def test_a_missing_key_names_the_key_and_the_language():
    with pytest.raises(InvalidDeck) as caught:
        wording.for_language("nl")["booklet.nonexistent"]
    assert caught.value.problems == [
        "no wording 'booklet.nonexistent' for language 'nl': add it to the deck "
        "(wording: {nl: {booklet.nonexistent: ...}} in deck.yaml) or use one of the "
        "languages kaartspel ships: en, fr, nl"
    ]


def test_overrides_replace_and_extend_the_shipped_words():
    words = wording.Wording("nl", {"card": {"answer": "Reactie"}, "extra": {"x": "y"}})
    assert words["card.answer"] == "Reactie"
    assert words["card.task"] == "Opdracht"
    assert words.section("extra")["x"] == "y"
