"""The planblad: the game board the rules refer to, as an A3 sheet and as two A4 tiles.

Left, the participation wheel built from the deck: its segments (with their policy phase)
around a hub and, around them, one field per sub-form to lay the cards on. Right, room for
the table's plan: the goal, a row per chosen card (objective, target group, first step),
the tips played, a reflection line per concern card, the two piles and the next step. A
subset of the deck (`--segment meedoen`) gets the fields of its own segments only.

`plan` is pure data in PDF points (origin bottom-left of the A3 page); `tiles` cuts the
same items into two A4 portrait pages at 1:1 with an overlap band and alignment marks;
`render_a3` and `render_tiles` are the only functions that draw. Fixed words come from
the wording data (section `planblad`), names and colours from the deck. Deterministic.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from . import fonts, palette, wording
from .model import Card, Deck
from .text import Style, wrap
from .units import mm

A3 = (mm(420), mm(297))  # landscape
A4 = (mm(210), mm(297))  # portrait: two of them side by side make the A3
MARGIN = mm(16)  # >= half the overlap + a printer's unprintable edge (5 mm)
OVERLAP = mm(20)  # the band both A4 tiles print, centred on the A3's middle
CUT = A3[0] / 2 - mm(4)  # where tile 2 is cut, so its edge lands inside tile 1's band
HEADER = mm(24)
FIELD_PAD = mm(1.5)  # a sub-form's label keeps this clear of its field's edges
INK = palette.INK
GREY = (0.45, 0.45, 0.47)
RULE = (0.72, 0.72, 0.75)


# ---------------------------------------------------------------- drawable items (pure data)
@dataclass(frozen=True)
class Shape:
    """A closed polygon or an open polyline."""

    points: tuple[tuple[float, float], ...]
    fill: palette.RGB | None = None
    stroke: palette.RGB | None = None
    width: float = 0.5
    closed: bool = True
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    style: str  # fonts.FAMILY key
    size: float
    colour: palette.RGB = INK
    align: str = "left"  # left | centre | right


Item = Shape | Label


@dataclass(frozen=True)
class Field:
    """One sub-form's field on the wheel (angles in degrees, counter-clockwise from east)."""

    segment: str
    subform: str
    start: float
    end: float
    inner: float
    outer: float
    cx: float  # the wheel's centre
    cy: float


