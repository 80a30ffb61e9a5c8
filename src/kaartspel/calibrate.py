"""The duplex calibration sheet: how far a printer shifts the back of a sheet, in mm.

Printed double-sided (flip on the long edge) and held against the light, the sheet shows
scales made of a slanted black line on the front, with numbers, and a straight line on the
back that crosses it. The slant magnifies: the crossing moves GAIN mm along the scale for
every mm the back is off. The numbers at the crossings are the correction to give
`kaartspel build --back-offset DX,DY`, which shifts every back page by DX,DY mm in the back
page's own coordinates (`impose.impose`): +DX to the right on the back page, that is to the
*left* seen from the front after a long-edge flip; +DY up on both sides. So a back that lands
1.5 mm too far to the right and 1 mm too low (seen from the front) reads DX = +1.5, DY = +1.
A back line is straight along the other axis, so a shift in that direction slides it along
itself and never changes the reading.

The plan (`plan`) is pure data in PDF points, every position in *front view*: where a mark
of the back appears when the sheet is seen from the front with no printer shift. The back
page itself is its mirror image (long-edge flip: x on the back page = paper width - x).
`render` is the only function here that draws; it uses the bundled Lato fonts, black and
grey only, vector only, and gives byte-identical PDFs for the same paper and language.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, replace

from . import fonts, wording
from .geometry import Paper
from .geometry import mirror as flip
from .text import Style, wrap
from .units import mm

# ---------------------------------------------------------------- the scales (millimetres)
RANGE_MM = 5.0  # the scales read from -RANGE_MM to +RANGE_MM
STEP_MM = 0.5  # a tick every half millimetre, a number every millimetre
STEPS = round(RANGE_MM / STEP_MM)  # ticks on each side of zero
GAIN = 4.0  # mm along the scale per mm of correction (the slope of the slanted line)
LINE_MM = 0.25  # the slanted front line and the straight back line
TICK_WIDTH_MM = 0.2
TICK_HALF_MM = {"zero": 2.2, "whole": 1.5, "half": 0.8}  # half-length, centred on the line
LABEL_GAP_MM = 2.4  # from the slanted line to its numbers
BACK_REACH_MM = GAIN * RANGE_MM + RANGE_MM + 0.5  # half-length of a back line: it still
# crosses the whole slanted line when the back is off by RANGE_MM along it
LABEL_SIZE = 7.0

GREY = 0.55  # printed grey: frames, hints and the example's "back" line
BLACK = 0.0


# ---------------------------------------------------------------- drawable items (pure data)
@dataclass(frozen=True)
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    grey: float = BLACK


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    grey: float = BLACK
    line: float = 0.0  # outline width; 0 = filled
    radius: float = 0.0


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    style: str  # fonts.FAMILY key
    size: float
    align: str = "left"  # left | right | centre
    grey: float = BLACK


@dataclass(frozen=True)
class Triangle:
    points: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
    grey: float = BLACK


Item = Segment | Box | Label | Triangle


def label_text(value_mm: float) -> str:
    """A scale's number: −5 … 0 … +5 (true minus sign)."""
    if value_mm == 0:
        return "0"
    sign = "+" if value_mm > 0 else "\u2212"
    return f"{sign}{abs(value_mm):g}".replace(".", ",")


