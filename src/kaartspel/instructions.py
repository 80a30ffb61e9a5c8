"""What a home printer needs on the paper itself: the instruction page in front of the card
sheets (duplex edge, actual size, paper weight, cutting, calibration, card and sheet count)
and the slug in the margin of every sheet (deck, version, sheet n/N, front or back).

Words come from the wording section `sheets`, in the deck's language. The page is laid out
here as page items (text lines, a rule); `paint` draws them. The slug's place is found by
`impose.place_slug`.
"""

from __future__ import annotations

from dataclasses import replace

from . import fonts, impose, wording
from .layout import Fill, Item, TextLine
from .model import Deck
from .text import Style, wrap
from .units import mm

TITLE = Style("black", 20.0, 1.15)
SUBTITLE = Style("bold", 11.0, 1.3)
BODY = Style("regular", 10.5, 1.38)
INK = (0.1, 0.1, 0.12)
MUTED = (0.36, 0.36, 0.38)
RULE = (0.75, 0.75, 0.78)


def _words(deck: Deck) -> wording.Wording:
    return wording.for_language(deck.language)


def paragraphs(
    deck: Deck, layout: str, duplex: str, gap: float, paper: str, cards: int, sheets: int
) -> list[str]:
    """The instructions, one paragraph each, for this build."""
    w = _words(deck).section("sheets")
    counts = w["counts_one"] if sheets == 1 else w["counts"]
    mode = w["gutterfold"] if layout == "gutterfold" else w[f"duplex_{duplex}"]
    label = "Letter" if paper == "letter" else paper.upper()
    found = [
        counts.format(cards=cards, sheets=sheets, paper=label),
        mode,
        w["size"],
        w["paper"],
        w["cutting_gap"] if gap > 0 else w["cutting"],
    ]
    if layout == "duplex" and duplex != "none":
        found.append(w["calibration"])
    found.append(w["slug_hint"])
    return found


def page(
    deck: Deck,
    width: float,
    height: float,
    texts: list[str],
) -> impose.Sheet:
    """The instruction page (`width` x `height` points, like the card sheets)."""
    margin = mm(20)
    room = width - 2 * margin
    items: list[Item] = []
    y = height - margin - TITLE.size
    for line in wrap(_words(deck)["sheets.title"], TITLE, room, deck.language, hyphenate=False):
        items.append(TextLine(margin, y, line, TITLE.font, TITLE.size, INK))
        y -= TITLE.line_height
    heading = f"{deck.title} · v{deck.version}"
    for line in wrap(heading, SUBTITLE, room, deck.language, hyphenate=False):
        items.append(TextLine(margin, y, line, SUBTITLE.font, SUBTITLE.size, MUTED))
        y -= SUBTITLE.line_height
    y -= mm(2)
    items.append(Fill((margin, y, width - margin, y + 0.6), RULE))
    y -= mm(6)
    for text in texts:
        for line in wrap(text, BODY, room, deck.language, hyphenate=False):
            items.append(TextLine(margin, y, line, BODY.font, BODY.size, INK))
            y -= BODY.line_height
        y -= mm(3.5)
    return impose.Sheet(0, "front", width, height, (), (), kind="instructions", items=tuple(items))


def blank(width: float, height: float) -> impose.Sheet:
    """The empty back of the instruction page: the card sheets after it stay paired."""
    return impose.Sheet(0, "back", width, height, (), (), kind="blank")


def with_slugs(deck: Deck, sheets: list[impose.Sheet], layout: str) -> list[impose.Sheet]:
    """Every card sheet with its slug: deck title and version, sheet n/N, front or back
    (numbered per side, so front 3/5 and back 3/5 belong together)."""
    w = _words(deck).section("sheets")
    totals = {side: sum(1 for s in sheets if s.side == side) for side in ("front", "back")}
    seen = {"front": 0, "back": 0}
    marked = []
    for sheet in sheets:
        seen[sheet.side] += 1
        number = f"{w['sheet']} {seen[sheet.side]}/{totals[sheet.side]}"
        short = number if layout == "gutterfold" else f"{number} · {w[sheet.side]}"
        full = f"{deck.title} v{deck.version} · {short}"
        texts = [(t, fonts.width(t, "regular", 1.0)) for t in (full, short)]
        marked.append(impose.place_slug(sheet, texts))
    return marked


def renumber(sheets: list[impose.Sheet]) -> list[impose.Sheet]:
    return [replace(s, index=i) for i, s in enumerate(sheets)]
