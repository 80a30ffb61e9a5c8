"""The font family in use: the bundled Lato, or the deck's own TrueType fonts; registering
them with reportlab and measuring text.

Uses reportlab's font metrics (not its canvas). The bundled fonts are package data in
`kaartspel/fonts/` (Lato, SIL Open Font License, OFL.txt beside them); `KAARTSPEL_FONTS` may
point elsewhere. A deck
may name its own fonts in deck.yaml (`style: fonts:`); `use()` makes them the family in use.
"""

from __future__ import annotations

import hashlib
import os
import struct
from functools import lru_cache
from pathlib import Path

from . import shaping
from .errors import MissingAsset

STYLES = ("regular", "italic", "bold", "black")
BUNDLED = {
    "regular": "Lato-Regular",
    "italic": "Lato-Italic",
    "bold": "Lato-Bold",
    "black": "Lato-Black",
}
# where a deck names fewer faces, these stand in: italic and bold for regular, black for bold
FALLBACK = {"italic": "regular", "bold": "regular", "black": "bold"}
FAMILY = dict(BUNDLED)  # the family in use: style -> registered reportlab font name


def font_dir() -> Path:
    override = os.environ.get("KAARTSPEL_FONTS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "fonts"


@lru_cache(maxsize=1)
def _register_bundled() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = font_dir()
    for name in BUNDLED.values():
        path = folder / f"{name}.ttf"
        if not path.is_file():
            raise MissingAsset(
                f"{path}: the bundled font is missing; reinstall kaartspel "
                "(pip install --force-reinstall kaartspel) or, in a checkout, restore "
                "src/kaartspel/fonts/ (git checkout src/kaartspel/fonts)."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


def register() -> dict[str, str]:
    """Make sure the fonts in use are registered; returns style -> registered font name."""
    _register_bundled()
    return dict(FAMILY)


@lru_cache(maxsize=16)
def _register_file(path: Path, shown: str) -> str:
    """Register one of the deck's font files; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        data = path.read_bytes()
        name = f"Deck{hashlib.sha256(data).hexdigest()[:10]}-{path.stem}"
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error, TypeError) as exc:
        raise MissingAsset(
            f"{shown}: this font cannot be used ({str(exc).strip() or type(exc).__name__}); "
            "kaartspel needs TrueType fonts (.ttf with glyf outlines, not .otf/CFF, not a "
            "variable font)."
        ) from None
    return name


def use(deck_fonts: dict[str, tuple[Path, str]] | None) -> None:
    """Make the deck's fonts ({style: (file, name as shown to the user)}) the family in use,
    or the bundled Lato when the deck names none."""
    _register_bundled()
    chosen = dict(BUNDLED)
    if deck_fonts:
        for style in STYLES:
            if style in deck_fonts:
                path, shown = deck_fonts[style]
                chosen[style] = _register_file(path, shown)
        for style in ("italic", "bold", "black"):  # fill the gaps from the deck's own faces
            if style not in deck_fonts:
                chosen[style] = chosen[FALLBACK[style]]
    if chosen != FAMILY:
        FAMILY.clear()
        FAMILY.update(chosen)
        _cached_width.cache_clear()
        _charmap.cache_clear()
        _ink.cache_clear()
    register_family()


CACHED_TEXT = 64  # longer texts are measured afresh: the cache stays small (bounded memory)


def width(text: str, style: str, size: float) -> float:
    if len(text) > CACHED_TEXT:
        return _measure(text, style, size)
    return _cached_width(text, style, size)


@lru_cache(maxsize=65536)
def _cached_width(text: str, style: str, size: float) -> float:
    return _measure(text, style, size)


def _measure(text: str, style: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_bundled()
    if shaping.needs_shaping(text):  # Devanagari, Arabic, ...: HarfBuzz's advances
        return shaping.width(text, FAMILY[style], size)
    return stringWidth(text, FAMILY[style], size)


@lru_cache(maxsize=8)
def _charmap(style: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    _register_bundled()
    face = pdfmetrics.getFont(FAMILY[style]).face
    return frozenset(face.charToGlyph.keys())


def missing_glyphs(text: str, style: str = "regular") -> list[str]:
    """Characters of `text` the font cannot draw (line breaks and soft hyphens excepted)."""
    chars = _charmap(style)
    return sorted({ch for ch in text if ch not in "\n\u00ad\u200b" and ord(ch) not in chars})


def overhang(text: str, style: str, size: float) -> tuple[float, float]:
    """How far the ink of `text` reaches past its advance box, in points: left of its start
    (the hook of a 'j', an italic 'A') and right of its end. Each is 0 or more."""
    if not text:
        return 0.0, 0.0
    left = _ink(text[0], style)[0]
    right = _ink(text[-1], style)[1]
    return max(0.0, -left) * size, max(0.0, right) * size


@lru_cache(maxsize=4096)
def _ink(char: str, style: str) -> tuple[float, float]:
    """(the glyph's ink start, how far its ink ends past its advance), per point of size, from
    the font's glyf table; (0, 0) for a character the font lacks or an outline-less font."""
    from reportlab.pdfbase import pdfmetrics

    _register_bundled()
    face = pdfmetrics.getFont(FAMILY[style]).face
    glyph = face.charToGlyph.get(ord(char))
    glyf = face.table.get("glyf")
    if glyph is None or glyf is None or glyph + 1 >= len(face.glyphPos):
        return 0.0, 0.0
    if face.glyphPos[glyph + 1] - face.glyphPos[glyph] < 10:  # no outline (a space)
        return 0.0, 0.0
    _contours, x_min, _y_min, x_max, _y_max = struct.unpack(
        ">hhhhh", face.get_chunk(glyf["offset"] + face.glyphPos[glyph], 10)
    )
    advance = face.hmetrics[glyph][0]
    return x_min / face.unitsPerEm, (x_max - advance) / face.unitsPerEm


def register_family() -> None:
    """Map <b> and <i> in paragraphs to the faces in use (bold italic: bold)."""
    from reportlab.lib.fonts import addMapping

    _register_bundled()
    regular, bold, italic, black = (FAMILY[s] for s in ("regular", "bold", "italic", "black"))
    for face in {regular, bold, italic, black}:
        addMapping(face, 0, 0, face)
        addMapping(face, 1, 0, black if face == black else bold)
        addMapping(face, 0, 1, italic)
        addMapping(face, 1, 1, bold)
    addMapping(regular, 0, 0, regular)