@dataclass(frozen=True)
class Scale:
    """One scale. `axis` "x" reads DX: its back line is vertical and its front line slants
    from lower left to upper right, numbered upwards. `axis` "y" reads DY: its back line is
    horizontal and its front line slants from upper left to lower right, numbered to the
    right. (x, y), the zero point, is where the back line passes when nothing is shifted.

    The slanted line passes through `point(v)` for every value v. Seen from the front, a back
    line shifted s mm to the right crosses the x scale at v = s; one shifted s mm up crosses
    the y scale at v = -s: both are the back-page shift that undoes it (see the module).
    """

    place: str
    axis: str  # "x" | "y"
    x: float
    y: float

    def point(self, value: float) -> tuple[float, float]:
        """Where the slanted front line shows `value` (front view, points)."""
        if self.axis == "x":
            return (self.x + mm(value), self.y + mm(GAIN * value))
        return (self.x + mm(GAIN * value), self.y - mm(value))

    def value_at(self, along: float) -> float:
        """The value shown at a height (x scale) or a width (y scale) of the slanted line."""
        origin = self.y if self.axis == "x" else self.x
        return (along - origin) / mm(GAIN)

    def slanted_line(self) -> Segment:
        end = RANGE_MM + 0.35
        (x0, y0), (x1, y1) = self.point(-end), self.point(end)
        return Segment(x0, y0, x1, y1, mm(LINE_MM))

    def ticks(self) -> tuple[Segment, ...]:
        """Across the slanted line: a tick per half mm, longer ones at whole mm and at 0."""
        out = []
        for k in range(-STEPS, STEPS + 1):
            x, y = self.point(k * STEP_MM)
            kind = "zero" if k == 0 else "whole" if k % 2 == 0 else "half"
            h = mm(TICK_HALF_MM[kind])
            if self.axis == "x":
                out.append(Segment(x - h, y, x + h, y, mm(TICK_WIDTH_MM)))
            else:
                out.append(Segment(x, y - h, x, y + h, mm(TICK_WIDTH_MM)))
        return tuple(out)

    def labels(self) -> tuple[Label, ...]:
        """A number at every whole millimetre: right of an x scale, under a y scale."""
        out = []
        for k in range(-STEPS, STEPS + 1, 2):
            value = k * STEP_MM
            x, y = self.point(value)
            style = "black" if k == 0 else "regular"
            text = label_text(value)
            if self.axis == "x":
                out.append(
                    Label(x + mm(LABEL_GAP_MM), y - 0.36 * LABEL_SIZE, text, style, LABEL_SIZE)
                )
            else:
                out.append(
                    Label(
                        x,
                        y - mm(LABEL_GAP_MM) - 0.72 * LABEL_SIZE,
                        text,
                        style,
                        LABEL_SIZE,
                        "centre",
                    )
                )
        return tuple(out)

    def back_line(self) -> Segment:
        reach = mm(BACK_REACH_MM)
        if self.axis == "x":
            return Segment(self.x, self.y - reach, self.x, self.y + reach, mm(LINE_MM))
        return Segment(self.x - reach, self.y, self.x + reach, self.y, mm(LINE_MM))


# ---------------------------------------------------------------- a place: one x and one y scale
# Millimetres from the x scale's zero point. The y scale stands to the right, far enough that
# neither back line can reach the other scale's front marks while the back is off by up to
# RANGE_MM in any direction.
Y_SCALE_DX = 44.0
PLACE_LEFT, PLACE_RIGHT = 9.0, Y_SCALE_DX + BACK_REACH_MM + RANGE_MM + 1.0
PLACE_BOTTOM = PLACE_TOP = BACK_REACH_MM + 0.5
PLACE_W, PLACE_H = PLACE_LEFT + PLACE_RIGHT, PLACE_BOTTOM + PLACE_TOP


@dataclass(frozen=True)
class Place:
    name: str  # "centre", "top-left", ...
    x: float  # the x scale's zero point
    y: float

    @property
    def scales(self) -> tuple[Scale, Scale]:
        return (
            Scale(self.name, "x", self.x, self.y),
            Scale(self.name, "y", self.x + mm(Y_SCALE_DX), self.y),
        )

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (
            self.x - mm(PLACE_LEFT),
            self.y - mm(PLACE_BOTTOM),
            self.x + mm(PLACE_RIGHT),
            self.y + mm(PLACE_TOP),
        )

    @classmethod
    def at_box(cls, name: str, left: float, bottom: float) -> Place:
        return cls(name, left + mm(PLACE_LEFT), bottom + mm(PLACE_BOTTOM))


# ---------------------------------------------------------------- the whole sheet
MARGIN_MM = 10.0
ROW_GAP_MM = 2.0
TEXT_MAX_MM = 165.0  # longest text line (A3)
FLIP_BOX_MM = 14.0  # the GOED / FOUT frames
FLIP_MARK_MM = 8.0  # the black square on the back
TITLE = Style("black", 15.0, 1.2)
SUBTITLE = Style("regular", 9.0, 1.3)
HEADING = Style("bold", 9.5, 1.35)
BODY = Style("regular", 8.5, 1.32)
COMMAND = Style("bold", 10.0, 1.5)


@dataclass(frozen=True)
class Calibration:
    paper: Paper
    language: str
    places: tuple[Place, ...]
    good: tuple[float, float, float, float]  # frame where the back's square shows (long edge)
    wrong: tuple[float, float, float, float]  # where it shows after a short-edge flip
    front: tuple[Item, ...]
    back_view: tuple[Item, ...]  # the back's marks in front view (where they are seen)

    @property
    def scales(self) -> tuple[Scale, ...]:
        return tuple(s for p in self.places for s in p.scales)

    @property
    def back(self) -> tuple[Item, ...]:
        """The back page as drawn on it: the front view mirrored for a long-edge flip."""
        return tuple(mirror(item, self.paper.width) for item in self.back_view)


