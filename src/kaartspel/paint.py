"""Painting: the only module that uses the reportlab canvas.

Turns sheets (from `impose`) and faces (from `layout`) into PDF bytes. Repeated artwork is
drawn once as a form XObject and reused: card backs, pictograms, crop marks. Output is
deterministic (reportlab's invariant mode) and every font is an embedded subset.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from . import art, fonts, images, qr, shaping
from .impose import Sheet, Slug
from .layout import (
    Disc,
    Face,
    Fill,
    Image,
    Item,
    LinkArea,
    Mark,
    Pictogram,
    QrCode,
    TextLine,
    Wheel,
)
from .palette import RGB
from .progress import track

RED = (0.9, 0.05, 0.05)  # problems marked on a preview

REGISTRATION = (0.0, 0.0, 0.0)
MARK_WIDTH = 0.25
SLUG_COLOUR = (0.35, 0.35, 0.35)
COMPRESS_AHEAD_FROM = 8  # sheets: below this, compressing them at the end costs next to nothing


def _fmt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


CMYK = tuple[float, float, float, float]


def to_cmyk(rgb: RGB) -> CMYK:
    """A plain device conversion (no colour profile); deck colours given in CMYK are kept."""
    k = 1 - max(rgb)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(round((1 - v - k) / (1 - k), 4) for v in rgb) + (round(k, 4),)  # type: ignore[return-value]


def polygon(c: Any, points: Iterable[tuple[float, float]]) -> None:
    """Fill a closed polygon in the current fill colour."""
    c.drawPath(_polygon_path(c, points), stroke=0, fill=1)


def _polygon_path(c: Any, points: Iterable[tuple[float, float]]) -> Any:
    """A closed polygon as a reportlab path (drawn as often as wanted with `drawPath`)."""
    path = c.beginPath()
    pts = list(points)
    path.moveTo(*pts[0])
    for p in pts[1:]:
        path.lineTo(*p)
    path.close()
    return path


def shape_(c: Any, shape: art.Shape, x: float, y: float, s: float) -> None:
    """Draw one shape of the vector art, scaled by `s` from (x, y), in the current colours."""
    if isinstance(shape, art.Poly):
        polygon(c, ((x + px * s, y + py * s) for px, py in shape.points))
    elif isinstance(shape, art.Circle):
        c.circle(x + shape.cx * s, y + shape.cy * s, shape.r * s, stroke=0, fill=1)
    elif isinstance(shape, art.RoundRect):
        c.roundRect(
            x + shape.x * s,
            y + shape.y * s,
            shape.w * s,
            shape.h * s,
            shape.r * s,
            stroke=0,
            fill=1,
        )
    elif isinstance(shape, art.Line):
        c.setLineWidth(shape.width * s)
        c.setLineCap(1)
        path = c.beginPath()
        path.moveTo(x + shape.points[0][0] * s, y + shape.points[0][1] * s)
        for px, py in shape.points[1:]:
            path.lineTo(x + px * s, y + py * s)
        c.drawPath(path, stroke=1, fill=0)


def draw_svg(drawing: Any, c: Any) -> None:
    """Draw an SVG (as svglib converted it) at the origin. Shapes only: the renderer's default
    font is never set, so no unembedded font enters the PDF (text in an SVG file should be
    converted to outlines)."""
    from reportlab.graphics.renderbase import renderScaledDrawing
    from reportlab.graphics.renderPDF import _PDFRenderer

    class _Shapes(_PDFRenderer):  # type: ignore[misc]
        def applyStateChanges(self, delta: dict[str, Any], newState: Any) -> None:
            kept = {k: v for k, v in delta.items() if k not in ("fontName", "fontSize")}
            super().applyStateChanges(kept, newState)

    _Shapes().draw(renderScaledDrawing(drawing), c, 0, 0, showBoundary=False)


def pictogram_art(c: Any, path: str, colour: RGB, hole: RGB) -> None:
    """Draw a pictogram file of the deck in the unit square: an SVG with its dark parts in
    `colour` and its light parts in `hole`, a PNG or JPEG in its own colours. The one way the
    cards and the booklet draw a deck's own pictogram."""
    if path.lower().endswith(images.SVG):
        drawn = images.recoloured(path, colour, hole)
        c.saveState()
        c.scale(1 / drawn.width, 1 / drawn.height)
        draw_svg(drawn, c)
        c.restoreState()
    else:
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(path), 0, 0, 1, 1, mask="auto", preserveAspectRatio=True)