@dataclass(frozen=True)
class Plan:
    width: float
    height: float
    language: str
    title: str
    fields: tuple[Field, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Tile:
    """One A4 page: the A3 items seen through a window starting at A3 x = `left`."""

    number: int
    left: float
    items: tuple[Item, ...]  # A3 items, already moved into the page's coordinates
    marks: tuple[Item, ...]  # alignment marks and the sheet's own labels


# ---------------------------------------------------------------- geometry helpers
def _arc(
    cx: float, cy: float, r: float, a0: float, a1: float, steps: int
) -> list[tuple[float, float]]:
    return [
        (
            cx + r * math.cos(math.radians(a0 + (a1 - a0) * i / steps)),
            cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def _sector(
    cx: float, cy: float, inner: float, outer: float, a0: float, a1: float
) -> tuple[tuple[float, float], ...]:
    steps = max(8, round(abs(a1 - a0) / 2))
    return tuple(_arc(cx, cy, outer, a0, a1, steps) + _arc(cx, cy, inner, a1, a0, steps))


def _rect(x: float, y: float, w: float, h: float) -> tuple[tuple[float, float], ...]:
    return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))


def _box(x: float, y: float, w: float, h: float, **kw: object) -> Shape:
    return Shape(_rect(x, y, w, h), **kw)  # type: ignore[arg-type]


def _line(x0: float, y0: float, x1: float, y1: float, **kw: object) -> Shape:
    return Shape(((x0, y0), (x1, y1)), closed=False, **kw)  # type: ignore[arg-type]


def _lines(
    text: str, x: float, top: float, width: float, style: Style, language: str, **kw: object
) -> list[Label]:
    """Wrapped text whose first line's cap height sits at `top`; centred when align says so."""
    out = []
    y = top - style.size * 0.75
    for line in wrap(text, style, width, language):
        out.append(Label(x, y, line, style.font, style.size, **kw))  # type: ignore[arg-type]
        y -= style.line_height
    return out


def _in_field(box: tuple[float, float, float, float], f: Field) -> bool:
    """Whether a text box lies inside the field's sector, FIELD_PAD clear of its edges."""
    x0, y0, x1, y1 = box
    cx, cy = f.cx, f.cy
    corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
    if any(math.hypot(x - cx, y - cy) > f.outer - FIELD_PAD for x, y in corners):
        return False  # the outer arc: a disc holds the box when it holds its corners
    nearest = (min(max(cx, x0), x1), min(max(cy, y0), y1))
    if math.hypot(nearest[0] - cx, nearest[1] - cy) < f.inner + FIELD_PAD:
        return False
    for angle, inward in ((f.start, 1), (f.end, -1)):  # the two straight edges
        a = math.radians(angle)
        nx, ny = -math.sin(a) * inward, math.cos(a) * inward  # normal into the field
        if any((x - cx) * nx + (y - cy) * ny < FIELD_PAD for x, y in corners):
            return False
    return True


def _field_label(
    name: str,
    note: str,
    f: Field,
    radius: float,
    ink: palette.RGB,
    lang: str,
) -> list[Label]:
    """A sub-form's name (and its card count) centred at `radius` on the field's middle
    angle: the largest size from 9 pt down, wrapped as wide as the field allows, with every
    line inside the field; the smallest size, hyphenated, when nothing else fits."""
    mid = math.radians((f.start + f.end) / 2)
    lx, ly = f.cx + radius * math.cos(mid), f.cy + radius * math.sin(mid)
    span = math.radians(f.end - f.start)
    room = max(f.outer - f.inner, 2 * radius * math.sin(span / 2))  # radially or across

    def lines_at(size: float, width: float, hyphenate: bool) -> list[Label]:
        style = Style("bold", size, 1.15)
        lines = wrap(name, style, width, lang, hyphenate=hyphenate)
        block = len(lines) * style.line_height + (8 if note else 0)
        y = ly + block / 2 - size * 0.75
        out = []
        for line in lines:
            out.append(Label(lx, y, line, "bold", size, ink, "centre"))
            y -= style.line_height
        if note:
            out.append(Label(lx, y + 1, note, "regular", 7, GREY, "centre"))
        return out

    def fits(labels: list[Label]) -> bool:
        for label in labels:
            half = fonts.width(label.text, label.style, label.size) / 2
            bottom, top = label.y - 0.25 * label.size, label.y + 0.8 * label.size
            if not _in_field((label.x - half, bottom, label.x + half, top), f):
                return False
        return True

    sizes = [9.0 - 0.5 * k for k in range(7)]  # 9 ... 6 pt
    widths = [room * k / 10 for k in range(10, 2, -1)]
    for size in sizes:
        for width in widths:
            labels = lines_at(size, width, hyphenate=False)
            whole = " ".join(x.text for x in labels[: len(labels) - bool(note)]) == " ".join(
                name.split()
            )  # no word cut
            if whole and fits(labels):
                return labels
    return lines_at(sizes[-1], widths[-1], hyphenate=True)


# ---------------------------------------------------------------- the plan
def plan(deck: Deck, cards: Sequence[Card]) -> Plan:
    """The A3 planblad for these cards of `deck` (all its cards, or a subset)."""
    w = wording.of(deck).section("planblad")
    W, H = A3
    items: list[Item] = []
    lang = deck.language

    # header
    top = H - MARGIN
    items.append(Label(MARGIN, top - mm(8), w["title"], "black", 22, INK))
    items.append(Label(MARGIN, top - mm(14.5), deck.title, "regular", 10, GREY))
    right = W - MARGIN
    for i, word in enumerate(("case", "table")):
        y = top - mm(7) - i * mm(9)
        x0 = W / 2 + mm(14)
        items.append(Label(x0, y, w[word], "bold", 10, INK))
        items.append(_line(x0 + mm(22), y - 2, right, y - 2, stroke=RULE, width=0.6))
    items.append(_line(MARGIN, top - HEADER + mm(4), right, top - HEADER + mm(4), stroke=RULE))

    # the wheel
    shown = {c.segment.id for c in cards if c.segment is not None}
    per_subform: dict[tuple[str, str], int] = {}
    for card in cards:
        if card.segment is not None and card.subform is not None and card.type.colour is None:
            key = (card.segment.id, card.subform.id)
            per_subform[key] = per_subform.get(key, 0) + 1
    area_top = top - HEADER
    cx = (MARGIN + (W / 2 - mm(10))) / 2
    legend_h = mm(12)
    cy = (MARGIN + legend_h + area_top) / 2
    outer = min((W / 2 - mm(10) - MARGIN) / 2, (area_top - MARGIN - legend_h) / 2) - mm(1)
    hub = outer * 0.15
    ring = outer * 0.44
    mid = (ring + outer) / 2
    fields: list[Field] = []
    dashed: list[Item] = []  # drawn over the fields
    phases = {p.id: p.name for p in deck.phases}
    step = 360.0 / len(deck.segments)
    gap = 1.2  # degrees between segments
    for i, seg in enumerate(deck.segments):
        colour = palette.parse(seg.colour)
        s0 = 90 - i * step - gap / 2  # clockwise from the top, like the card backs
        s1 = 90 - (i + 1) * step + gap / 2
        active = seg.id in shown
        band = colour if active else palette.tint(colour, 0.3)
        items.append(Shape(_sector(cx, cy, hub, ring, s1, s0), fill=band))
        on = palette.text_on(band)
        a = math.radians((s0 + s1) / 2)
        lx, ly = cx + (hub + ring) / 2 * math.cos(a), cy + (hub + ring) / 2 * math.sin(a)
        items.append(Label(lx, ly + 1, seg.name, "bold", 9, on, "centre"))
        items.append(
            Label(lx, ly - 9, phases.get(seg.phase or "", ""), "regular", 7.5, on, "centre")
        )
        if not active:
            continue
        # "already done" inside, "new" at the rim: a dashed arc half-way across the fields
        dashed.append(
            Shape(
                tuple(_arc(cx, cy, mid, s1, s0, 90)),
                stroke=GREY,
                width=0.6,
                closed=False,
                dash=(3, 3),
            )
        )
        n = len(seg.subforms)
        span = (s0 - s1) / n
        ink = palette.readable_on_white(colour)
        for j, sub in enumerate(seg.subforms):
            a0 = s0 - j * span - (0.6 if j else 0)
            a1 = s0 - (j + 1) * span + (0.6 if j < n - 1 else 0)
            f = Field(seg.id, sub.id, a1, a0, ring + mm(1.2), outer, cx, cy)
            fields.append(f)
            items.append(
                Shape(
                    _sector(cx, cy, f.inner, f.outer, a1, a0),
                    fill=palette.tint(colour, 0.16),
                    stroke=colour,
                    width=0.8,
                )
            )
            count = per_subform.get((seg.id, sub.id), 0)
            note = f"{count} {w['cards']}" if count else ""
            items.extend(_field_label(sub.name, note, f, outer - mm(14), ink, lang))
    items.extend(dashed)
    hub_lines = wrap(w["wheel"], Style("bold", 7, 1.15), hub * 1.7, lang, hyphenate=False)
    y = cy + (len(hub_lines) * 7 * 1.15) / 2 - 5.5
    for line in hub_lines:
        items.append(Label(cx, y, line, "bold", 7, INK, "centre"))
        y -= 7 * 1.15
    items.append(Label(cx, MARGIN + mm(4), w["legend"], "regular", 8, GREY, "centre"))

    # the plan, right of the middle
    x0 = W / 2 + mm(12)
    width = right - x0
    y = area_top - mm(2)
    items.append(Label(x0, y - mm(4), w["goal"], "bold", 11, INK))
    for k in range(2):
        ry = y - mm(12) - k * mm(7.5)
        items.append(_line(x0, ry, right, ry, stroke=RULE, width=0.6))
    y -= mm(25)
    # the table: one row per card, up to three
    first = (mm(30), (width - mm(30)) * 0.32, (width - mm(30)) * 0.32)
    cols = (*first, width - sum(first))
    heads = (w["card"], w["objective"], w["audience"], w["first_step"])
    head_h = mm(11)
    row_h = mm(23)
    one_segment = len(shown) == 1  # the rules then ask for two sub-forms, not two segments
    items.append(Label(x0, y - mm(4), w["plan_one" if one_segment else "plan"], "bold", 11, INK))
    y -= mm(6)
    items.append(_box(x0, y - head_h, width, head_h, fill=(0.93, 0.93, 0.94)))
    x = x0
    for text, cw in zip(heads, cols, strict=True):
        items.extend(_lines(text, x + mm(2), y - mm(2), cw - mm(4), Style("bold", 8, 1.15), lang))
        x += cw
    y -= head_h
    for r in range(3):
        items.append(_box(x0, y - row_h, width, row_h, stroke=RULE, width=0.6))
        items.append(Label(x0 + mm(2), y - mm(5), str(r + 1), "bold", 10, GREY))
        y -= row_h
    x = x0
    for cw in cols[:-1]:
        x += cw
        items.append(_line(x, y, x, y + 3 * row_h + head_h, stroke=RULE, width=0.6))
    tips_h = mm(11)
    items.append(_box(x0, y - tips_h, width, tips_h, stroke=RULE, width=0.6))
    items.append(Label(x0 + mm(2), y - mm(6.5), w["tips"], "bold", 8.5, INK))
    y -= tips_h + mm(6)
    # reflection: one line per concern card of the deck
    concerns = [c for c in deck.cards if c.answer]
    if concerns:
        items.append(Label(x0, y - mm(4), w["reflection"], "bold", 11, INK))
        y -= mm(7)
        scores = (w["weak"], w["fair"], w["strong"])
        score_w = mm(62)
        for concern in concerns:
            items.append(Label(x0, y - mm(6), concern.title, "bold", 9, INK))
            items.append(
                _line(x0 + mm(34), y - mm(7), right - score_w - mm(3), y - mm(7), stroke=RULE)
            )
            sx = right - score_w
            for score in scores:
                items.append(_box(sx, y - mm(7.5), mm(3.5), mm(3.5), stroke=GREY, width=0.6))
                items.append(Label(sx + mm(5), y - mm(7), score, "regular", 8.5, INK))
                sx += score_w / 3
            y -= mm(10.5)
        y -= mm(4)
    # the two piles and the next step
    pile_w = (width - mm(6)) / 2
    pile_h = y - MARGIN - mm(22)
    for k, word in enumerate(("later", "not_for_us")):
        px = x0 + k * (pile_w + mm(6))
        items.append(_box(px, y - pile_h, pile_w, pile_h, stroke=GREY, width=0.8, dash=(4, 3)))
        items.append(Label(px + mm(3), y - mm(6), w[word], "bold", 9.5, INK))
    y -= pile_h + mm(5)
    items.append(Label(x0, y - mm(5), w["next_step"], "bold", 11, INK))
    items.append(_line(x0, MARGIN + mm(1), right, MARGIN + mm(1), stroke=RULE, width=0.6))
    title = f"{deck.title} — {w['title']}"
    return Plan(W, H, lang, title, tuple(fields), tuple(items))


# ---------------------------------------------------------------- the A4 tiles
def _moved(item: Item, dx: float) -> Item:
    if isinstance(item, Label):
        return replace(item, x=item.x + dx)
    return replace(item, points=tuple((x + dx, y) for x, y in item.points))


def tiles(sheet: Plan) -> tuple[Tile, Tile]:
    """Two A4 portrait pages at 1:1: page 1 shows A3 x in [OVERLAP/2, W/2 + OVERLAP/2],
    page 2 shows A3 x in [W/2 - OVERLAP/2, W - OVERLAP/2]. Cut page 2 along its dashed line,
    lay it on page 1 with its edge on page 1's ticks and the crosses on top of each other."""
    w = wording.for_language(sheet.language).section("planblad")
    W, H = sheet.width, sheet.height
    lefts = (OVERLAP / 2, W / 2 - OVERLAP / 2)
    out = []
    for number, left in enumerate(lefts, start=1):
        inside = tuple(_moved(item, -left) for item in sheet.items)
        marks: list[Item] = []
        for y in (MARGIN + mm(30), H / 2, H - MARGIN - HEADER - mm(10)):  # registration crosses
            x = W / 2 - left
            marks.append(_line(x - mm(3), y, x + mm(3), y, stroke=INK, width=0.4))
            marks.append(_line(x, y - mm(3), x, y + mm(3), stroke=INK, width=0.4))
            marks.append(Shape(tuple(_arc(x, y, mm(1.8), 0, 360, 36)), stroke=INK, width=0.4))
        cut = CUT - left
        name = w["sheet_1"] if number == 1 else w["sheet_2"]
        marks.append(Label(A4[0] / 2, H - mm(9), name, "bold", 8, GREY, "centre"))
        if number == 1:  # ticks where page 2's edge goes
            for y0, y1 in ((mm(6), MARGIN - mm(2)), (H - MARGIN + mm(2), H - mm(11))):
                marks.append(_line(cut, y0, cut, y1, stroke=INK, width=0.6))
            marks.append(Label(cut - mm(1.5), mm(7), w["edge"], "regular", 7, GREY, "right"))
        else:  # the cut line
            marks.append(_line(cut, mm(6), cut, H - mm(11), stroke=INK, width=0.5, dash=(4, 2)))
            marks.append(Label(cut + mm(1.5), mm(7), w["cut"], "regular", 7, GREY))
        out.append(Tile(number, left, inside, tuple(marks)))
    return out[0], out[1]


# ---------------------------------------------------------------- painting
def _draw(c, items: Sequence[Item]) -> None:  # type: ignore[no-untyped-def]
    for item in items:
        if isinstance(item, Label):
            c.setFillColorRGB(*item.colour)
            c.setFont(fonts.FAMILY[item.style], item.size)
            fonts.draw(c, item.x, item.y, item.text, item.style, item.align)
            continue
        path = c.beginPath()
        path.moveTo(*item.points[0])
        for point in item.points[1:]:
            path.lineTo(*point)
        if item.closed:
            path.close()
        if item.fill is not None:
            c.setFillColorRGB(*item.fill)
        if item.stroke is not None:
            c.setStrokeColorRGB(*item.stroke)
            c.setLineWidth(item.width)
            c.setDash(list(item.dash) if item.dash else [])
        c.drawPath(path, stroke=item.stroke is not None, fill=item.fill is not None)
        c.setDash([])


def _canvas(pagesize: tuple[float, float], title: str, words: Mapping[str, str]):  # type: ignore[no-untyped-def]
    from . import pdf

    buffer = io.BytesIO()
    c = pdf.canvas(buffer, title=title, subject=words["pdf_subject"], pagesize=pagesize)
    c.setLineJoin(1)
    return c, buffer


def render_a3(sheet: Plan) -> bytes:
    """One A3 landscape page."""
    words = wording.for_language(sheet.language).section("planblad")
    c, buffer = _canvas((sheet.width, sheet.height), sheet.title, words)
    _draw(c, sheet.items)
    c.showPage()
    c.save()
    return buffer.getvalue()


def render_tiles(sheet: Plan) -> bytes:
    """Two A4 portrait pages that tile to the A3 (print single-sided, at 100 %)."""
    words = wording.for_language(sheet.language).section("planblad")
    c, buffer = _canvas(A4, f"{sheet.title} (A4)", words)
    for tile in tiles(sheet):
        _draw(c, tile.items)
        _draw(c, tile.marks)
        c.showPage()
    c.save()
    return buffer.getvalue()


def pdfs(deck: Deck, cards: Sequence[Card]) -> tuple[bytes, bytes]:
    """(the A3 planblad, its A4 two-sheet variant)."""
    sheet = plan(deck, cards)
    return render_a3(sheet), render_tiles(sheet)
