"""The shape of a design file (`design.yaml`), as pydantic models: keys, kinds and types.

Structure only, like `schema` for the deck: whether a length, colour, style, field or asset
means something is checked by `design`, which knows the deck. One model per element kind.
"""

from __future__ import annotations

from typing import Any, Literal

from .schema import Strict, built

Length = float | str | list[float | str]
Pair = list[float | str]


class RawScale(Strict):
    min: float = 1.0
    max: float = 1.0


class RawStyle(Strict):
    font: str = "regular"
    size: float
    min: float | None = None
    leading: float = 1.2
    scale: bool = True
    round: float = 0.25  # points: a scaled size is rounded to this step (0: not rounded)


class RawRef(Strict):
    element: str
    gap: Length = 0.0


class _Element(Strict):
    kind: str
    colour: str | None = None


class RawShape(_Element):
    kind: Literal["shape"]
    dock: Literal["top", "bottom"] | None = None
    box: str | list[Length] | None = None  # bleed | trim | safe | [x, y, width, height]
    anchor: Literal["trim", "safe"] = "safe"
    height: Length | None = None
    bleed: bool = False
    radius: Length = 0.0
    stroke: str | None = None
    stroke_width: Length = 0.0
    shape: Literal["rect", "circle"] = "rect"
    gap: Length = 0.0


class RawLine(Strict):
    text: str | None = None
    parts: list[str] | None = None
    join: str = " "
    case: Literal["upper", "lower"] | None = None
    style: str


class RawText(_Element):
    kind: Literal["text"]
    text: str
    case: Literal["upper", "lower"] | None = None
    style: str
    align: Literal["left", "right", "centre"] = "left"
    dock: Literal["top", "bottom"] | None = None
    beside: str | None = None
    below: RawRef | None = None
    at: list[Length] | None = None  # [x, y] of the first baseline, from the anchor
    anchor: Literal["trim", "safe"] = "safe"
    width: Length | None = None
    inset: Length = 0.0
    gap: Length = 0.0
    gap_before: Length = 0.0
    max_lines: int = 1
    shrink_to_lines: int | None = None
    hyphenate: bool = True
    overflow: Literal["shrink", "ellipsis"] = "shrink"


class RawLines(_Element):
    kind: Literal["lines"]
    lines: list[RawLine]
    within: str | None = None
    right_of: RawRef | None = None
    lift: Length = 0.0
    gap: Length = 0.0


class RawLabel(Strict):
    font: str = "bold"
    scale: float = 1.0
    drop: float = 1.0
    step: float = 1.2
    colour: str | None = None


class RawBox(Strict):
    padding: Length = 0.0
    radius: Length = 0.0
    colour: str


class RawBlock(Strict):
    text: str
    font: str | None = None
    label: str | None = None  # a wording key
    boxed: bool = False
    gap_before: float = 0.0  # in lines
    quote: list[str] | None = None


class RawFlow(_Element):
    kind: Literal["flow"]
    style: str
    blocks: list[RawBlock]
    gap_before: Length = 0.0
    bottom: Length = 0.0
    clearance: Length = 0.0
    min_width: Length = "50%"
    label: RawLabel | None = None
    box: RawBox | None = None


class RawCell(Strict):
    style: str
    case: Literal["upper", "lower"] | None = None
    colour: str | None = None


class RawRule(Strict):
    offset: Length = 0.0
    width: Length
    colour: str


class RawTable(_Element):
    kind: Literal["table"]
    rows: str | list[str]  # `facets`, or the names of card fields
    corner: Literal["bottom-left", "bottom-right"] = "bottom-left"
    gap: Length = 0.0
    side_gap: Length = 0.0
    row_gap: Length = 0.0
    label: RawCell
    value: RawCell
    rule: RawRule | None = None


class RawQr(_Element):
    kind: Literal["qr"]
    link: str = "main"
    corner: Literal["bottom-left", "bottom-right", "top-left", "top-right"] = "bottom-right"
    size: Length
    share: Length | None = None
    max: Length | None = None
    module: Length = "0.4mm"
    margin: Pair = [0.0, 0.0]


class RawLegend(Strict):
    style: str
    gap: Length = 0.0
    swatch: Length
    radius: Length = 0.0
    lower: Length = 0.0
    label_gap: Length = 0.0
    step: Length
    drop: Length = 0.0
    colour: str | None = None
    others: str | None = None
    margin: Length = 0.0


class RawDisc(Strict):
    grow: Length = 0.0
    colour: str


class RawWheel(_Element):
    kind: Literal["wheel"]
    corner: Literal["bottom-left", "bottom-right"] | None = None
    centre: Pair | None = None
    above: RawRef | None = None
    radius: Length
    inner: Length
    highlight: Literal["segment", "none"] = "segment"
    others: str | None = None
    legend: RawLegend | None = None
    disc: RawDisc | None = None


class RawPictogram(_Element):
    kind: Literal["pictogram"]
    of: str = "type"  # type | segment | card | subject | a pictogram name
    within: str | None = None
    centre: str | Pair | None = None
    size: Length | None = None
    alone: Length | None = None  # the size centred on a wheel the deck does not have
    at: list[Length] | None = None
    anchor: Literal["trim", "safe"] = "safe"
    inset: Length = 0.0
    lift: Length = 0.0
    hole: str | None = None


class RawImage(_Element):
    kind: Literal["image"]
    file: str
    box: str | list[Length] = "safe"
    anchor: Literal["trim", "safe"] = "safe"
    fit: Literal["contain", "cover"] = "contain"
    bleed: bool = False


KINDS: dict[str, type[_Element]] = {
    "shape": RawShape,
    "text": RawText,
    "lines": RawLines,
    "flow": RawFlow,
    "table": RawTable,
    "qr": RawQr,
    "image": RawImage,
    "pictogram": RawPictogram,
    "wheel": RawWheel,
}


class RawTemplate(Strict):
    extends: str | None = None
    scale: bool = True
    elements: dict[str, dict[str, Any]] = {}


class RawTypeChoice(Strict):
    front: str | None = None
    back: str | None = None
    per: Literal["category", "type", "colour", "deck"] | None = None


class RawDesign(Strict):
    scale: RawScale = built(RawScale)()
    palette: dict[str, str] = {}
    styles: dict[str, RawStyle] = {}
    fronts: dict[str, RawTemplate] = {}
    backs: dict[str, RawTemplate] = {}
    types: dict[str, RawTypeChoice] = {}
