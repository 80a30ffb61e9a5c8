"""The bundled font family: where the files are, registering them, measuring text.

Uses reportlab's font metrics (not its canvas). Fonts live in the repository's `fonts/`
folder (Lato, SIL Open Font License); `KAARTSPEL_FONTS` may point elsewhere.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .errors import MissingAsset

FAMILY = {
    "regular": "Lato-Regular",
    "italic": "Lato-Italic",
    "bold": "Lato-Bold",
    "black": "Lato-Black",
}


def font_dir() -> Path:
    override = os.environ.get("KAARTSPEL_FONTS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "fonts"


@lru_cache(maxsize=1)
def register() -> dict[str, str]:
    """Register the family with reportlab once; returns style -> registered font name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = font_dir()
    for name in FAMILY.values():
        path = folder / f"{name}.ttf"
        if not path.is_file():
            raise MissingAsset(
                f"{path}: the bundled font is missing; restore the fonts/ folder "
                "of kaartspel (git checkout fonts/)."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return dict(FAMILY)


@lru_cache(maxsize=65536)
def width(text: str, style: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    return stringWidth(text, FAMILY[style], size)


@lru_cache(maxsize=8)
def _charmap(style: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register()
    face = pdfmetrics.getFont(FAMILY[style]).face
    return frozenset(face.charToGlyph.keys())


def missing_glyphs(text: str, style: str = "regular") -> list[str]:
    """Characters of `text` the font cannot draw (line breaks and soft hyphens excepted)."""
    chars = _charmap(style)
    return sorted({ch for ch in text if ch not in "\n\u00ad\u200b" and ord(ch) not in chars})


@lru_cache(maxsize=1)
def register_family() -> None:
    """Map <b> and <i> in paragraphs to the bundled faces (no bold italic: bold is used)."""
    from reportlab.lib.fonts import addMapping

    register()
    addMapping("Lato-Regular", 0, 0, "Lato-Regular")
    addMapping("Lato-Regular", 1, 0, "Lato-Bold")
    addMapping("Lato-Regular", 0, 1, "Lato-Italic")
    addMapping("Lato-Regular", 1, 1, "Lato-Bold")
    for face in ("Lato-Bold", "Lato-Black", "Lato-Italic"):
        addMapping(face, 0, 0, face)
        addMapping(face, 1, 0, "Lato-Bold" if face != "Lato-Black" else face)
        addMapping(face, 0, 1, "Lato-Italic")
        addMapping(face, 1, 1, "Lato-Bold")
