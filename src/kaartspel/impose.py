"""Imposition: where each card face sits on each printed sheet. Pure geometry, no drawing.

Layouts:
- duplex: cards in a grid centred on the sheet, butting on shared cut lines (or separated
  by a gap); each slot's bleed reaches the full bleed on the sheet-facing sides and at most
  half the gap between cards. Back sheets mirror the front sheet so each back lands behind
  its front: long-edge duplex mirrors the columns, short-edge duplex the rows. A measured
  printer drift is corrected by shifting every back sheet by the back offset.
- gutterfold: fronts in one half of a single-sided sheet, backs mirrored across the fold
  line in the other half (rotated 180 degrees when the fold is horizontal), so after
  folding every back lies behind its front.
- printshop: one face per page, page = card + bleed, in the shop's page order.
Crop marks sit in the sheet margin, outside every bleed box, and never cross the fold.
The slug (deck, sheet n/N, front/back) goes where the margin has room for it: outside every
bleed box, mark and fold line, at least 3 mm from the paper edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from .geometry import DUPLEX_MODES, CardSize, Paper, Rect, mirror
from .units import mm

__all__ = ["DUPLEX_MODES", "CardSize", "Paper"]
LAYOUTS = ("duplex", "gutterfold", "printshop")
MARGIN = mm(5)
FOLD_GUTTER = mm(2)  # between the bleeds of the two halves; the fold runs in its middle

Line = tuple[float, float, float, float]


@dataclass(frozen=True)
class Grid:
    """Card slots in columns and rows; `left` and `top` are the trim of the first slot."""

    paper: Paper
    card: CardSize
    cols: int
    rows: int
    gap: float
    left: float
    top: float

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


def _fit(room: float, size: float, gap: float) -> int:
    return max(0, int((room + gap + 1e-6) // (size + gap)))


def _grid_in(paper: Paper, card: CardSize, gap: float, region: Rect) -> Grid:
    """The largest grid whose bleed fits in `region`, centred in it."""
    x0, y0, x1, y1 = region
    cols = _fit(x1 - x0 - 2 * card.bleed, card.width, gap)
    rows = _fit(y1 - y0 - 2 * card.bleed, card.height, gap)
    used_w = cols * card.width + max(cols - 1, 0) * gap
    used_h = rows * card.height + max(rows - 1, 0) * gap
    return Grid(paper, card, cols, rows, gap, (x0 + x1 - used_w) / 2, (y0 + y1 + used_h) / 2)


def make_grid(paper: Paper, card: CardSize, margin: float = MARGIN, gap: float = 0.0) -> Grid:
    """As many cards as fit with at least `margin` between the bleed and the sheet edge, on
    the paper turned whichever way holds more (portrait when equal)."""
    best: Grid | None = None
    for turned in (paper.portrait, paper.landscape):
        grid = _grid_in(
            turned, card, gap, (margin, margin, turned.width - margin, turned.height - margin)
        )
        if best is None or grid.per_sheet > best.per_sheet:
            best = grid
    assert best is not None
    if best.per_sheet == 0:
        raise ValueError("the card with its bleed does not fit on the sheet")
    return best


@dataclass(frozen=True)
class Slot:
    card: str  # card id
    face: str  # face key: the card id on fronts, the back design on backs
    side: str  # "front" | "back": which face of the card sits here
    trim: Rect
    bleed: Rect
    rotate: int = 0  # degrees, about the slot's centre


@dataclass(frozen=True)
class Slug:
    """A one-line label in the sheet margin; `rect` is the room its text takes."""

    text: str
    x: float  # start of the baseline
    y: float
    size: float  # font size in points
    rotate: int  # 0, or 90 (reading upwards, in a side margin)
    rect: Rect


@dataclass(frozen=True)
class Sheet:
    index: int
    side: str  # "front" | "back" (the printed side of the paper)
    width: float
    height: float
    slots: tuple[Slot, ...]
    marks: tuple[Line, ...]
    fold: tuple[Line, ...] = ()  # the fold line, drawn in the margins only
    page_boxes: bool = False  # TrimBox and BleedBox on the page (print-shop files)
    slug: Slug | None = None
    kind: str = "cards"  # "cards" | "instructions" | "blank" (the back of the instructions)
    items: tuple[Any, ...] = ()  # page content in page coordinates (the instruction page)


def crop_marks(
    grid: Grid,
    region: Rect | None = None,
    offset: float = mm(1.0),
    longest: float = mm(6),
    edge: float = mm(3),
) -> tuple[Line, ...]:
    """Short lines on every cut line, outside the bleed by `offset`, inside `region`
    (default: the sheet less `edge`), at least 1.5 mm long or left out."""
    W, H = grid.paper.width, grid.paper.height
    rx0, ry0, rx1, ry1 = region or (edge, edge, W - edge, H - edge)
    bx0, by0, bx1, by1 = grid.bleed_extent
    xs = sorted(
        {round(v, 4) for c in range(grid.cols) for v in (grid.trim(c, 0)[0], grid.trim(c, 0)[2])}
    )
    ys = sorted(
        {round(v, 4) for r in range(grid.rows) for v in (grid.trim(0, r)[1], grid.trim(0, r)[3])}
    )
    lines: list[Line] = []
    top_len = min(longest, ry1 - (by1 + offset))
    bottom_len = min(longest, (by0 - offset) - ry0)
    left_len = min(longest, (bx0 - offset) - rx0)
    right_len = min(longest, rx1 - (bx1 + offset))
    for x in xs:
        if top_len >= mm(1.5):
            lines.append((x, by1 + offset, x, by1 + offset + top_len))
        if bottom_len >= mm(1.5):
            lines.append((x, by0 - offset, x, by0 - offset - bottom_len))
    for y in ys:
        if left_len >= mm(1.5):
            lines.append((bx0 - offset, y, bx0 - offset - left_len, y))
        if right_len >= mm(1.5):
            lines.append((bx1 + offset, y, bx1 + offset + right_len, y))
    # with a gap wider than the bleeds, every cut line is marked in the gaps too, so the
    # marks survive the first cuts
    clear = mm(0.5)
    inner = min(grid.card.bleed, grid.gap / 2)
    room = grid.gap - 2 * inner - 2 * clear
    if room >= mm(1.5):
        for c in range(grid.cols - 1):
            gx0 = grid.trim(c, 0)[2] + inner + clear
            lines += [(gx0, y, gx0 + room, y) for y in ys]
        for r in range(grid.rows - 1):
            gy1 = grid.trim(0, r)[1] - inner - clear
            lines += [(x, gy1, x, gy1 - room) for x in xs]
    return tuple(lines)


def _mirror(rect: Rect, paper: Paper, duplex: str) -> Rect:
    return mirror(rect, paper.width, paper.height, duplex, box=True)  # type: ignore[return-value]


def _mirror_line(line: Line, paper: Paper, duplex: str) -> Line:
    return mirror(line, paper.width, paper.height, duplex)  # type: ignore[return-value]


def _shift(rect: Any, dx: float, dy: float) -> Any:
    x0, y0, x1, y1 = rect
    return (x0 + dx, y0 + dy, x1 + dx, y1 + dy)


def impose(
    grid: Grid,
    cards: list[tuple[str, str]],
    duplex: str,
    back_offset: tuple[float, float] = (0.0, 0.0),
) -> list[Sheet]:
    """Duplex sheets for `cards` = [(card id, back key)]. Duplex long/short interleaves front
    and back sheets (back mirrored, then shifted by `back_offset` in points); duplex none
    gives all fronts, then all backs (not mirrored)."""
    marks = crop_marks(grid)
    per = grid.per_sheet
    dx, dy = back_offset
    fronts: list[Sheet] = []
    backs: list[Sheet] = []
    W, H = grid.paper.width, grid.paper.height
    for s in range(math.ceil(len(cards) / per)):
        chunk = cards[s * per : (s + 1) * per]
        cells = [(k % grid.cols, k // grid.cols) for k in range(len(chunk))]
        front_slots = tuple(
            Slot(cid, cid, "front", grid.trim(c, r), grid.bleed(c, r))
            for (cid, _), (c, r) in zip(chunk, cells, strict=True)
        )
        fronts.append(Sheet(0, "front", W, H, front_slots, marks))
        if duplex == "none":
            back_slots = tuple(
                Slot(cid, key, "back", grid.trim(c, r), grid.bleed(c, r))
                for (cid, key), (c, r) in zip(chunk, cells, strict=True)
            )
            back_marks = marks
        else:
            back_slots = tuple(
                Slot(
                    cid,
                    key,
                    "back",
                    _mirror(grid.trim(c, r), grid.paper, duplex),
                    _mirror(grid.bleed(c, r), grid.paper, duplex),
                )
                for (cid, key), (c, r) in zip(chunk, cells, strict=True)
            )
            back_marks = tuple(_mirror_line(m, grid.paper, duplex) for m in marks)
        if dx or dy:
            back_slots = tuple(
                replace(sl, trim=_shift(sl.trim, dx, dy), bleed=_shift(sl.bleed, dx, dy))
                for sl in back_slots
            )
            back_marks = tuple(_shift(m, dx, dy) for m in back_marks)
        backs.append(Sheet(0, "back", W, H, back_slots, back_marks))
    if duplex == "none":
        ordered = fronts + backs
    else:
        ordered = [sheet for pair in zip(fronts, backs, strict=True) for sheet in pair]
    return [replace(s, index=i) for i, s in enumerate(ordered)]


@dataclass(frozen=True)
class Fold:
    """A gutterfold arrangement: the front grid, the fold line and its direction."""

    front: Grid
    horizontal: bool  # fold line parallel to the x axis
    at: float  # y (horizontal) or x (vertical) of the fold line

    @property
    def per_sheet(self) -> int:
        return self.front.per_sheet

    def reflect(self, rect: Rect) -> Rect:
        x0, y0, x1, y1 = rect
        if self.horizontal:
            return (x0, 2 * self.at - y1, x1, 2 * self.at - y0)
        return (2 * self.at - x1, y0, 2 * self.at - x0, y1)

    def reflect_line(self, line: Line) -> Line:
        x0, y0, x1, y1 = line
        if self.horizontal:
            return (x0, 2 * self.at - y0, x1, 2 * self.at - y1)
        return (2 * self.at - x0, y0, 2 * self.at - x1, y1)


def make_fold(paper: Paper, card: CardSize, margin: float = MARGIN, gap: float = 0.0) -> Fold:
    """The arrangement holding the most cards: paper portrait or landscape, folded across
    its longer side."""
    best: Fold | None = None
    g = FOLD_GUTTER / 2
    for turned in (paper.portrait, paper.landscape):
        W, H = turned.width, turned.height
        if H >= W:  # fold horizontally: fronts in the top half, next to the fold
            region = (margin, H / 2 + g, W - margin, H - margin)
            grid = _grid_in(turned, card, gap, region)
            grid = replace(
                grid, top=H / 2 + g + card.bleed + grid.rows * card.height + (grid.rows - 1) * gap
            )
            fold = Fold(grid, True, H / 2)
        else:  # fold vertically: fronts in the left half, next to the fold
            region = (margin, margin, W / 2 - g, H - margin)
            grid = _grid_in(turned, card, gap, region)
            used_w = grid.cols * card.width + (grid.cols - 1) * gap
            grid = replace(grid, left=W / 2 - g - card.bleed - used_w)
            fold = Fold(grid, False, W / 2)
        if best is None or fold.per_sheet > best.per_sheet:
            best = fold
    assert best is not None
    if best.per_sheet == 0:
        raise ValueError("the card with its bleed does not fit on half a sheet")
    return best


def impose_gutterfold(fold: Fold, cards: list[tuple[str, str]]) -> list[Sheet]:
    """Single-sided sheets: each front and, mirrored across the fold line, its back."""
    grid = fold.front
    W, H = grid.paper.width, grid.paper.height
    edge = mm(3)
    if fold.horizontal:
        front_region = (edge, fold.at + FOLD_GUTTER / 2, W - edge, H - edge)
    else:
        front_region = (edge, edge, fold.at - FOLD_GUTTER / 2, H - edge)
    marks = crop_marks(grid, front_region)
    marks += tuple(fold.reflect_line(m) for m in marks)
    bx0, by0, bx1, by1 = grid.bleed_extent
    if fold.horizontal:
        fold_marks = (
            (edge, fold.at, bx0 - mm(1), fold.at),
            (bx1 + mm(1), fold.at, W - edge, fold.at),
        )
    else:
        fold_marks = (
            (fold.at, edge, fold.at, by0 - mm(1)),
            (fold.at, by1 + mm(1), fold.at, H - edge),
        )
    rotate = 180 if fold.horizontal else 0
    sheets = []
    per = grid.per_sheet
    for s in range(math.ceil(len(cards) / per)):
        chunk = cards[s * per : (s + 1) * per]
        slots: list[Slot] = []
        for k, (cid, key) in enumerate(chunk):
            c, r = k % grid.cols, k // grid.cols
            slots.append(Slot(cid, cid, "front", grid.trim(c, r), grid.bleed(c, r)))
            slots.append(
                Slot(
                    cid,
                    key,
                    "back",
                    fold.reflect(grid.trim(c, r)),
                    fold.reflect(grid.bleed(c, r)),
                    rotate,
                )
            )
        sheets.append(Sheet(s, "front", W, H, tuple(slots), marks, fold_marks))
    return sheets


def impose_printshop(
    card: CardSize, cards: list[tuple[str, str]], order: tuple[str, ...]
) -> list[Sheet]:
    """One face per page (page = card + bleed), faces of each card in the shop's order."""
    W, H = card.width + 2 * card.bleed, card.height + 2 * card.bleed
    trim = (card.bleed, card.bleed, card.bleed + card.width, card.bleed + card.height)
    sheets: list[Sheet] = []
    for cid, key in cards:
        for side in order:
            face = cid if side == "front" else key
            sheets.append(
                Sheet(
                    len(sheets),
                    side,
                    W,
                    H,
                    (Slot(cid, face, side, trim, (0.0, 0.0, W, H)),),
                    (),
                    page_boxes=True,
                )
            )
    return sheets