class _Codes:
    """Where a TrueType font's characters sit in its subsets in one document, for the
    characters reportlab has already placed in subset 0 (every character of an ordinary deck):
    a string of them is encoded with one `str.translate`, the same bytes `splitString` gives."""

    def __init__(self) -> None:
        # font name -> (its placed characters, their codes, their codes as escaped in a PDF
        # string: what `escapePDF` makes of each code, byte by byte, all ASCII; an ASCII
        # character not placed gives U+FFFF, so a string of placed characters is one whose
        # escaped text is ASCII: `str.isascii` reads a flag, where testing the characters
        # against the set of placed ones looked each up)
        self.known: dict[str, tuple[frozenset[str], dict[int, int], dict[int, str]]] = {}

    def split(self, font: Any, doc: Any, text: str) -> list[tuple[int, bytes]]:
        entry = self.known.get(font.fontName)
        if entry is not None and entry[0].issuperset(text):
            return [(0, text.translate(entry[1]).encode("latin-1"))] if text else []
        chunks: list[tuple[int, bytes]] = font.splitString(text, doc)  # places new characters
        table = {code: n for code, n in font.state[doc].assignments.items() if n < 256}
        if 32 in table:
            table[0xA0] = table[32]  # reportlab draws a no-break space as a space
        escaped = _escaped()
        codes = {code: escaped[n] for code, n in table.items()}
        for code in range(128):  # an ASCII character not placed: a non-ASCII stand-in
            codes.setdefault(code, "\uffff")
        self.known[font.fontName] = (frozenset(map(chr, table)), table, codes)
        return chunks


@cache
def _escaped() -> tuple[str, ...]:
    """Each byte as reportlab's `escapePDF` writes it in a PDF string (it escapes byte by
    byte: a text's escaped codes are these, joined; the subset codes of a TrueType font are
    mostly control bytes, which it writes in octal, slowly)."""
    from reportlab.lib.rl_accel import escapePDF

    return tuple(escapePDF(bytes([n])) for n in range(256))


_SINGLE = struct.Struct("<f")


def _single(value: float) -> float:
    """`value` in single precision (an IEEE float), as a reader that keeps coordinates in
    single precision holds it (pdfium does; ISO 32000 lets readers)."""
    return float(_SINGLE.unpack(_SINGLE.pack(value))[0])


class _Moves:
    """Each text line's start as a move from the previous line's start (`tx ty Td`), where
    reportlab writes it in absolute terms (`1 0 0 1 x y Tm`). A paragraph's moves repeat, so
    a page's stream compresses better (3 % a card at 5,000 cards: 1204 -> 1169 bytes).

    A move is written only where a reader adding in single precision lands exactly where the
    absolute position (written to 7 significant digits, as reportlab writes it) puts the line:
    then every glyph sits where it sat before, to the bit, and renders the same pixels. Lines
    of one paragraph always qualify (their distance is exactly representable: the starts are
    within a factor 2 of each other); elsewhere (a footer far below the text above it) the
    absolute position is written, as before. The operators are kept per pair of starts: a
    deck's lines start on a few positions over and over."""

    def __init__(self) -> None:
        self.known: dict[tuple[float, float, float, float], str] = {}

    def __call__(self, x0: float, y0: float, x: float, y: float) -> str:
        """The operator that starts the line at (x, y) after a line started at (x0, y0)."""
        key = (x0, y0, x, y)
        op = self.known.get(key)
        if op is None:
            if len(self.known) >= 4096:
                self.known.clear()
            op = self.known[key] = _move(x0, y0, x, y)
        return op


def _move(x0: float, y0: float, x: float, y: float) -> str:
    from reportlab.lib.rl_accel import fp_str

    at = fp_str(x, y)
    if x0 == 0 and y0 == 0:  # from a text object's start, the origin: exact as it is
        return f"{at} Td"
    tx, ty = (_single(float(v)) for v in at.split())
    px, py = (_single(float(v)) for v in fp_str(x0, y0).split())
    moves = [_exact(tx - px), _exact(ty - py)]  # the differences are exact in double
    if None in moves:
        return f"1 0 0 1 {at} Tm"
    return f"{moves[0]} {moves[1]} Td"


