"""Images a design names: PNG and JPEG (through Pillow) and SVG (through svglib), their sizes,
and pictograms read from SVG files.

Reading only: `layout` asks for an image's natural size to place it, `paint` asks for the
converted drawing to draw it. An SVG pictogram is drawn in two colours: its dark parts in the
pictogram's colour, its light parts in the colour behind it (the "holes"), so one file serves
every band colour.
"""

from __future__ import annotations

import hashlib
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import MissingAsset

SVG = ".svg"
PICTOGRAM_SUFFIXES = (SVG, ".png", ".jpg", ".jpeg")  # the files a pictogram may be


@lru_cache(maxsize=64)
def drawing(path: str) -> Any:
    """The SVG file as a reportlab Drawing (svglib); exit 4 when it cannot be read."""
    from svglib.svglib import svg2rlg

    try:
        result = svg2rlg(path)
    except Exception as exc:  # svglib raises lxml and value errors on malformed files
        result = None
        reason = str(exc).strip() or type(exc).__name__
    else:
        reason = "it holds no drawing"
    if result is None or not result.width or not result.height:
        raise MissingAsset(
            f"{path}: this SVG file cannot be read ({reason}); save it again as SVG."
        )
    return result


@lru_cache(maxsize=64)
def natural_size(path: str) -> tuple[float, float, float | None]:
    """(width, height, pixels per point or None for vector art): the image's own proportions,
    and for a raster image how many pixels it has per point of its width."""
    if path.lower().endswith(SVG):
        d = drawing(path)
        return float(d.width), float(d.height), None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            w, h = img.size
    except (OSError, UnidentifiedImageError):
        raise MissingAsset(
            f"{path}: this image cannot be read; save it as PNG, JPEG or SVG."
        ) from None
    return float(w), float(h), 1.0


def placed(
    path: str, box: tuple[float, float, float, float], fit: str
) -> tuple[float, float, float, float]:
    """The rectangle the image is drawn in: `contain` fits it inside `box`, `cover` fills the
    box (the overflow is clipped), both keeping the image's proportions and centred."""
    w, h, _ = natural_size(path)
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    scale = (min if fit == "contain" else max)(bw / w, bh / h)
    dw, dh = w * scale, h * scale
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - dw / 2, cy - dh / 2, cx + dw / 2, cy + dh / 2)


def dpi(path: str, drawn_width: float) -> float | None:
    """The effective resolution of a raster image drawn `drawn_width` points wide."""
    w, _h, raster = natural_size(path)
    if raster is None or drawn_width <= 0:
        return None
    return w / (drawn_width / 72.0)


@lru_cache(maxsize=64)
def simple_pictogram(path: str) -> tuple[list[Any], list[Any]] | None:
    """A pictogram SVG made only of polygons, circles, rectangles and round-capped polylines
    without transforms, as (shapes, holes) in the unit box of `art`: read with the standard
    library, fast, and drawn exactly like the built-in art. None for any other SVG (svglib
    reads those)."""
    import xml.etree.ElementTree as ET

    from . import art

    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        vx, vy, vw, vh = (
            (float(v) for v in box)
            if len(box) == 4
            else (0.0, 0.0, float(root.get("width", "0")), float(root.get("height", "0")))
        )
    except ValueError:
        return None
    if vw <= 0 or vh <= 0:
        return None

    def pt(x: float, y: float) -> tuple[float, float]:
        return ((x - vx) / vw, 1 - (y - vy) / vh)

    def points(text: str) -> tuple[tuple[float, float], ...]:
        nums = [float(v) for v in text.replace(",", " ").split()]
        return tuple(pt(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2))

    shapes: list[Any] = []
    holes: list[Any] = []
    try:
        for node in root:
            tag = node.tag.rsplit("}", 1)[-1]
            if node.get("transform") or tag not in ("polygon", "circle", "rect", "polyline"):
                return None
            colour = node.get("stroke") if tag == "polyline" else node.get("fill")
            light = (colour or "").upper() in ("#FFF", "#FFFFFF", "WHITE")
            if tag == "polygon":
                shape: Any = art.Poly(points(node.get("points", "")))
            elif tag == "circle":
                cx, cy = pt(float(node.get("cx", "0")), float(node.get("cy", "0")))
                shape = art.Circle(cx, cy, float(node.get("r", "0")) / vw)
            elif tag == "rect":
                w, h = float(node.get("width", "0")) / vw, float(node.get("height", "0")) / vh
                x, top = pt(float(node.get("x", "0")), float(node.get("y", "0")))
                shape = art.RoundRect(x, top - h, w, h, float(node.get("rx", "0")) / vw)
            else:
                width = float(node.get("stroke-width", "1")) / vw
                shape = art.Line(points(node.get("points", "")), width)
            if holes and not light:
                return None  # a dark part over a light one: svglib keeps the file's order
            (holes if light else shapes).append(shape)
    except ValueError:
        return None
    return shapes, holes


@lru_cache(maxsize=256)
def digest(path: str) -> str:
    """A short fingerprint of the file's content: names it in a PDF the same way wherever the
    deck folder is."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:8]


@lru_cache(maxsize=256)
def pictogram_file(root: Path, name: str) -> Path | None:
    """The deck's own image for a pictogram: a path deck.yaml gives (`assets/clubs.svg`,
    PNG or JPEG too), or the SVG named after it (assets/<name>.svg), if it has one."""
    if name.lower().endswith(PICTOGRAM_SUFFIXES):
        path = root / name
    else:
        path = root / "assets" / f"{name}{SVG}"
    return path if path.is_file() else None


def recoloured(
    path: str, colour: tuple[float, float, float], hole: tuple[float, float, float]
) -> Any:
    """A copy of the SVG drawing with dark parts in `colour` and light parts in `hole`."""
    from reportlab.graphics.shapes import Group, Shape
    from reportlab.lib.colors import Color

    copy = deepcopy(drawing(path))  # the cached drawing stays as the file says
    ink, paper = Color(*colour), Color(*hole)

    def light(c: Any) -> bool:
        rgb = c.rgb() if hasattr(c, "rgb") else (0.0, 0.0, 0.0)
        return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) > 0.5

    def walk(node: Any) -> None:
        if isinstance(node, Group):
            for child in node.contents:
                walk(child)
        elif isinstance(node, Shape):
            for attr in ("fillColor", "strokeColor"):
                c = getattr(node, attr, None)
                if c is not None:
                    setattr(node, attr, paper if light(c) else ink)

    for item in copy.contents:
        walk(item)
    return copy