def mirror(item: Item, width: float) -> Item:
    """Front view -> back page coordinates for a long-edge flip (text stays readable)."""
    if isinstance(item, Segment):
        x0, _y0, x1, _y1 = flip((item.x0, item.y0, item.x1, item.y1), width, 0)
        return replace(item, x0=x0, x1=x1)
    if isinstance(item, Box):
        x0, _y0, x1, _y1 = flip((item.x0, item.y0, item.x1, item.y1), width, 0, box=True)
        return replace(item, x0=x0, x1=x1)
    if isinstance(item, Triangle):
        flat = flip(tuple(v for point in item.points for v in point), width, 0)
        a, b, c = ((flat[i], flat[i + 1]) for i in range(0, 6, 2))
        return replace(item, points=(a, b, c))
    align = {"left": "right", "right": "left"}.get(item.align, item.align)
    return replace(item, x=flip((item.x, item.y), width, 0)[0], align=align)


class _Column:
    """Text set from the top down in a column: wrapped lines become Labels."""

    def __init__(self, x: float, top: float, width: float, language: str) -> None:
        self.x, self.y, self.width, self.language = x, top, width, language
        self.items: list[Item] = []

    def text(self, text: str, style: Style, grey: float = BLACK, space_after: float = 0) -> None:
        for line in wrap(text, style, self.width, self.language, hyphenate=style is BODY):
            self.y -= style.line_height
            self.items.append(
                Label(
                    self.x, self.y + 0.25 * style.size, line, style.font, style.size, "left", grey
                )
            )
        self.y -= space_after

    def pair(self, text: str, bold: str) -> None:
        """One line: body text, then a command in bold."""
        self.y -= BODY.line_height + mm(0.5)
        self.items.append(Label(self.x, self.y + 0.25 * BODY.size, text, "regular", BODY.size))
        x = self.x + BODY.width(text + " ")
        self.items.append(Label(x, self.y + 0.25 * BODY.size, bold, "bold", BODY.size + 0.5))
        self.y -= mm(1.5)

    def command(self, text: str) -> None:
        """A command in a light frame, one line."""
        h = COMMAND.line_height + mm(1.6)
        w = COMMAND.width(text) + mm(4)
        self.y -= mm(1.0)
        self.items.append(Box(self.x, self.y - h, self.x + w, self.y, GREY, 0.6, mm(1.2)))
        self.items.append(
            Label(self.x + mm(2), self.y - h / 2 - 0.35 * COMMAND.size, text, "bold", COMMAND.size)
        )
        self.y -= h + mm(1.5)


def _place_items(place: Place, s: Mapping[str, str]) -> tuple[list[Item], list[Item]]:
    front: list[Item] = []
    back: list[Item] = []
    sx, sy = place.scales
    for scale in (sx, sy):
        front.append(scale.slanted_line())
        front.extend(scale.ticks())
        front.extend(scale.labels())
        back.append(scale.back_line())
    # the captions stay out of the band the back lines can reach
    clear = mm(RANGE_MM + 1.0)
    front.append(Label(sx.x + mm(11.5), sx.y + mm(GAIN * 4), s["dx"], "black", 11))
    front.append(Label(sy.x + mm(GAIN * 3.5), sy.y + clear, s["dy"], "black", 11))
    x0, y0, x1, y1 = place.box
    cx = sx.x + mm(RANGE_MM + 17)
    if place.name == "centre":
        front.append(Box(x0, y0, x1, y1, GREY, 0.8, mm(2)))
        front.append(Label(cx, y1 - mm(7), s["centre"], "black", 11))
        front.append(Label(cx, y1 - mm(11), s["centre_hint"], "regular", 8, grey=GREY))
    else:
        front.append(Label(cx, y1 - mm(7), s["corner"], "regular", 8, grey=GREY))
        front.append(Label(cx, y1 - mm(10.5), s["corner_hint"], "regular", 8, grey=GREY))
    return front, back


def _flip_frame(
    rect: tuple[float, float, float, float], title: str, hint: str, below: bool
) -> list[Item]:
    x0, y0, x1, y1 = rect
    cx = (x0 + x1) / 2
    items: list[Item] = [Box(x0, y0, x1, y1, BLACK, 0.8)]
    if below:
        items.append(Label(cx, y0 - mm(4.5), title, "black", 10, "centre"))
        items.append(Label(cx, y0 - mm(8), hint, "regular", 7, "centre", GREY))
    else:
        items.append(Label(cx, y1 + mm(5.5), title, "black", 10, "centre"))
        items.append(Label(cx, y1 + mm(2), hint, "regular", 7, "centre", GREY))
    return items