def _exact(move: float) -> str | None:
    """`move` as a PDF number a single-precision reader reads as exactly `move`, in the
    fewest digits; None when `move` has no such number (not a single-precision value, or
    one that needs an exponent, which PDF numbers have not)."""
    from reportlab.lib.rl_accel import fp_str

    if _single(move) != move:
        return None
    for text in (fp_str(move), f"{move:.9g}"):  # 9 significant digits read back any float
        if "e" not in text and _single(float(text)) == move:
            return text
    return None


def _text_object(canvas: Any, codes: _Codes, moves: _Moves) -> Any:
    """A reportlab text object that writes what reportlab's does, with less work per line (the
    characters encoded by `codes`, and no cursor advance after a line: every line sets its own
    origin), and each line's origin as a move from the line before (`moves`)."""
    text = _text_class()(canvas)
    text.codes = codes
    text.moves = moves
    return text


@cache
def _text_class() -> Any:
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import ShapedStr
    from reportlab.pdfgen.textobject import PDFTextObject

    class Text(PDFTextObject):  # type: ignore[misc]
        codes: _Codes
        _curSubset: int  # the font subset in force (reportlab's)

        moves: _Moves

        def setTextOrigin(self, x: float, y: float) -> None:
            """A line's start as a move from the previous line's start (`_Moves`)."""
            if not hasattr(self, "_x0"):  # reportlab's __init__: BT starts at the origin
                self._x0 = self._x = self._y0 = self._y = 0.0
                if x == y == 0:
                    return
            self._code.append(self.moves(self._x0, self._y0, x, y))
            self._x0 = self._x = x
            self._y0 = self._y = y

        def textOut(self, text: str) -> None:
            self._code.append(self._formatText(text))

        def _formatText(self, text: str) -> str:
            font = getFont(self._fontname)
            if not font._dynamicFont or (font.shapable and isinstance(text, ShapedStr)):
                return str(super()._formatText(text))
            canv = self._canvas
            doc = canv._doc
            out = []
            for subset, t in self.codes.split(font, doc, text):
                if subset != self._curSubset:
                    out.append(
                        f"{font.getSubsetInternalName(subset, doc)} {fp_str(self._fontsize)} "
                        f"Tf {fp_str(self._leading)} TL"
                    )
                    self._curSubset = subset
                out.append(f"({canv._escape(t)}) Tj")
            return " ".join(out)

    return Text


@cache
def _link_class() -> Any:
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfdoc import PDFObject, PDFString

    class Link(PDFObject):  # type: ignore[misc]
        """A link annotation as `canvas.linkURL(url, rect, relative=0, thickness=0)` makes
        it, formatted at once to the very bytes reportlab's dictionaries give (keys sorted,
        the URL as reportlab writes a string), instead of by some 25 generic format calls:
        the annotations were most of the document's formatting (a link on most cards)."""

        def __init__(self, url: str, rect: tuple[float, float, float, float]) -> None:
            self.url, self.rect = url, rect

        def format(self, document: Any) -> bytes:
            uri = PDFString(self.url).format(document)
            return (
                b"<<\n/A <<\n/S /URI /Type /Action /URI " + uri + b"\n>> /Border [ 0 0 0 ] "
                b"/Rect [ " + fp_str(*self.rect).encode() + b" ] /Subtype /Link /Type /Annot\n>>"
            )

    return Link


