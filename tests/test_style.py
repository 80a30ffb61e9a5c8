"""The deck's vocabulary rule (deck/STYLE.md): burger only in compounds, one word per role.

Counts words in everything printed from the deck's own texts: every card's title, place,
text, answer and question, the segments' meanings and the rules.
"""

from __future__ import annotations

import re

import pytest

from conftest import DEFAULT_DECK
from kaartspel.load import load_deck

# proper names that contain a plain "Burger" (deck/STYLE.md: listed here)
NAMES = ("Burger Alert Real Time",)
BURGER = re.compile(r"\bburgers?\b", re.IGNORECASE)
INWONER = re.compile(r"\binwoners?\b", re.IGNORECASE)
BEWONER = re.compile(r"\bbewoners?\b", re.IGNORECASE)  # not buurtbewoner, wijkbewoner
SOURCE = re.compile(r"\bde bron\b", re.IGNORECASE)


def _plain(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


def _card_texts():
    deck = load_deck(DEFAULT_DECK)
    for card in deck.cards:
        parts = (card.title, card.place, card.text, card.answer, card.question)
        yield card.id, _plain(" ".join(p for p in parts if p))


CARDS = list(_card_texts())


def test_the_rule_finds_what_it_should() -> None:
    assert BURGER.findall("Burgers praten mee; de burger beslist") == ["Burgers", "burger"]
    assert BURGER.findall("burgerparticipatie, burgerbegroting, Burgerkabinet") == []
    assert BEWONER.findall("buurtbewoners en wijkbewoners") == []
    assert BEWONER.findall("146 bewoners; een bewoner") == ["bewoners", "bewoner"]
    assert _plain("BART! (Burger Alert Real Time)").count("Burger") == 0


@pytest.mark.parametrize(("card_id", "text"), CARDS, ids=[c for c, _ in CARDS])
def test_card_uses_one_word_per_role(card_id: str, text: str) -> None:
    assert BURGER.findall(text) == [], f"{card_id}: 'burger(s)' on its own (use inwoners)"
    inwoners, bewoners = len(INWONER.findall(text)), len(BEWONER.findall(text))
    assert not (inwoners and bewoners), (
        f"{card_id}: both 'inwoner' ({inwoners}x) and 'bewoner' ({bewoners}x) for people"
    )
    assert SOURCE.findall(text) == [], f"{card_id}: say 'het VIVES-onderzoek', not 'de bron'"


def test_segment_meanings_and_rules_follow_the_rule() -> None:
    deck = load_deck(DEFAULT_DECK)
    for segment in deck.segments:
        assert segment.meaning is not None, segment.id
        assert BURGER.findall(_plain(segment.meaning)) == [], segment.id
        assert INWONER.search(segment.meaning), segment.id
    rules = (DEFAULT_DECK / "rules.md").read_text(encoding="utf-8")
    # the rules define the words once, in italics; everywhere else the rule holds
    body = rules.replace("*burgerparticipatie*", "").replace("*inwoners*", "")
    assert BURGER.findall(_plain(body)) == []
    assert SOURCE.findall(body) == []


def test_most_cards_speak_of_people_and_the_counts_add_up() -> None:
    inwoner_cards = [c for c, t in CARDS if INWONER.search(t)]
    bewoner_cards = [c for c, t in CARDS if BEWONER.search(t)]
    assert len(inwoner_cards) >= 20 and len(bewoner_cards) >= 10
    assert not set(inwoner_cards) & set(bewoner_cards)