SLUG_EDGE = mm(3)  # from the paper edge, like the crop marks
SLUG_CLEAR = mm(0.8)  # from every bleed box, mark and fold line


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _slug_spots(sheet: Sheet, length: float, size: float) -> list[Slug]:
    """Candidate places for a slug `length` points long: bottom and top margin (centred,
    under a column), then reading upwards in the left and right margins (beside a row)."""
    W, H, e = sheet.width, sheet.height, SLUG_EDGE
    up, down = 0.78 * size, 0.24 * size  # ascent and descent of the font, roughly
    xs = [W / 2] + sorted({round((sl.trim[0] + sl.trim[2]) / 2, 3) for sl in sheet.slots})
    ys = [H / 2] + sorted({round((sl.trim[1] + sl.trim[3]) / 2, 3) for sl in sheet.slots})
    spots: list[Slug] = []
    for y in (e + down, H - e - up):
        for cx in xs:
            x = cx - length / 2
            spots.append(Slug("", x, y, size, 0, (x, y - down, x + length, y + up)))
    for x in (e + up, W - e - down):
        for cy in ys:
            y = cy - length / 2
            spots.append(Slug("", x, y, size, 90, (x - up, y, x + down, y + length)))
    return spots


def place_slug(
    sheet: Sheet, texts: list[tuple[str, float]], sizes: tuple[float, ...] = (5.5, 4.5)
) -> Sheet:
    """The sheet with a slug: the first of `texts` ((text, its length at 1 pt), longest
    first) that fits in the margin at one of `sizes`, clear of every bleed box, mark and
    fold line. A sheet without room for any keeps no slug."""
    c = SLUG_CLEAR
    blocked = [sl.bleed for sl in sheet.slots] + [
        (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        for x0, y0, x1, y1 in sheet.marks + sheet.fold
    ]
    blocked = [(x0 - c, y0 - c, x1 + c, y1 + c) for x0, y0, x1, y1 in blocked]
    e = SLUG_EDGE - 1e-6
    for text, unit_length in texts:
        for size in sizes:
            for spot in _slug_spots(sheet, unit_length * size, size):
                x0, y0, x1, y1 = spot.rect
                inside = x0 >= e and y0 >= e and x1 <= sheet.width - e and y1 <= sheet.height - e
                if inside and not any(_overlaps(spot.rect, b) for b in blocked):
                    return replace(sheet, slug=replace(spot, text=text))
    return sheet


def manifest(sheets: list[Sheet], safe: float = 0.0) -> dict[str, Any]:
    """The layout manifest: every slot of every page, in PDF points, origin bottom-left; each
    slot's safe area is its trim inset by `safe` (the card's safe margin)."""

    rounded: dict[tuple[float, ...], tuple[float, ...]] = {}  # every sheet has the same grid

    def r(rect: Any) -> list[float]:
        key = tuple(rect)
        done = rounded.get(key)
        if done is None:
            done = rounded[key] = tuple([round(v, 3) for v in key])
        return list(done)

    pages = []
    for i, s in enumerate(sheets):
        page: dict[str, Any] = {
            "index": i,
            "side": s.side,
            "size": [round(s.width, 3), round(s.height, 3)],
            "slots": [],
            "marks": [r(m) for m in s.marks],
        }
        for sl in s.slots:
            x0, y0, x1, y1 = sl.trim
            slot: dict[str, Any] = {
                "card": sl.card,
                "trim": r(sl.trim),
                "bleed": r(sl.bleed),
                "safe": r((x0 + safe, y0 + safe, x1 - safe, y1 - safe)),
            }
            if sl.side != s.side:
                slot["face"] = sl.side
            if sl.rotate:
                slot["rotate"] = sl.rotate
            page["slots"].append(slot)
        if s.fold:
            page["fold"] = [r(f) for f in s.fold]
        if s.kind != "cards":
            page["kind"] = s.kind
        if s.slug:
            page["slug"] = {"text": s.slug.text, "rect": r(s.slug.rect), "rotate": s.slug.rotate}
        pages.append(page)
    return {"unit": "pt", "pages": pages}


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