def _example(x: float, top: float, width: float, s: Mapping[str, str], language: str) -> list[Item]:
    """An x scale at true size with a grey line drawn where a back would cross it at +1."""
    items: list[Item] = [
        Label(x, top - HEADING.line_height, s["example_title"], "bold", HEADING.size)
    ]
    scale = Scale("example", "x", x + mm(RANGE_MM + 3), top - mm(PLACE_TOP + 2))
    items.append(scale.slanted_line())
    items.extend(scale.ticks())
    items.extend(scale.labels())
    line = scale.back_line()
    reach = mm(GAIN * RANGE_MM + 2)
    items.append(
        replace(
            line,
            x0=line.x0 + mm(1),
            x1=line.x1 + mm(1),
            y0=scale.y - reach,
            y1=scale.y + reach,
            grey=GREY,
        )
    )
    cx, cy = scale.point(1.0)
    tx = x + mm(2 * RANGE_MM + 12)
    items.append(
        Triangle(((cx + mm(5.5), cy), (cx + mm(8.5), cy + mm(1.6)), (cx + mm(8.5), cy - mm(1.6))))
    )
    column = _Column(tx, cy + mm(2.2), x + width - tx, language)
    column.text(s["example_reading"], Style("bold", 8.0, 1.3))
    column.text(s["example_legend"], Style("regular", 7.5, 1.3), GREY)
    items.extend(column.items)
    return items


def plan(paper_name: str, language: str = "nl") -> Calibration:
    """The calibration sheet for one paper size, every item in front view."""
    s = wording.for_language(language).section("calibrate")
    paper = Paper.named(paper_name)
    W, H, M = paper.width, paper.height, mm(MARGIN_MM)
    front: list[Item] = []
    back: list[Item] = []

    # top: title and steps 1-2, beside the GOED frame (top right)
    box = mm(FLIP_BOX_MM)
    good = (W - M - mm(6) - box, H - M - mm(13) - box, W - M - mm(6), H - M - mm(13))
    wrong = (W - good[2], H - good[3], W - good[0], H - good[1])  # the short-edge flip's place
    top = _Column(M, H - M, min(W - 2 * M - box - mm(18), mm(TEXT_MAX_MM)), language)
    top.text(s["title"], TITLE, space_after=mm(0.5))
    top.text(s["subtitle"], SUBTITLE, GREY, space_after=mm(2.5))
    for key in ("step1", "step2"):
        top.text(s[key], HEADING)
        top.text(s[key + "_text"], BODY, space_after=mm(2))
    front.extend(top.items)
    front.extend(_flip_frame(good, s["good"], s["good_hint"], below=True))
    front.extend(_flip_frame(wrong, s["wrong"], s["wrong_hint"], below=False))
    mark = mm(FLIP_MARK_MM)
    gx, gy = (good[0] + good[2]) / 2, (good[1] + good[3]) / 2
    back.append(Box(gx - mark / 2, gy - mark / 2, gx + mark / 2, gy + mark / 2))

    # bottom: step 4 and the 100 mm line, beside the FOUT frame (bottom left)
    bottom_x = wrong[2] + mm(8)
    bottom = _Column(bottom_x, 0.0, min(W - M - bottom_x, mm(TEXT_MAX_MM)), language)
    bottom.text(s["step4"], HEADING)
    bottom.text(s["step4_text"], BODY)
    bottom.command(s["command"])
    bottom.pair(s["example"], s["example_command"])
    bottom.text(s["meaning"], BODY, space_after=mm(3))
    ruler_y = bottom.y - mm(3)
    bottom_height = -ruler_y
    lift = M + mm(4) - ruler_y  # move the bottom block up onto the margin
    for item in bottom.items:
        front.append(_moved(item, 0.0, lift))
    ruler_y += lift
    front.extend(_ruler(bottom_x, ruler_y, s))

    # scales: four corner places between the two text blocks, one in the middle
    upper = min(top.y, good[1] - mm(10)) - mm(3)
    lower = M + mm(4) + bottom_height + mm(3)
    if upper - lower < 3 * mm(PLACE_H) + 2 * mm(ROW_GAP_MM):
        raise ValueError(f"the calibration sheet needs more room than {paper_name} gives")
    left, right = M, W - M - mm(PLACE_W)
    places = [
        Place.at_box("top-left", left, upper - mm(PLACE_H)),
        Place.at_box("top-right", right, upper - mm(PLACE_H)),
        Place.at_box("centre", (W - mm(PLACE_W)) / 2, (upper + lower - mm(PLACE_H)) / 2),
        Place.at_box("bottom-left", left, lower),
        Place.at_box("bottom-right", right, lower),
    ]
    for place in places:
        f, b = _place_items(place, s)
        front.extend(f)
        back.extend(b)

    # beside the middle place: step 3 on the left, the enlarged example on the right
    cx0, cy0, cx1, cy1 = places[2].box
    side = cx0 - M - mm(6)
    middle = _Column(M, cy1, side, language)
    middle.text(s["step3"], HEADING)
    middle.text(s["step3_text"], BODY)
    front.extend(middle.items)
    front.extend(_example(cx1 + mm(6), cy1, W - M - cx1 - mm(6), s, language))

    # the back's own note, in the empty strip between the two top places
    note_w = places[1].box[0] - places[0].box[2] - mm(6)
    note = _Column(0.0, 0.0, note_w, language)
    note.text(s["back_note"], Style("regular", 7.0, 1.3), GREY)
    ny = (places[0].box[1] + places[0].box[3]) / 2 - note.y / 2
    back.extend(
        replace(i, x=W / 2, y=i.y + ny, align="centre") for i in note.items if isinstance(i, Label)
    )
    return Calibration(paper, language, tuple(places), good, wrong, tuple(front), tuple(back))


