"""Geometry below every stage: rectangles, card sizes, paper, and mirroring for duplex.

Points (1/72 inch), origin bottom-left, y up. Nothing here reads files (but for paper and
card sizes named in `presets`) or draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import presets
from .units import mm

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

DUPLEX_MODES = ("long", "short", "none")


@dataclass(frozen=True)
class CardSize:
    """Trim size, bleed and safe margin of a card, in points."""

    width: float
    height: float
    bleed: float
    safe: float

    @classmethod
    def from_mm(
        cls, width: float, height: float, bleed: float = 3.0, safe: float = 3.0
    ) -> CardSize:
        return cls(mm(width), mm(height), mm(bleed), mm(safe))

    @property
    def safe_rect(self) -> Rect:
        return (self.safe, self.safe, self.width - self.safe, self.height - self.safe)


POKER = CardSize.from_mm(63, 88)


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float

    @classmethod
    def named(cls, name: str) -> Paper:
        w, h = presets.points(presets.paper_mm(name))
        return cls(name, w, h)

    @property
    def landscape(self) -> Paper:
        return Paper(self.name, max(self.width, self.height), min(self.width, self.height))

    @property
    def portrait(self) -> Paper:
        return Paper(self.name, min(self.width, self.height), max(self.width, self.height))


def mirror(
    coords: tuple[float, ...], width: float, height: float, edge: str = "long", box: bool = False
) -> tuple[float, ...]:
    """Coordinates (x, y, x, y, ...) as they land on the other side of a sheet `width` x
    `height` turned over its long edge (x mirrored) or its short edge (y mirrored). With
    `box`, (x0, y0, x1, y1) stays a box with x0 <= x1 and y0 <= y1."""
    out = list(coords)
    axis, size = (1, height) if edge == "short" else (0, width)
    for i in range(axis, len(out), 2):
        out[i] = size - out[i]
    if box:
        x0, y0, x1, y1 = out
        out = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
    return tuple(out)
