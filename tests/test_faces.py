"""Card faces as data: everything but the backgrounds inside the safe area, and a clear
quiet zone of at least 4 modules around every QR code; for every card of the default deck
and every card size."""

from __future__ import annotations

import pytest

from conftest import DEFAULT_DECK
from kaartspel import fonts, layout, presets
from kaartspel.layout import CardSize, Disc, Fill, LinkArea, Pictogram, QrCode, TextLine, Wheel
from kaartspel.load import load_deck

TOL = 0.01


def _extent(item) -> tuple[float, float, float, float] | None:
    if isinstance(item, TextLine):
        w = fonts.width(item.text, item.font, item.size)
        x0 = item.x - (w if item.align == "right" else w / 2 if item.align == "centre" else 0)
        return (x0, item.y - item.size * 0.22, x0 + w, item.y + item.size * 0.78)
    if isinstance(item, QrCode):
        return item.rect
    if isinstance(item, Pictogram):
        return (item.x, item.y, item.x + item.size, item.y + item.size)
    if isinstance(item, Wheel):
        return (
            item.cx - item.outer,
            item.cy - item.outer,
            item.cx + item.outer,
            item.cy + item.outer,
        )
    if isinstance(item, Disc):
        return (item.cx - item.r, item.cy - item.r, item.cx + item.r, item.cy + item.r)
    if isinstance(item, Fill):
        return item.rect
    return None


def _background(item, size: CardSize) -> bool:
    """Colour fields that run into the bleed on purpose."""
    return isinstance(item, Fill) and (
        item.rect[0] < 0
        or item.rect[1] < 0
        or item.rect[2] > size.width
        or item.rect[3] > size.height
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] - TOL and b[0] < a[2] - TOL and a[1] < b[3] - TOL and b[1] < a[3] - TOL


@pytest.fixture(scope="module")
def deck():
    return load_deck(DEFAULT_DECK)


@pytest.mark.parametrize("card_size", ["poker", "poker-us", "tarot", "a7"])
def test_faces_stay_inside_the_safe_area_and_keep_the_quiet_zone(deck, card_size) -> None:
    size = CardSize.from_mm(*presets.card_size_mm(card_size))
    sx0, sy0, sx1, sy1 = size.safe_rect
    faces = layout.fronts(deck, list(deck.cards), size)
    faces += [
        layout.back(deck, key, size) for key in sorted({layout.back_key(c) for c in deck.cards})
    ]
    for face in faces:
        items = [i for i in face.items if not isinstance(i, LinkArea)]
        for item in items:
            if _background(item, size):
                continue
            box = _extent(item)
            assert box is not None
            assert (
                box[0] >= sx0 - TOL
                and box[1] >= sy0 - TOL
                and box[2] <= sx1 + TOL
                and box[3] <= sy1 + TOL
            ), (face.key, face.side, item)
        for code in (i for i in items if isinstance(i, QrCode)):
            quiet = 4 * code.module
            x0, y0, x1, y1 = code.rect
            zone = (x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet)
            assert code.module >= layout.MIN_MODULE - 1e-9
            for other in items:
                if other is code or _background(other, size):
                    continue
                assert not _overlap(_extent(other), zone), (face.key, other)


def test_items_are_values_that_cross_processes_whole() -> None:
    """Face items are plain slotted dataclasses (not frozen, for speed): still compared and
    hashed by value, and pickled by their fields, as a build's other process sends them."""
    import pickle

    line = TextLine(1.0, 2.0, "Tekst", "bold", 9.0, (0.1, 0.2, 0.3), "centre")
    same = TextLine(1.0, 2.0, "Tekst", "bold", 9.0, (0.1, 0.2, 0.3), "centre")
    assert line == same and hash(line) == hash(same) and len({line, same}) == 1
    assert line != TextLine(1.0, 2.5, "Tekst", "bold", 9.0, (0.1, 0.2, 0.3), "centre")
    fill = Fill((0.0, 0.0, 1.0, 1.0), (1.0, 1.0, 1.0), 2.0)
    for item in (line, fill, QrCode(1.0, 2.0, 0.5, "https://a.be", (b"\x01",), "ops")):
        back = pickle.loads(pickle.dumps(item))
        assert back == item and type(back) is type(item)


def test_missing_glyphs_finds_what_the_fonts_lack() -> None:
    """missing_glyphs answers as the set of drawable characters does, for ASCII, Latin,
    other scripts, control characters, astral characters and lone surrogates."""
    fonts.use(None)
    drawable = fonts._drawable(fonts.CHAINS["regular"])
    texts = [
        "",
        "plain ASCII text, with digits 0123 and (punctuation)!",
        "line\nbreak and soft\u00adhyphen",
        "café « citation » – naïve ’quote’ … € ·",
        "tab\there and a bell\x07 and DEL\x7f",
        "Devanagari नमस्ते in Lato",
        "emoji 😀 and a lone surrogate \ud800 and \U0001f600",
        "\x00",
    ]
    for text in texts:
        expected = sorted(
            ch for ch in set(text) if ch not in "\n\u00ad\u200b" and ch not in drawable
        )
        assert fonts.missing_glyphs(text) == expected, text
    assert fonts.missing_glyphs("a\x07b") == ["\x07"]