class Painter:
    def __init__(
        self,
        title: str,
        author: str,
        subject: str,
        cmyk: bool = False,
        exact_cmyk: dict[RGB, CMYK] | None = None,
        duplex: str | None = None,
        compress_ahead: bool = False,
    ) -> None:
        from . import pdf

        self.buffer = io.BytesIO()
        self.cmyk = cmyk
        self.exact_cmyk = exact_cmyk or {}
        self.canvas = pdf.canvas(
            self.buffer, title=title, subject=subject, author=author, cmyk=cmyk, duplex=duplex
        )
        self.canvas.setViewerPreference("PrintScaling", "None")  # print at actual size
        self.forms: set[str] = set()
        self._pictograms: dict[tuple[str, RGB, RGB, str], tuple[str, Any]] = {}
        self._last_fill: RGB | None = None  # the fill colour in force, to skip repeats
        self.codes = _Codes()  # the fonts' character codes in this document
        self.moves = _Moves()  # the text lines' starts
        # the operators that select a font subset at a size, and that set a fill colour, in
        # text objects: formatted once each (`_plain_texts`)
        self._selects: dict[tuple[str, int, float], str] = {}
        self._rg: dict[RGB, str] = {}
        # the wedge paths of each wheel drawn so far, by its place and radii: the cards of one
        # design draw the same wheel in other colours (its path code is the same every time)
        self._wheels: dict[tuple[int, float, float, float, float], list[Any]] = {}
        # the `cm` operators of runs of transformations (`_transform`) and the clip operators
        # of slots' bleed boxes: a deck's sheets place their slots, and its faces their
        # pictograms, on the same few positions over and over
        self._cms: dict[tuple[Any, ...], tuple[list[str], Any]] = {}
        self._clips: dict[tuple[float, float, float, float], str] = {}
        self._shapes: dict[tuple[Any, ...], list[str]] = {}  # `_shape`
        self._ahead: pdf.PagesCompressedAhead | None = None
        if compress_ahead:
            self._ahead = pdf.PagesCompressedAhead(self.canvas)

    # ------------------------------------------------------------ primitives
    def _cmyk(self, colour: RGB) -> CMYK:
        return self.exact_cmyk.get(colour) or to_cmyk(colour)

    def _fill(self, colour: RGB) -> None:
        """Set the fill colour, unless in force. In RGB, what `setFillColorRGB` does (the
        colour kept as the canvas's, its `rg` operator written), the operator formatted once
        per colour (`_rg`, shared with the text objects)."""
        if colour == self._last_fill:
            return
        self._last_fill = colour
        c = self.canvas
        if self.cmyk or c._enforceColorSpace is not None:
            if self.cmyk:
                c.setFillColorCMYK(*self._cmyk(colour))
            else:
                c.setFillColorRGB(*colour)
            return
        rg = self._rg.get(colour)
        if rg is None:
            from reportlab.lib.rl_accel import fp_str

            rg = self._rg[colour] = f"{fp_str(colour)} rg"
        c._fillColorObj = (colour[0], colour[1], colour[2])
        c._code.append(rg)

    def _shape(self, *call: Any) -> None:
        """Fill a shape: `call` is a canvas method's name ("rect", "roundRect" or "circle"),
        its numbers and its stroke flag, which its operators depend on only (the method writes
        them and changes nothing else on the canvas). Formatted the first time, written from the
        memo after: a deck's faces fill the same rectangles, rounded ones and discs, card after
        card (a rounded rectangle is eight path operators of up to six numbers each)."""
        code = self.canvas._code
        ops = self._shapes.get(call)
        if ops is None:
            written = len(code)
            getattr(self.canvas, call[0])(*call[1:-1], stroke=call[-1], fill=1)
            if len(self._shapes) >= 4096:
                self._shapes.clear()
            self._shapes[call] = code[written:]
            return
        code.extend(ops)

    def _stroke(self, colour: RGB) -> None:
        if self.cmyk:
            self.canvas.setStrokeColorCMYK(*self._cmyk(colour))
        else:
            self.canvas.setStrokeColorRGB(*colour)

    def _transform(self, *calls: tuple[str, float, float]) -> None:
        """The canvas transformations `calls` (("translate", dx, dy), ("scale", sx, sy) or
        ("rotate", degrees, 0)), as made one by one: the same `cm` operator (reportlab merges a
        run of them into one, parsing the one before and formatting six numbers again each
        time) and the same current matrix, taken from the first time the same calls were made
        from the same matrix. A run that would merge into an operator already written is made
        one by one."""
        c = self.canvas
        code = c._code
        key = (c._currentMatrix, calls)
        done = None if code and code[-1].endswith(" cm") else self._cms.get(key)
        if done is None:
            written = len(code)
            for name, a, b in calls:
                if name == "rotate":
                    c.rotate(a)
                else:
                    getattr(c, name)(a, b)
            if written and code[written - 1].endswith(" cm"):
                return
            if len(self._cms) >= 4096:
                self._cms.clear()
            done = self._cms[key] = (code[written:], c._currentMatrix)
        else:
            code.extend(done[0])
            c._currentMatrix = done[1]

    def _clip(self, box: tuple[float, float, float, float]) -> None:
        """Clip to the rectangle `box` (x0, y0, x1, y1) as a path `rect` and `clipPath` do,
        the operator formatted once per box."""
        op = self._clips.get(box)
        if op is None:
            x0, y0, x1, y1 = box
            path = self.canvas.beginPath()
            path.rect(x0, y0, x1 - x0, y1 - y0)
            written = len(self.canvas._code)
            self.canvas.clipPath(path, stroke=0, fill=0)
            op = self._clips[box] = self.canvas._code[written]
            return
        self.canvas._code.append(op)

    def _pictogram_form(self, item: Pictogram) -> str:
        key = (item.name, item.colour, item.hole, item.file)
        known = self._pictograms.get(key)  # its form's name and shapes, once per document
        if known is None:
            shown = item.name if item.name in art.PICTOGRAMS else "asset"  # names may be paths
            name = "P_{}_{}_{}".format(shown, *(_hex(col) for col in (item.colour, item.hole)))
            if item.file:
                name += "_" + images.digest(item.file)  # the drawing, wherever the deck lies
            simple = images.simple_pictogram(item.file) if item.file else None
            known = self._pictograms[key] = (name, simple)
        name, simple = known
        if name not in self.forms and item.file and simple is None:
            c = self.canvas
            c.beginForm(name, lowerx=0, lowery=0, upperx=1, uppery=1)
            self._last_fill = None
            pictogram_art(c, item.file, item.colour, item.hole)
            c.endForm()
            self.forms.add(name)
        if name not in self.forms:
            c = self.canvas
            c.beginForm(name, lowerx=0, lowery=0, upperx=1, uppery=1)
            self._last_fill = None
            self._fill(item.colour)
            self._stroke(item.colour)
            shapes, holes = simple or (
                art.PICTOGRAMS[item.name],
                art.PICTOGRAM_HOLES.get(item.name, []),
            )
            for shape in shapes:
                shape_(c, shape, 0, 0, 1)
            self._fill(item.hole)
            for shape in holes:
                shape_(c, shape, 0, 0, 1)
            c.endForm()
            self._last_fill = None
            self.forms.add(name)
        return name

    def _qr(self, item: QrCode) -> None:
        s = item.module
        ops = item.ops or qr.operators(item.rows or qr.matrix(item.url))
        self.canvas.addLiteral(
            f"q\n{_fmt(s)} 0 0 {_fmt(-s)} {_fmt(item.x)} {_fmt(item.y + item.size)} cm\n"
            f"{'0 0 0 1 k' if self.cmyk else '0 g'}\n{ops}\nf\nQ"
        )

    def _image(self, item: Image) -> None:
        c = self.canvas
        x0, y0, x1, y1 = item.rect
        c.saveState()
        clip = c.beginPath()
        cx0, cy0, cx1, cy1 = item.clip
        clip.rect(cx0, cy0, cx1 - cx0, cy1 - cy0)
        c.clipPath(clip, stroke=0, fill=0)
        if item.file.lower().endswith(images.SVG):
            art_ = images.drawing(item.file)
            c.translate(x0, y0)
            c.scale((x1 - x0) / art_.width, (y1 - y0) / art_.height)
            draw_svg(art_, c)
        else:
            c.drawImage(item.file, x0, y0, x1 - x0, y1 - y0, mask="auto")
        c.restoreState()
        self._last_fill = None

    def _wheel(self, item: Wheel) -> None:
        key = (len(item.colours), item.inner, item.outer, item.cx, item.cy)
        paths = self._wheels.get(key)
        if paths is None:
            wedges = art.wheel_wedges(len(item.colours), item.inner, item.outer)
            paths = [_polygon_path(self.canvas, w.outline(item.cx, item.cy)) for w in wedges]
            self._wheels[key] = paths
        for path, colour in zip(paths, item.colours, strict=True):
            self._fill(colour)
            self.canvas.drawPath(path, stroke=0, fill=1)

    def _texts(self, lines: list[TextLine]) -> None:
        """Consecutive text lines as one PDF text object (font and colour set on change)."""
        # one font each and nothing shaped (looked at for all the lines at once: a character
        # needs shaping in the joined text where it does in its line)
        if (
            not self.cmyk
            and all(len(fonts.CHAINS[font]) == 1 for font in {item.font for item in lines})
            and not shaping.needs_shaping("".join([item.text for item in lines]))
        ):
            self._plain_texts(lines)
            return
        c = self.canvas
        text = _text_object(c, self.codes, self.moves)
        font: tuple[str, float] | None = None
        colour: RGB | None = None
        for item in lines:
            chain = fonts.CHAINS[item.font]
            if len(chain) == 1 and not shaping.needs_shaping(item.text):
                # one font, no shaping: the one piece `fonts.pieces` would give, made directly
                parts = None
                name = chain[0]
            else:
                # HarfBuzz's glyphs where the script needs them, words in visual order; a run
                # a fallback font draws (a Latin footer on a Devanagari card) in that font
                parts = fonts.pieces(item.text, item.font, item.size)
                name = parts[0].font
            if font != (name, item.size):
                text.setFont(name, item.size)
                font = (name, item.size)
            if colour != item.colour:
                if self.cmyk:
                    text.setFillColorCMYK(*self._cmyk(item.colour))
                else:
                    text.setFillColorRGB(*item.colour)
                colour = item.colour
            text.setTextOrigin(_line_start(item, parts), item.y)
            if parts is None:
                text.textOut(item.text)
                continue
            for piece in parts:
                if font != (piece.font, item.size):
                    text.setFont(piece.font, item.size)
                    font = (piece.font, item.size)
                text.textOut(piece.text)
        c.drawText(text)
        self._last_fill = colour

    def _plain_texts(self, lines: list[TextLine]) -> None:
        """`_texts` for lines of one font each, none shaped, in RGB: the text object's
        operators written straight, the very string the text object of `_texts` (`_text_object`)
        makes, without its calls per line. The hot path of a big build (a line a call): a
        font's selection and a colour are formatted once per document, and a line whose
        characters are all placed is encoded and escaped by one `str.translate` (`_Codes`)."""
        from reportlab.lib.rl_accel import escapePDF, fp_str
        from reportlab.pdfbase.pdfmetrics import getFont

        doc = self.canvas._doc
        chains, known, selects, colours = fonts.CHAINS, self.codes.known, self._selects, self._rg
        moves = self.moves
        placed = moves.known
        code = ["BT"]
        x0 = y0 = 0.0  # where the previous line started (a text object starts at the origin)
        name = ""
        size = -1.0
        face: Any = None
        subset = -1  # the font subset in force: none after a change of font
        colour: RGB | None = None
        for item in lines:
            if item.size != size or chains[item.font][0] != name:
                name, size = chains[item.font][0], item.size
                face = getFont(name)
                subset = -1
            if colour != item.colour:
                colour = item.colour
                rg = colours.get(colour)
                if rg is None:
                    rg = colours[colour] = f"{fp_str(colour)} rg"
                code.append(rg)
            x = item.x if item.align == "left" else _line_start(item, None)
            y = item.y
            move = placed.get((x0, y0, x, y))  # `_Moves`, without a call when known
            code.append(move if move is not None else moves(x0, y0, x, y))
            x0, y0 = x, y
            text = item.text
            entry = known.get(face.fontName)
            codes = text.translate(entry[2]) if entry is not None else "\uffff"
            if codes.isascii():  # every character placed: its codes in subset 0, escaped
                # (`_Codes.split`, then `escapePDF`) at once
                chunks: Any = ((0, codes),) if text else ()
            else:
                chunks = ((n, escapePDF(t)) for n, t in self.codes.split(face, doc, text))
            shown = False
            for n, escaped in chunks:
                if n != subset:
                    subset = n
                    select = selects.get((name, n, size))
                    if select is None:
                        internal = face.getSubsetInternalName(n, doc)
                        select = f"{internal} {fp_str(size)} Tf {fp_str(size * 1.2)} TL"
                        selects[(name, n, size)] = select
                    code.append(select)
                code.append(f"({escaped}) Tj")
                shown = True
            if not shown:
                code.append("")  # what joining no operators gave
        code.append("ET")
        self.canvas._code.append(" ".join(code))
        self._last_fill = colour

    def items(self, items: Iterable[Item], ox: float, oy: float) -> None:
        """Draw face items whose origin (trim lower-left) is at (ox, oy) on the page."""
        c = self.canvas
        pending: list[TextLine] = []
        for item in items:
            if isinstance(item, TextLine):
                pending.append(item)
                continue
            if pending:
                self._texts(pending)
                pending = []
            if isinstance(item, Fill):
                self._fill(item.colour)
                x0, y0, x1, y1 = item.rect
                stroke = 0
                if item.stroke is not None and item.stroke_width > 0:
                    self._stroke(item.stroke)
                    c.setLineWidth(item.stroke_width)
                    stroke = 1
                if item.radius:
                    self._shape("roundRect", x0, y0, x1 - x0, y1 - y0, item.radius, stroke)
                else:
                    self._shape("rect", x0, y0, x1 - x0, y1 - y0, stroke)
            elif isinstance(item, Disc):
                self._fill(item.colour)
                self._shape("circle", item.cx, item.cy, item.r, 0)
            elif isinstance(item, QrCode):
                self._qr(item)
            elif isinstance(item, Pictogram):
                form = self._pictogram_form(item)
                c.saveState()
                self._transform(("translate", item.x, item.y), ("scale", item.size, item.size))
                c.doForm(form)
                c.restoreState()
                self._last_fill = None
            elif isinstance(item, Wheel):
                self._wheel(item)
            elif isinstance(item, Image):
                self._image(item)
            elif isinstance(item, LinkArea):
                self._link(item, ox, oy)
            elif isinstance(item, Mark):
                self._mark(item)
        if pending:
            self._texts(pending)

    def _mark(self, item: Mark) -> None:
        """A problem on a preview: a red outline around the element and a red note in it."""
        c = self.canvas
        x0, y0, x1, y1 = item.rect
        c.saveState()
        c.setStrokeColorRGB(*RED)
        c.setFillColorRGB(*RED)
        c.setLineWidth(1.5)
        c.rect(x0 + 0.75, y0 + 0.75, x1 - x0 - 1.5, y1 - y0 - 1.5, stroke=1, fill=0)
        size = 7.0
        width = c.stringWidth(item.note, fonts.FAMILY["bold"], size)
        c.rect(x0 + 0.75, y0 + 0.75, min(width + 4, x1 - x0 - 1.5), size + 3, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(fonts.FAMILY["bold"], size)
        c.drawString(x0 + 2.75, y0 + 2.75, item.note)
        c.restoreState()
        self._last_fill = None

    def _links(self, items: Iterable[Item], ox: float, oy: float) -> None:
        for item in items:
            if isinstance(item, LinkArea):
                self._link(item, ox, oy)

    def _link(self, item: LinkArea, ox: float, oy: float) -> None:
        """A link annotation over the area, as `canvas.linkURL(url, rect, relative=0,
        thickness=0)` adds it (`_link_class`)."""
        c = self.canvas
        x0, y0, x1, y1 = item.rect
        rect = c._absRect((ox + x0, oy + y0, ox + x1, oy + y1), 0)
        c._addAnnotation(_link_class()(item.url, rect))

    # ------------------------------------------------------------ forms
    def back_form(self, face: Face) -> str:
        name = f"B_{face.key}"
        if name not in self.forms:
            size = face.size
            c = self.canvas
            c.beginForm(
                name,
                lowerx=0,
                lowery=0,
                upperx=size.width + 2 * size.bleed,
                uppery=size.height + 2 * size.bleed,
            )
            self._last_fill = None
            c.translate(size.bleed, size.bleed)
            self.items([i for i in face.items if not isinstance(i, LinkArea)], 0, 0)
            c.endForm()
            self._last_fill = None
            self.forms.add(name)
        return name

    def marks_form(self, sheet: Sheet) -> str:
        key = (sheet.marks, sheet.fold)
        name = f"M_{abs(hash(key)) & 0xFFFFFFFF:08x}_{len(sheet.marks)}"
        # hash of floats is deterministic across runs (no string hashing involved)
        if name not in self.forms:
            c = self.canvas
            c.beginForm(name, lowerx=0, lowery=0, upperx=sheet.width, uppery=sheet.height)
            self._stroke(REGISTRATION)
            c.setLineWidth(MARK_WIDTH)
            c.lines(list(sheet.marks))
            if sheet.fold:
                c.setDash([2, 2])
                self._stroke((0.45, 0.45, 0.45))
                c.lines(list(sheet.fold))
            c.endForm()
            self.forms.add(name)
        return name

    # ------------------------------------------------------------ sheets
    def sheet(self, sheet: Sheet, faces: Mapping[str, Face]) -> None:
        c = self.canvas
        c.setPageSize((sheet.width, sheet.height))
        if sheet.page_boxes:
            x0, y0, x1, y1 = sheet.slots[0].trim
            c.setTrimBox((x0, y0, x1, y1))
            c.setBleedBox((0, 0, sheet.width, sheet.height))
        for slot in sheet.slots:
            face = faces[slot.face]
            ox, oy = slot.trim[0], slot.trim[1]
            c.saveState()
            self._last_fill = None
            self._clip(slot.bleed)
            moves: list[tuple[str, float, float]] = [("translate", ox, oy)]
            if slot.rotate:
                w, h = face.size.width, face.size.height
                moves.append(("translate", w / 2, h / 2))
                moves.append(("rotate", slot.rotate, 0))
                moves.append(("translate", -w / 2, -h / 2))
            if face.side == "back":
                moves.append(("translate", -face.size.bleed, -face.size.bleed))
            self._transform(*moves)
            if face.side == "back":
                c.doForm(self.back_form(face))
            else:
                self.items([i for i in face.items if not isinstance(i, LinkArea)], ox, oy)
            c.restoreState()
            self._last_fill = None
            if not slot.rotate:
                self._links(face.items, ox, oy)
        if sheet.marks or sheet.fold:
            c.doForm(self.marks_form(sheet))
        if sheet.items:
            self.items(sheet.items, 0, 0)
        if sheet.slug:
            self._slug(sheet.slug)
        c.showPage()
        if self._ahead is not None:
            self._ahead.page_done()
        self._last_fill = None

    def _slug(self, slug: Slug) -> None:
        c = self.canvas
        c.saveState()
        self._last_fill = None
        self._fill(SLUG_COLOUR)
        c.translate(slug.x, slug.y)
        if slug.rotate:
            c.rotate(slug.rotate)
        c.setFont(fonts.FAMILY["regular"], slug.size)
        fonts.draw(c, 0, 0, slug.text, "regular")
        c.restoreState()
        self._last_fill = None

    def finish(self) -> bytes:
        try:
            self.canvas.save()
        finally:
            self.close()
        return self.buffer.getvalue()

    def close(self) -> None:
        """Stop the compressing thread, if any (after `finish`, or on an error)."""
        if self._ahead is not None:
            self._ahead.close()


def _line_start(item: TextLine, parts: list[Any] | None) -> float:
    """Where a line's text starts: its x, less its width (right) or half of it (centre);
    the width of its `parts` (`fonts.pieces`), else the one piece's, from the cache."""
    if item.align == "left":
        return item.x
    if parts is None:
        w = fonts.width(item.text, item.font, item.size)
    else:
        w = sum(p.width for p in parts)
    return item.x - (w if item.align == "right" else w / 2)


def _hex(colour: RGB) -> str:
    return "".join(f"{round(v * 255):02x}" for v in colour)


def render(
    sheets: list[Sheet],
    faces: Mapping[str, Face],
    title: str,
    author: str,
    subject: str,
    cmyk: bool = False,
    exact_cmyk: dict[RGB, CMYK] | None = None,
    duplex: str | None = None,
) -> bytes:
    from .parallel import cores

    # pages compressed on the other core while the next are drawn, where there is one and
    # enough pages for it to matter
    ahead = cores() > 1 and len(sheets) >= COMPRESS_AHEAD_FROM
    painter = Painter(title, author, subject, cmyk, exact_cmyk, duplex, compress_ahead=ahead)
    try:
        for sheet in track(sheets, "drawing"):
            painter.sheet(sheet, faces)
    except BaseException:
        painter.close()
        raise
    return painter.finish()
