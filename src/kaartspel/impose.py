"""Imposition: where each card face sits on each printed sheet. Pure geometry, no drawing.

Cards sit in a grid centred on the sheet, butting on shared cut lines (or separated by a
gap); each slot's bleed reaches the full bleed on the sheet-facing sides and at most half
the gap between cards. Back sheets mirror the front sheet so each back lands behind its
front: long-edge duplex mirrors the columns, short-edge duplex the rows. Crop marks sit in
the sheet margin, outside every bleed box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import CardSize, Rect
from .units import mm

PAPERS_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4), "a3": (297.0, 420.0)}
DUPLEX_MODES = ("long", "short", "none")


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float

    @classmethod
    def named(cls, name: str) -> Paper:
        w, h = PAPERS_MM[name]
        return cls(name, mm(w), mm(h))


@dataclass(frozen=True)
class Grid:
    paper: Paper
    card: CardSize
    cols: int
    rows: int
    gap: float
    left: float  # x of the first column's trim
    top: float  # y of the first row's trim top

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def trim(self, col: int, row: int) -> Rect:
        x0 = self.left + col * (self.card.width + self.gap)
        y1 = self.top - row * (self.card.height + self.gap)
        return (x0, y1 - self.card.height, x0 + self.card.width, y1)

    def bleed(self, col: int, row: int) -> Rect:
        x0, y0, x1, y1 = self.trim(col, row)
        b, inner = self.card.bleed, min(self.card.bleed, self.gap / 2)
        return (
            x0 - (b if col == 0 else inner),
            y0 - (b if row == self.rows - 1 else inner),
            x1 + (b if col == self.cols - 1 else inner),
            y1 + (b if row == 0 else inner),
        )

    @property
    def bleed_extent(self) -> Rect:
        x0, _, _, y1 = self.bleed(0, 0)
        _, y0, x1, _ = self.bleed(self.cols - 1, self.rows - 1)
        return (x0, y0, x1, y1)


def make_grid(paper: Paper, card: CardSize, margin: float = mm(5), gap: float = 0.0) -> Grid:
    """As many cards as fit with at least `margin` between the bleed and the sheet edge."""
    room_w = paper.width - 2 * margin - 2 * card.bleed + gap
    room_h = paper.height - 2 * margin - 2 * card.bleed + gap
    cols = int((room_w + 1e-6) // (card.width + gap))
    rows = int((room_h + 1e-6) // (card.height + gap))
    if cols < 1 or rows < 1:
        raise ValueError("the card with its bleed does not fit on the sheet")
    used_w = cols * card.width + (cols - 1) * gap
    used_h = rows * card.height + (rows - 1) * gap
    return Grid(
        paper, card, cols, rows, gap, (paper.width - used_w) / 2, (paper.height + used_h) / 2
    )


@dataclass(frozen=True)
class Slot:
    card: str  # card id
    face: str  # face key: the card id on fronts, the back design on backs
    trim: Rect
    bleed: Rect


@dataclass(frozen=True)
class Sheet:
    index: int
    side: str  # "front" | "back"
    width: float
    height: float
    slots: tuple[Slot, ...]
    marks: tuple[tuple[float, float, float, float], ...]


def crop_marks(
    grid: Grid, offset: float = mm(1.0), longest: float = mm(6), edge: float = mm(3)
) -> tuple[tuple[float, float, float, float], ...]:
    """Short lines on every cut line, in the sheet margin, clear of the bleed by `offset`."""
    bx0, by0, bx1, by1 = grid.bleed_extent
    xs = sorted(
        {round(v, 4) for c in range(grid.cols) for v in (grid.trim(c, 0)[0], grid.trim(c, 0)[2])}
    )
    ys = sorted(
        {round(v, 4) for r in range(grid.rows) for v in (grid.trim(0, r)[1], grid.trim(0, r)[3])}
    )
    lines = []
    W, H = grid.paper.width, grid.paper.height
    top_len = min(longest, H - edge - (by1 + offset))
    bottom_len = min(longest, (by0 - offset) - edge)
    left_len = min(longest, (bx0 - offset) - edge)
    right_len = min(longest, W - edge - (bx1 + offset))
    for x in xs:
        if top_len > mm(1.5):
            lines.append((x, by1 + offset, x, by1 + offset + top_len))
        if bottom_len > mm(1.5):
            lines.append((x, by0 - offset, x, by0 - offset - bottom_len))
    for y in ys:
        if left_len > mm(1.5):
            lines.append((bx0 - offset, y, bx0 - offset - left_len, y))
        if right_len > mm(1.5):
            lines.append((bx1 + offset, y, bx1 + offset + right_len, y))
    return tuple(lines)


def _mirror(rect: Rect, paper: Paper, duplex: str) -> Rect:
    x0, y0, x1, y1 = rect
    if duplex == "short":
        return (x0, paper.height - y1, x1, paper.height - y0)
    return (paper.width - x1, y0, paper.width - x0, y1)


def _mirror_line(
    line: tuple[float, float, float, float], paper: Paper, duplex: str
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = line
    if duplex == "short":
        return (x0, paper.height - y0, x1, paper.height - y1)
    return (paper.width - x0, y0, paper.width - x1, y1)


def impose(grid: Grid, cards: list[tuple[str, str]], duplex: str) -> list[Sheet]:
    """Sheets for `cards` = [(card id, back key)]. Duplex long/short interleaves front and back
    sheets (back mirrored); duplex none gives all fronts, then all backs (not mirrored)."""
    marks = crop_marks(grid)
    per = grid.per_sheet
    fronts: list[Sheet] = []
    backs: list[Sheet] = []
    for s in range(math.ceil(len(cards) / per)):
        chunk = cards[s * per : (s + 1) * per]
        cells = [(k % grid.cols, k // grid.cols) for k in range(len(chunk))]
        front_slots = tuple(
            Slot(cid, cid, grid.trim(c, r), grid.bleed(c, r))
            for (cid, _), (c, r) in zip(chunk, cells, strict=True)
        )
        fronts.append(Sheet(0, "front", grid.paper.width, grid.paper.height, front_slots, marks))
        if duplex == "none":
            back_slots = tuple(
                Slot(cid, key, grid.trim(c, r), grid.bleed(c, r))
                for (cid, key), (c, r) in zip(chunk, cells, strict=True)
            )
            back_marks = marks
        else:
            back_slots = tuple(
                Slot(
                    cid,
                    key,
                    _mirror(grid.trim(c, r), grid.paper, duplex),
                    _mirror(grid.bleed(c, r), grid.paper, duplex),
                )
                for (cid, key), (c, r) in zip(chunk, cells, strict=True)
            )
            back_marks = tuple(_mirror_line(m, grid.paper, duplex) for m in marks)
        backs.append(Sheet(0, "back", grid.paper.width, grid.paper.height, back_slots, back_marks))
    if duplex == "none":
        ordered = fronts + backs
    else:
        ordered = [sheet for pair in zip(fronts, backs, strict=True) for sheet in pair]
    return [Sheet(i, s.side, s.width, s.height, s.slots, s.marks) for i, s in enumerate(ordered)]


def manifest(sheets: list[Sheet]) -> dict:  # type: ignore[type-arg]
    """The layout manifest: every slot of every page, in PDF points, origin bottom-left."""

    def r(rect: Rect) -> list[float]:
        return [round(v, 3) for v in rect]

    return {
        "unit": "pt",
        "pages": [
            {
                "index": i,
                "side": s.side,
                "size": [round(s.width, 3), round(s.height, 3)],
                "slots": [
                    {"card": sl.card, "trim": r(sl.trim), "bleed": r(sl.bleed)} for sl in s.slots
                ],
                "marks": [r(m) for m in s.marks],
            }
            for i, s in enumerate(sheets)
        ],
    }


def saddle_stitch(pages: int) -> list[tuple[int, int]]:
    """Page numbers (1-based) on each side of each sheet, left then right, for a booklet of
    `pages` pages (a multiple of 4) printed two-up and folded: for 8 pages,
    [(8, 1), (2, 7), (6, 3), (4, 5)] = sheet 1 front, sheet 1 back, sheet 2 front, back."""
    if pages % 4:
        raise ValueError("a saddle-stitched booklet has a multiple of 4 pages")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))
    return sides
