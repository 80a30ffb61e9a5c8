"""What a card shows, read from its type's declaration: the colour band's texts and the
pictogram. One home for the printed cards, the booklet and the site.

Pure: a `Card` in, texts and names out. No card-type id appears here; the default deck's
choices (the inspiration cards' band names segment and sub-form) are data in its deck.yaml.
"""

from __future__ import annotations

from pathlib import Path

from .model import Card


def default_band(card: Card) -> tuple[tuple[str, ...], ...]:
    """Without a declared `band:` a type with its own colour names itself, then the card's
    category and sub-form; a type in its category's colour names the category, then itself."""
    if card.type.colour is not None:
        return (("type",), ("segment", "subform"))
    return (("segment",), ("type", "subform"))


def _part(card: Card, part: str) -> str | None:
    if part == "type":
        return card.type.name
    if part == "segment":
        return card.segment.name if card.segment else None
    if part == "subform":
        return card.subform.name if card.subform else None
    return card.custom.get(part)


def band_texts(card: Card) -> tuple[str, str]:
    """The two lines of the card's colour band (not upper-cased); a first line whose parts
    the card lacks falls back to the type's name."""
    lines = card.type.band or default_band(card)
    texts = [" · ".join(t for p in line if (t := _part(card, p))) for line in lines]
    first = texts[0] or card.type.name
    return first, texts[1] if len(texts) > 1 else ""


def pictogram_of(card: Card) -> str:
    """The pictogram in the band: the category's, for a type in its category's colour,
    else the type's own."""
    if card.type.colour is None and card.segment is not None:
        return card.segment.pictogram
    return card.type.pictogram


def pictogram_file(card: Card) -> Path | None:
    """The image file of the card's pictogram, when the deck gives one (`assets/...`)."""
    if card.type.colour is None and card.segment is not None:
        return card.segment.pictogram_file
    return card.type.pictogram_file
