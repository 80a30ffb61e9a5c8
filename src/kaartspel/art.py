"""Vector art as pure geometry: pictograms and the participation wheel.

A pictogram is a list of shapes in a unit box (0..1, origin bottom-left, y up); `paint`
turns them into PDF paths. Nothing here imports reportlab, so the art can be listed,
validated and tested without drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Poly:
    """A closed polygon, filled."""

    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    filled: bool = True
    width: float = 0.0  # stroke width (unit box) when not filled


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    width: float


@dataclass(frozen=True)
class RoundRect:
    x: float
    y: float
    w: float
    h: float
    r: float


Shape = Poly | Circle | Line | RoundRect


def _arc(
    cx: float, cy: float, r: float, a0: float, a1: float, steps: int = 24
) -> list[tuple[float, float]]:
    return [
        (
            cx + r * math.cos(math.radians(a0 + (a1 - a0) * i / steps)),
            cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def _megaphone() -> list[Shape]:
    return [
        Poly(((0.12, 0.40), (0.30, 0.40), (0.78, 0.16), (0.78, 0.84), (0.30, 0.60), (0.12, 0.60))),
        Poly(((0.22, 0.40), (0.34, 0.40), (0.40, 0.18), (0.28, 0.18))),
        Line(((0.86, 0.62), (0.96, 0.70)), 0.05),
        Line(((0.88, 0.50), (0.99, 0.50)), 0.05),
        Line(((0.86, 0.38), (0.96, 0.30)), 0.05),
    ]


def _speech() -> list[Shape]:
    return [
        RoundRect(0.04, 0.42, 0.58, 0.42, 0.10),
        Poly(((0.14, 0.44), (0.30, 0.44), (0.12, 0.30))),
        RoundRect(0.40, 0.16, 0.56, 0.40, 0.10),
        Poly(((0.70, 0.18), (0.86, 0.18), (0.88, 0.04))),
    ]


def _hands() -> list[Shape]:
    # two people side by side, arms joined: "doing together"
    return [
        Circle(0.30, 0.78, 0.12),
        Circle(0.70, 0.78, 0.12),
        Poly(((0.12, 0.10), (0.12, 0.50), (0.20, 0.60), (0.40, 0.60), (0.48, 0.50), (0.48, 0.10))),
        Poly(((0.52, 0.10), (0.52, 0.50), (0.60, 0.60), (0.80, 0.60), (0.88, 0.50), (0.88, 0.10))),
        Poly(((0.40, 0.40), (0.60, 0.40), (0.60, 0.30), (0.40, 0.30))),
    ]


def _star() -> list[Shape]:
    pts = []
    for i in range(10):
        r = 0.48 if i % 2 == 0 else 0.20
        a = math.radians(90 + 36 * i)
        pts.append((0.5 + r * math.cos(a), 0.47 + r * math.sin(a)))
    return [Poly(tuple(pts))]


def _warning() -> list[Shape]:
    return [
        Poly(((0.50, 0.95), (0.97, 0.08), (0.03, 0.08))),
    ]


def _warning_mark() -> list[Shape]:
    return [Poly(((0.46, 0.70), (0.54, 0.70), (0.52, 0.36), (0.48, 0.36))), Circle(0.5, 0.22, 0.05)]


def _bulb() -> list[Shape]:
    return [
        Circle(0.5, 0.62, 0.30),
        Poly(((0.34, 0.40), (0.66, 0.40), (0.62, 0.24), (0.38, 0.24))),
        RoundRect(0.38, 0.13, 0.24, 0.08, 0.03),
        RoundRect(0.42, 0.04, 0.16, 0.07, 0.03),
    ]


def _pin() -> list[Shape]:
    outer = _arc(0.5, 0.64, 0.32, -30, 210)
    return [Poly(tuple(outer + [(0.5, 0.02)]))]


def _wheel() -> list[Shape]:
    shapes: list[Shape] = []
    for k in range(3):
        a0 = 90 + k * 120 + 4
        a1 = 90 + (k + 1) * 120 - 4
        shapes.append(Poly(tuple([(0.5, 0.5)] + _arc(0.5, 0.5, 0.48, a0, a1, 16))))
    return shapes


PICTOGRAMS: dict[str, list[Shape]] = {
    "megaphone": _megaphone(),
    "speech": _speech(),
    "hands": _hands(),
    "star": _star(),
    "warning": _warning(),
    "bulb": _bulb(),
    "pin": _pin(),
    "wheel": _wheel(),
}

# shapes drawn in the band colour on top of a pictogram (holes), by pictogram name
PICTOGRAM_HOLES: dict[str, list[Shape]] = {
    "warning": _warning_mark(),
    "pin": [Circle(0.5, 0.64, 0.12)],
    "wheel": [Circle(0.5, 0.5, 0.14)],
}


@dataclass(frozen=True)
class Wedge:
    """One segment of the participation wheel: an annular sector (angles in degrees)."""

    index: int
    start: float
    end: float
    inner: float
    outer: float

    def outline(self, cx: float, cy: float, steps: int = 32) -> list[tuple[float, float]]:
        outer = _arc(cx, cy, self.outer, self.start, self.end, steps)
        inner = _arc(cx, cy, self.inner, self.end, self.start, steps)
        return outer + inner

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def wheel_wedges(count: int, inner: float, outer: float, gap: float = 2.0) -> list[Wedge]:
    """Equal wedges clockwise from the top: the wheel is not a ladder, no segment ranks higher."""
    step = 360.0 / count
    wedges = []
    for i in range(count):
        start = 90 - i * step - gap / 2
        end = 90 - (i + 1) * step + gap / 2
        wedges.append(Wedge(i, end, start, inner, outer))
    return wedges
