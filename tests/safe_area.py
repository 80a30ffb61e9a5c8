"""Where the glyphs of a built card PDF really are: every character's box as pypdfium2 reads it
from the rendered PDF, set against the layout manifest's card slots (trim, bleed, safe area).

A glyph belongs to the slot whose trim holds the centre of its box, on its own page: back pages
carry their own (mirrored) slot rectangles in the manifest, so a back's text is measured against
the slot its card's back really sits in. A glyph must lie inside that slot's safe area; a glyph
in no trim must lie inside the page's slug (the margin label), never in a card's bleed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

MM = 72 / 25.4
# pypdfium2 gives a glyph's box from the font's outline (its ink, including overhangs such as
# the hook of a 'j' left of its origin), in float points; the manifest rounds to 0.001 pt. The
# tolerance covers pdfium's box arithmetic and that rounding, nothing a reader could see.
TOLERANCE = 0.05 * MM


@dataclass
class Measured:
    """What the measurement found: glyphs outside their card's safe area (one line each) and
    how many glyphs each (card, side) has, so an empty `outside` cannot come from no text."""

    outside: list[str] = field(default_factory=list)
    glyphs: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def cards_outside(self) -> set[str]:
        return {line.split(" card ")[1].split(":")[0] for line in self.outside if " card " in line}


def _inside(box: tuple[float, float, float, float], rect: list[float], tol: float) -> bool:
    x0, y0, x1, y1 = box
    return (
        x0 >= rect[0] - tol and y0 >= rect[1] - tol and x1 <= rect[2] + tol and y1 <= rect[3] + tol
    )


def _holds(rect: list[float], x: float, y: float) -> bool:
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


def measure(pdf: Path, manifest: Path | dict[str, Any], tol: float = TOLERANCE) -> Measured:
    """Every non-space glyph of `pdf` checked against its card's safe area in `manifest` (a
    path, or the manifest's data, e.g. altered by a test)."""
    data = json.loads(manifest.read_text()) if isinstance(manifest, Path) else manifest
    doc = pdfium.PdfDocument(str(pdf))
    found = Measured()
    try:
        for page in data["pages"]:
            text = doc[page["index"]].get_textpage()
            for i in range(text.count_chars()):
                ch = text.get_text_range(i, 1)
                if not ch.strip():
                    continue
                box = text.get_charbox(i)
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                where = f"page {page['index']} ({page['side']})"
                slot = next((s for s in page["slots"] if _holds(s["trim"], cx, cy)), None)
                if slot is None:
                    slug = page.get("slug")
                    if page.get("kind") == "instructions" or (
                        slug and _inside(box, slug["rect"], tol)
                    ):
                        continue
                    bleed = next((s for s in page["slots"] if _holds(s["bleed"], cx, cy)), None)
                    owner = f" card {bleed['card']}: in its bleed" if bleed else ": in the margin"
                    found.outside.append(f"{where}{owner}: {ch!r} at {_mm(box)}")
                    continue
                side = slot.get("face", page["side"])
                found.glyphs[(slot["card"], side)] += 1
                if not _inside(box, slot["safe"], tol):
                    found.outside.append(
                        f"{where} card {slot['card']}: {ch!r} at {_mm(box)} outside the safe "
                        f"area {_mm(slot['safe'])}"
                    )
    finally:
        doc.close()
    return found


def _mm(rect: Any) -> str:
    return "(" + ", ".join(f"{v / MM:.2f}" for v in rect) + ") mm"