def _moved(item: Item, dx: float, dy: float) -> Item:
    if isinstance(item, Segment):
        return replace(item, x0=item.x0 + dx, y0=item.y0 + dy, x1=item.x1 + dx, y1=item.y1 + dy)
    if isinstance(item, Box):
        return replace(item, x0=item.x0 + dx, y0=item.y0 + dy, x1=item.x1 + dx, y1=item.y1 + dy)
    if isinstance(item, Triangle):
        a, b, c = ((x + dx, y + dy) for x, y in item.points)
        return replace(item, points=(a, b, c))
    return replace(item, x=item.x + dx, y=item.y + dy)


def _ruler(x: float, y: float, s: Mapping[str, str]) -> list[Item]:
    """A 100 mm line with a tick every 10 mm, to check the print is at actual size."""
    items: list[Item] = [Segment(x, y, x + mm(100), y, mm(0.3))]
    for i in range(11):
        tall = mm(3.0) if i in (0, 10) else mm(1.5)
        items.append(Segment(x + mm(10 * i), y, x + mm(10 * i), y + tall, mm(0.3)))
    items.append(Label(x + mm(102), y - 0.3 * 9, s["ruler"], "bold", 9))
    items.append(Label(x + mm(117), y - 0.3 * 9, s["ruler_hint"], "regular", 7.5, grey=GREY))
    return items


# ---------------------------------------------------------------- painting
def _draw(canvas, items: tuple[Item, ...]) -> None:  # type: ignore[no-untyped-def]
    for item in items:
        if isinstance(item, Segment):
            canvas.setStrokeGray(item.grey)
            canvas.setLineWidth(item.width)
            canvas.line(item.x0, item.y0, item.x1, item.y1)
        elif isinstance(item, Box):
            w, h = item.x1 - item.x0, item.y1 - item.y0
            if item.line:
                canvas.setStrokeGray(item.grey)
                canvas.setLineWidth(item.line)
            else:
                canvas.setFillGray(item.grey)
            stroke, fill = (1, 0) if item.line else (0, 1)
            if item.radius:
                canvas.roundRect(item.x0, item.y0, w, h, item.radius, stroke=stroke, fill=fill)
            else:
                canvas.rect(item.x0, item.y0, w, h, stroke=stroke, fill=fill)
        elif isinstance(item, Triangle):
            canvas.setFillGray(item.grey)
            path = canvas.beginPath()
            path.moveTo(*item.points[0])
            for point in item.points[1:]:
                path.lineTo(*point)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
        else:
            canvas.setFillGray(item.grey)
            canvas.setFont(fonts.FAMILY[item.style], item.size)
            fonts.draw(canvas, item.x, item.y, item.text, item.style, item.align)


def render(sheet: Calibration) -> bytes:
    """The two-page PDF: page 1 the front, page 2 the back (mirrored for long-edge duplex)."""
    from . import pdf

    s = wording.for_language(sheet.language).section("calibrate")
    buffer = io.BytesIO()
    c = pdf.canvas(
        buffer,
        title=s["pdf_title"],
        subject=s["pdf_subject"],
        pagesize=(sheet.paper.width, sheet.paper.height),
        duplex="long",
    )
    for items in (sheet.front, sheet.back):
        c.setLineCap(0)
        _draw(c, items)
        c.showPage()
    c.save()
    return buffer.getvalue()


def calibration_pdf(paper_name: str, language: str = "nl") -> bytes:
    return render(plan(paper_name, language))
