"""Preflight: measure the laid-out faces the way a print shop's preflight would.

Per face: the smallest text size and how far the body text shrank, whether the text is close
to overflowing (it would not fit with 1 mm less room on every side), QR module size and quiet
zone, WCAG contrast of every text on what lies behind it, the effective resolution of every
placed image, total ink coverage of the colours in CMYK, and the fonts and glyphs used.
Findings are `ok`, `warning` or `error`; `preflight_html` turns them into the report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import fonts, layout, paint, qr
from .layout import CardSize, Disc, Face, Fill, LinkArea, Pictogram, QrCode, TextLine, Wheel
from .model import Card, Deck
from .units import mm, to_mm

RGB = tuple[float, float, float]
Rect = tuple[float, float, float, float]
PAPER: RGB = (1.0, 1.0, 1.0)

# thresholds: (warning below/above, error below/above)
TEXT_PT = (5.0, 4.0)  # smallest text size in points
CONTRAST = (4.5, 3.0)  # WCAG 2 contrast ratio (AA for normal text; 3:1 for large text)
QR_MODULE_MM = (0.4, 0.3)
QR_QUIET = (qr.QUIET_MODULES, 2)  # modules of light margin around the symbol
IMAGE_DPI = (300, 150)
NEAR_OVERFLOW_MM = 1.0  # less room than this on every side: the text nearly overflows
CHECKS = (
    ("text", "smallest text"),
    ("fit", "room to spare"),
    ("qr", "QR code"),
    ("contrast", "contrast"),
    ("images", "image resolution"),
    ("ink", "total ink"),
    ("glyphs", "fonts and glyphs"),
)


@dataclass
class Finding:
    level: str  # "ok" | "warning" | "error"
    value: str  # what was measured, shown in the table
    message: str = ""  # for warnings and errors: what is wrong and what to do
    element: str = ""  # the design element it is about (the worst one), when there is one


@dataclass
class Row:
    """One face (a card's front, or a back design) and its findings per check."""

    key: str
    side: str
    title: str
    where: str  # file:line:col of the card
    checks: dict[str, Finding] = field(default_factory=dict)

    @property
    def level(self) -> str:
        levels = {f.level for f in self.checks.values()}
        return "error" if "error" in levels else "warning" if "warning" in levels else "ok"


@dataclass
class Report:
    deck: str
    card_size: str
    ink_limit: float
    fonts: dict[str, str]  # style -> font name
    rows: list[Row]

    def count(self, check: str, level: str) -> int:
        return sum(1 for r in self.rows if check in r.checks and r.checks[check].level == level)

    @property
    def problems(self) -> list[tuple[str, Row, Finding]]:
        return [
            (check, row, f)
            for row in self.rows
            for check, f in row.checks.items()
            if f.level != "ok"
        ]


def _grade(value: float, limits: tuple[float, float], below: bool = True) -> str:
    warn, error = limits
    if below:
        return "error" if value < error else "warning" if value < warn else "ok"
    return "error" if value > error else "warning" if value > warn else "ok"


# ------------------------------------------------------------------ geometry and colour
def text_box(item: TextLine) -> Rect:
    w = fonts.width(item.text, item.font, item.size)
    x0 = item.x - (w if item.align == "right" else w / 2 if item.align != "left" else 0)
    return (x0, item.y - 0.24 * item.size, x0 + w, item.y + 0.78 * item.size)


def box(item: Any) -> Rect | None:
    if isinstance(item, TextLine):
        return text_box(item)
    if isinstance(item, Fill | QrCode):
        return item.rect
    if isinstance(item, Disc):
        return (item.cx - item.r, item.cy - item.r, item.cx + item.r, item.cy + item.r)
    if isinstance(item, Pictogram):
        return (item.x, item.y, item.x + item.size, item.y + item.size)
    if isinstance(item, Wheel):
        o = item.outer
        return (item.cx - o, item.cy - o, item.cx + o, item.cy + o)
    rect = getattr(item, "rect", None)
    return tuple(rect) if rect is not None and not isinstance(item, LinkArea) else None  # type: ignore[return-value]


def _contains(outer: Rect, inner: Rect) -> bool:
    return (
        outer[0] <= inner[0] + 1e-6
        and outer[1] <= inner[1] + 1e-6
        and outer[2] >= inner[2] - 1e-6
        and outer[3] >= inner[3] - 1e-6
    )


def _gap(a: Rect, b: Rect) -> float:
    """The distance between two rectangles (negative when they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def luminance(colour: RGB) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(colour: RGB) -> str:
    return "#" + "".join(f"{round(v * 255):02X}" for v in colour)


def element_of(face: Face, index: int) -> str:
    """The name of the design element item `index` of `face` comes from ('' for none)."""
    return face.elements[index] if index < len(face.elements) else ""


def behind(items: tuple[Any, ...], index: int, point: tuple[float, float]) -> RGB:
    """The colour under `point` before item `index` is drawn: the last fill or disc there."""
    x, y = point
    for item in reversed(items[:index]):
        if isinstance(item, Fill):
            x0, y0, x1, y1 = item.rect
            if x0 <= x <= x1 and y0 <= y <= y1:
                return item.colour
        elif isinstance(item, Disc) and (x - item.cx) ** 2 + (y - item.cy) ** 2 <= item.r**2:
            return item.colour
    return PAPER


# ------------------------------------------------------------------ the checks
def _text(face: Face, nominal: float, body_min: float) -> tuple[Finding, float]:
    lines = [i for i in face.items if isinstance(i, TextLine) and i.text.strip()]
    if not lines:
        return Finding("ok", "no text"), 0.0
    smallest = min(i.size for i in lines)
    # the body text: the regular or italic size that carries the most characters
    chars: dict[float, int] = {}
    for i in lines:
        if i.font in ("regular", "italic") and i.size >= body_min - 1e-6:
            chars[i.size] = chars.get(i.size, 0) + len(i.text)
    body = max(chars, key=lambda k: chars[k]) if chars else None
    shrink = max(0.0, 1 - body / nominal) if body and nominal else 0.0
    value = f"{smallest:g} pt"
    if body:
        value += f"; body {body:g} pt" + (f" (−{shrink:.0%})" if shrink >= 0.005 else "")
    level = _grade(smallest, TEXT_PT)
    message = (
        f"text of {smallest:g} pt is hard to read in print; use at least {TEXT_PT[0]:g} pt"
        if level != "ok"
        else ""
    )
    return Finding(level, value, message), shrink


def _qr(face: Face) -> Finding:
    codes = [(k, i) for k, i in enumerate(face.items) if isinstance(i, QrCode)]
    if not codes:
        return Finding("ok", "no QR code")
    worst: Finding | None = None
    size = face.size
    trim = (0.0, 0.0, size.width, size.height)
    for index, code in codes:
        symbol = code.rect
        room = min(
            symbol[0] - trim[0], symbol[1] - trim[1], trim[2] - symbol[2], trim[3] - symbol[3]
        )
        for k, item in enumerate(face.items):
            rect = box(item)
            if k == index or rect is None:
                continue
            if isinstance(item, Fill | Disc) and _contains(rect, symbol):
                if k < index:  # a background under the code: its edge bounds the quiet zone
                    inner = min(
                        symbol[0] - rect[0],
                        symbol[1] - rect[1],
                        rect[2] - symbol[2],
                        rect[3] - symbol[3],
                    )
                    if luminance(item.colour) > 0.5:
                        room = min(room, inner)
                continue
            room = min(room, _gap(symbol, rect))
        quiet = max(room, 0.0) / code.module
        module_mm = to_mm(code.module)
        level = max(_grade(module_mm, QR_MODULE_MM), _grade(quiet, QR_QUIET), key=_severity)
        message = ""
        if level != "ok":
            message = (
                f"QR code: modules of {module_mm:.2f} mm (at least {QR_MODULE_MM[0]} mm) and a "
                f"quiet zone of {quiet:.1f} modules (at least {QR_QUIET[0]}); shorten the link "
                "or give the code more room"
            )
        found = Finding(level, f"{module_mm:.2f} mm modules, quiet zone {quiet:.1f}", message)
        if worst is None or _severity(found.level) > _severity(worst.level):
            worst = found
    assert worst is not None
    return worst


def _severity(level: str) -> int:
    return {"ok": 0, "warning": 1, "error": 2}[level]


def _contrast(face: Face) -> Finding:
    worst: tuple[float, TextLine, RGB, str] | None = None
    for k, item in enumerate(face.items):
        if not isinstance(item, TextLine) or not item.text.strip():
            continue
        x0, y0, x1, y1 = text_box(item)
        ground = behind(face.items, k, ((x0 + x1) / 2, (y0 + y1) / 2))
        ratio = contrast(item.colour, ground)
        if worst is None or ratio < worst[0]:
            worst = (ratio, item, ground, element_of(face, k))
    if worst is None:
        return Finding("ok", "no text")
    ratio, item, ground, element = worst
    level = _grade(ratio, CONTRAST)
    value = f"{ratio:.1f}:1"
    message = ""
    if level != "ok":
        message = (
            f"{_named(element)}text '{item.text[:40]}' in {_hex(item.colour)} on "
            f"{_hex(ground)} has a contrast of {ratio:.1f}:1; at least {CONTRAST[0]}:1 is "
            "needed to read it in print"
        )
    return Finding(level, value, message, element)


def _named(element: str) -> str:
    """'the place element's ' (the start of a finding about one element), or ''."""
    return f"the {element} element's " if element else ""


def image_dpi(item: Any, root: Path) -> tuple[str, float] | None:
    """(file, effective dpi at its printed size) of a placed raster image; None for vectors."""
    file = str(getattr(item, "file", ""))
    rect = getattr(item, "rect", None)
    if not file or rect is None or file.lower().endswith(".svg"):
        return None
    from PIL import Image

    path = Path(file) if Path(file).is_absolute() else root / file
    with Image.open(path) as image:
        px_w, px_h = image.size
    w, h = rect[2] - rect[0], rect[3] - rect[1]
    with contextlib.suppress(ValueError):  # named as the deck names it: assets/logo.png
        file = path.resolve().relative_to(root.resolve()).as_posix()
    return file, min(px_w / (w / 72), px_h / (h / 72))


def _images(face: Face, root: Path) -> Finding:
    placed = [
        (*found, element_of(face, k))
        for k, item in enumerate(face.items)
        if type(item).__name__ == "Image" and (found := image_dpi(item, root)) is not None
    ]
    if not placed:
        return Finding("ok", "no raster image")
    file, dpi, element = min(placed, key=lambda p: p[1])
    level = _grade(dpi, IMAGE_DPI)
    message = ""
    if level != "ok":
        message = (
            f"{_named(element)}image {file} prints at {dpi:.0f} dpi; print needs "
            f"{IMAGE_DPI[0]} dpi (below {IMAGE_DPI[1]} it looks blurred): use a larger image "
            "or place it smaller"
        )
    return Finding(level, f"{dpi:.0f} dpi ({file})", message, element)


def _colours(face: Face) -> list[RGB]:
    found: list[RGB] = []
    for item in face.items:
        if isinstance(item, Fill | Disc | TextLine):
            found.append(item.colour)
        elif isinstance(item, Pictogram):
            found += [item.colour, item.hole]
        elif isinstance(item, Wheel):
            found += list(item.colours)
    return found


def _ink(face: Face, to_cmyk: Callable[[RGB], paint.CMYK], limit: float) -> Finding:
    colours = _colours(face)
    if not colours:
        return Finding("ok", "no colour")
    total, colour = max((sum(to_cmyk(c)) * 100, c) for c in colours)
    level = "warning" if total > limit + 1e-6 else "ok"
    c, m, y, k = (round(v * 100) for v in to_cmyk(colour))
    message = ""
    if level != "ok":
        message = (
            f"colour {_hex(colour)} prints as C{c} M{m} Y{y} K{k} = {total:.0f} % ink, above "
            f"the {limit:.0f} % the print takes; choose a lighter colour or give it in CMYK"
        )
    return Finding(level, f"{total:.0f} % ({_hex(colour)})", message)


def _glyphs(face: Face) -> Finding:
    used = sorted({i.font for i in face.items if isinstance(i, TextLine)})
    missing = sorted(
        {
            ch
            for i in face.items
            if isinstance(i, TextLine)
            for ch in fonts.missing_glyphs(i.text, i.font)
        }
    )
    names = ", ".join(fonts.FAMILY[s] for s in used) or "no text"
    if missing:
        shown = " ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
        return Finding("error", f"{names}; missing {shown}", f"the font has no glyph for {shown}")
    return Finding("ok", names)


def _refused(
    problems: layout._Problems, face: tuple[str, str], located: str = ""
) -> Finding | None:
    """The layout's own refusal of a face (what `build` stops on, exit 5) as an error; the
    start `located` ('file:line:col: card X: ') is left out, the report's row says it."""
    found = problems.by_face.get(face)
    if not found:
        return None
    names = list(dict.fromkeys(name for name, _ in problems.marks.get(face, [])))
    message = found[0].removeprefix(located)
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return Finding("error", "does not fit", message + more, ", ".join(names))


def _room(deck: Deck, card: Card, size: CardSize) -> Finding:
    """Lay the front out again with NEAR_OVERFLOW_MM less room on every side; the elements
    that would then not fit are the ones that nearly overflow."""
    tighter = replace(size, safe=size.safe + mm(NEAR_OVERFLOW_MM))
    problems = layout._Problems(lenient=True)  # laid out anyway: which elements fail
    layout.front(deck, card, tighter, problems)
    if not problems.items:
        return Finding("ok", f"at least {NEAR_OVERFLOW_MM:g} mm")
    names = list(dict.fromkeys(name for name, _ in problems.marks.get((card.id, "front"), [])))
    what = " and the ".join(names) or "text"
    return Finding(
        "warning",
        f"less than {NEAR_OVERFLOW_MM:g} mm",
        f"the {what} nearly overflow{'' if len(names) > 1 else 's'}: with "
        f"{NEAR_OVERFLOW_MM:g} mm less room it would not fit; shorten it a little so it "
        "survives a later edit",
        ", ".join(names),
    )


def run(
    deck: Deck,
    cards: list[Card],
    size: CardSize,
    card_size: str,
    to_cmyk: Callable[[RGB], paint.CMYK],
    ink_limit: float,
) -> Report:
    """Lay out the cards (fronts and their backs) and measure every face. A face that does
    not fit is laid out anyway (as a preview is) and measured, its `fit` an error."""
    body, body_min = layout.body_sizes(deck, size)
    rows: list[Row] = []
    problems = layout._Problems(lenient=True)
    for card in cards:
        face = layout.front(deck, card, size, problems)
        row = Row(card.id, "front", card.title, str(card.origin))
        row.checks["text"], _ = _text(face, body, body_min)
        row.checks["fit"] = _refused(
            problems, (card.id, "front"), f"{card.origin}: card {card.id}: "
        ) or _room(deck, card, size)
        rows.append(row)
        _common(row, face, deck, to_cmyk, ink_limit)
    for key in sorted({layout.back_key(c) for c in cards}):
        face = layout.back(deck, key, size, problems=problems)
        row = Row(key, "back", key, "")
        row.checks["text"], _ = _text(face, body, body_min)
        if refused := _refused(problems, (key, "back")):
            row.checks["fit"] = refused
        rows.append(row)
        _common(row, face, deck, to_cmyk, ink_limit)
    return Report(deck.title, card_size, ink_limit, dict(fonts.FAMILY), rows)


def _common(
    row: Row, face: Face, deck: Deck, to_cmyk: Callable[[RGB], paint.CMYK], limit: float
) -> None:
    row.checks["qr"] = _qr(face)
    row.checks["contrast"] = _contrast(face)
    row.checks["images"] = _images(face, deck.root)
    row.checks["ink"] = _ink(face, to_cmyk, limit)
    row.checks["glyphs"] = _glyphs(face)


def cmyk_of(deck: Deck) -> Callable[[RGB], paint.CMYK]:
    """How a colour prints in CMYK: the deck's own CMYK values, else the plain conversion."""
    from .build import _exact_cmyk

    exact = _exact_cmyk(deck)
    return lambda colour: exact.get(colour) or paint.to_cmyk(colour)
