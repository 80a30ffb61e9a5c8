"""The font family in use: the bundled Lato, or the deck's own TrueType fonts; registering
them with reportlab, measuring text and splitting it over a chain of fallback fonts.

Uses reportlab's font metrics (not its canvas). The bundled fonts are package data in
`kaartspel/fonts/` (Lato, SIL Open Font License, OFL.txt beside them); `KAARTSPEL_FONTS` may
point elsewhere. A deck may name its own fonts in deck.yaml (`style: fonts:`), one file or a
list per style; `use()` makes them the family in use.

Each style has a chain of fonts: the deck's files in the order given, then the bundled Lato
of that style (always the last fallback). A text is split into runs by the first font of the
chain whose character map has each letter (spaces, digits, punctuation and marks stay in the
run around them when its font has them), and every run is shaped and measured with its own
font (`pieces`), so a Devanagari card's Latin footer ("A1 · v1") is drawn in Lato. A deck
without fonts of its own has the one-font chain [Lato]: its text takes the single-run path,
byte for byte what it always was.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import shaping
from .errors import MissingAsset

STYLES = ("regular", "italic", "bold", "black")
BUNDLED = {
    "regular": "Lato-Regular",
    "italic": "Lato-Italic",
    "bold": "Lato-Bold",
    "black": "Lato-Black",
}
# where a deck names fewer faces, these stand in: italic and bold for regular, black for bold
FALLBACK = {"italic": "regular", "bold": "regular", "black": "bold"}
FAMILY = dict(BUNDLED)  # the family in use: style -> registered reportlab font name
# style -> the fonts tried in turn for each character (FAMILY's first, the bundled Lato last)
CHAINS: dict[str, tuple[str, ...]] = {style: (name,) for style, name in BUNDLED.items()}
# counts the changes of the family in use: what was measured or laid out with another is stale
GENERATION = [0]


def font_dir() -> Path:
    override = os.environ.get("KAARTSPEL_FONTS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "fonts"


@lru_cache(maxsize=1)
def _register_bundled() -> None:
    from reportlab.pdfbase import pdfmetrics

    from .ttfcache import ttfont

    folder = font_dir()
    for name in BUNDLED.values():
        path = folder / f"{name}.ttf"
        if not path.is_file():
            raise MissingAsset(
                f"{path}: the bundled font is missing; reinstall kaartspel "
                "(pip install --force-reinstall kaartspel) or, in a checkout, restore "
                "src/kaartspel/fonts/ (git checkout src/kaartspel/fonts)."
            )
        pdfmetrics.registerFont(ttfont(name, path, path.read_bytes()))


def register() -> dict[str, str]:
    """Make sure the fonts in use are registered; returns style -> registered font name."""
    _register_bundled()
    return dict(FAMILY)


@lru_cache(maxsize=16)
def _register_file(path: Path, shown: str) -> str:
    """Register one of the deck's font files; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from .ttfcache import ttfont

    try:
        data = path.read_bytes()
        name = f"Deck{hashlib.sha256(data).hexdigest()[:10]}-{path.stem}"
        pdfmetrics.registerFont(ttfont(name, path, data))
        _SHOWN[name] = path.name
    except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error, TypeError) as exc:
        raise MissingAsset(
            f"{shown}: this font cannot be used ({str(exc).strip() or type(exc).__name__}); "
            "kaartspel needs TrueType fonts (.ttf with glyf outlines, not .otf/CFF, not a "
            "variable font)."
        ) from None
    return name


_SHOWN: dict[str, str] = {}  # a deck font's registered name -> its file's name, for messages
DeckFonts = dict[str, tuple[tuple[Path, str], ...]]  # style -> (file, as the user wrote it)


def use(deck_fonts: DeckFonts | None) -> None:
    """Make the deck's fonts ({style: ((file, name as shown to the user), ...)}) the family in
    use, or the bundled Lato when the deck names none. The bundled Lato of each style ends
    every chain."""
    _register_bundled()
    chains: dict[str, tuple[str, ...]] = {}
    if deck_fonts:
        for style in STYLES:
            if deck_fonts.get(style):
                chains[style] = tuple(
                    _register_file(path, shown) for path, shown in deck_fonts[style]
                )
        for style in ("italic", "bold", "black"):  # fill the gaps from the deck's own faces
            if style not in chains:
                chains[style] = chains[FALLBACK[style]]
    chosen: dict[str, str] = {}
    for style in STYLES:
        own = chains.get(style, ())
        chains[style] = own + tuple(n for n in (BUNDLED[style],) if n not in own)
        chosen[style] = chains[style][0]
    if chosen != FAMILY or chains != CHAINS:
        FAMILY.clear()
        FAMILY.update(chosen)
        CHAINS.clear()
        CHAINS.update(chains)
        GENERATION[0] += 1
        _forget_widths()
        _ADVANCES.clear()
        _EDGES.clear()
        _drawable.cache_clear()
        _drawable_ascii.cache_clear()
        _runs.cache_clear()
        _ink.cache_clear()
    register_family()


def described(style: str) -> str:
    """A style's fonts for messages: 'font Lato-Bold' (bundled), or the chain with the deck's
    font files by name: 'fonts NotoSansDevanagari-Bold.ttf, then Lato-Bold'."""
    chain = [_SHOWN.get(name, name) for name in CHAINS[style]]
    return f"font {chain[0]}" if len(chain) == 1 else f"fonts {', then '.join(chain)}"


CACHED_TEXT = 64  # longer texts are measured afresh: the cache stays small (bounded memory)
CACHED_COUNT = 65536  # at most this many widths are kept, over all styles and sizes
# style -> size -> text -> width: the widths measured so far (texts of up to CACHED_TEXT
# characters), read by `width` and by hot loops that hold one size's table (`widths`)
_WIDTHS: dict[str, dict[float, dict[str, float]]] = {}
_KEPT = [0]


def width(text: str, style: str, size: float) -> float:
    """The advance width of `text` in the style at `size`, in points."""
    try:
        return _WIDTHS[style][size][text]
    except KeyError:
        pass
    value = _measure(text, style, size)
    if len(text) <= CACHED_TEXT:
        if _KEPT[0] >= CACHED_COUNT:  # full: start afresh (the tables stay the same objects)
            _forget_widths()
        widths(style, size)[text] = value
        _KEPT[0] += 1
    return value


def widths(style: str, size: float) -> dict[str, float]:
    """The widths `width` has measured so far in this style and size (text -> points), for a
    loop that measures many words to look them up before it calls `width`."""
    by_size = _WIDTHS.get(style)
    if by_size is None:
        by_size = _WIDTHS[style] = {}
    table = by_size.get(size)
    if table is None:
        table = by_size[size] = {}
    return table


def _forget_widths() -> None:
    for by_size in _WIDTHS.values():
        for table in by_size.values():
            table.clear()
    _KEPT[0] = 0


def _measure(text: str, style: str, size: float) -> float:
    chain = CHAINS[style]
    if len(chain) == 1:  # one font: its own advances, HarfBuzz's where the script needs them
        if shaping.needs_shaping(text):
            _register_bundled()
            return shaping.width(text, chain[0], size)
        advance = _ADVANCES.get(chain[0]) or _advances(chain[0])
        return float(advance(text, size))
    return sum(piece.width for piece in pieces(text, style, size))


# a registered font's advance-width function (reportlab's `stringWidth` of the font object,
# what `pdfmetrics.stringWidth` calls), by its name: looked up once, not at every text measured
_ADVANCES: dict[str, Any] = {}


def _advances(name: str) -> Any:
    from reportlab.pdfbase import pdfmetrics

    _register_bundled()
    found = _ADVANCES[name] = pdfmetrics.getFont(name).stringWidth
    return found


@lru_cache(maxsize=32)
def charmap(name: str) -> frozenset[int]:
    """The characters a registered font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    _register_bundled()
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph.keys())


@lru_cache(maxsize=64)
def _drawable(chain: tuple[str, ...]) -> frozenset[str]:
    """The characters some font of `chain` can draw, and those never drawn (line breaks,
    soft hyphens, zero-width spaces): a text of these only has nothing missing."""
    return frozenset(chr(c) for name in chain for c in charmap(name)) | frozenset("\n\u00ad\u200b")


@lru_cache(maxsize=64)
def _drawable_ascii(chain: tuple[str, ...]) -> bytes:
    """The ASCII characters of `_drawable(chain)`, as the bytes to delete from a text's UTF-8."""
    drawable = _drawable(chain)
    return bytes(code for code in range(128) if chr(code) in drawable)


def missing_glyphs(text: str, style: str = "regular") -> list[str]:
    """Characters of `text` no font of the style's chain can draw (line breaks and soft
    hyphens excepted)."""
    chain = CHAINS[style]
    # the usual case, checked in C: the text's UTF-8 without the ASCII the fonts draw (one
    # pass of bytes.translate) leaves its few other characters, looked up in the set (its
    # issuperset of the whole text makes a set of the text first: some 3 times the cost)
    rest = text.encode("utf-8", "surrogatepass").translate(None, _drawable_ascii(chain))
    if not rest or _drawable(chain).issuperset(rest.decode("utf-8", "surrogatepass")):
        return []
    if len(CHAINS[style]) == 1:
        chars = charmap(CHAINS[style][0])
        return sorted(ch for ch in set(text) if ch not in "\n\u00ad\u200b" and ord(ch) not in chars)
    maps = [charmap(name) for name in CHAINS[style]]
    return sorted(
        ch for ch in set(text) if ch not in "\n\u00ad\u200b" and not any(ord(ch) in m for m in maps)
    )


@dataclass(frozen=True)
class Piece:
    """A run of one line in one font: what to hand the canvas (a str, or HarfBuzz's shaped
    string), its font's registered name and its advance width in points."""

    text: Any
    font: str
    width: float


def _letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L"


@lru_cache(maxsize=8192)
def _runs(text: str, style: str) -> tuple[tuple[str, str], ...]:
    """`text` split into (run, font name) by the style's chain, in logical order. A letter
    takes the first font that has it; any other character (space, digit, punctuation, mark)
    stays with the run before it, else joins the next letter's font, where that font has it."""
    names = CHAINS[style]
    maps = [charmap(n) for n in names]

    def first(ch: str) -> int:
        return next((i for i, m in enumerate(maps) if ord(ch) in m), 0)

    chosen: list[int | None] = [first(ch) if _letter(ch) else None for ch in text]
    for i, ch in enumerate(text):
        if chosen[i] is not None:
            continue
        # punctuation keeps to the word it is written against: "(step" goes with "step"
        before = chosen[i - 1] if i and not text[i - 1].isspace() else None
        after = next((c for c in chosen[i + 1 :] if c is not None), None)
        for option in (before, after):
            if option is not None and ord(ch) in maps[option]:
                chosen[i] = option
                break
        else:
            chosen[i] = first(ch)
    runs: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or chosen[i] != chosen[start]:
            runs.append((text[start:i], names[chosen[start] or 0]))
            start = i
    return tuple(runs)


def _piece(text: str, name: str, size: float) -> Piece:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if shaping.needs_shaping(text):  # Devanagari, Arabic, ...: HarfBuzz's glyphs, advances
        return Piece(shaping.shaped(text, name, size), name, shaping.width(text, name, size))
    return Piece(text, name, stringWidth(text, name, size))


def pieces(text: str, style: str, size: float) -> list[Piece]:
    """One line as runs in one font each, in the order they are drawn (left to right; the
    words of a right-to-left line in bidi order), each shaped and measured with its font."""
    _register_bundled()
    names = CHAINS[style]
    runs = _runs(text, style) if len(names) > 1 and text else ((text, names[0]),)
    if len(runs) == 1:
        return [_piece(text, runs[0][1], size)]
    out: list[Piece] = []
    words = [w for w in text.split(" ") if w]
    for k, word in enumerate(shaping.visual_words(words)):
        parts = _runs(word, style)
        if shaping.is_rtl(word):
            parts = parts[::-1]
        if k:  # the space of the style (as text.wrap measures it)
            out.append(_piece(" ", _runs(" ", style)[0][1], size))
        out += [_piece(part, font, size) for part, font in parts]
    return out


def draw(canvas: Any, x: float, y: float, text: str, style: str, align: str = "left") -> None:
    """Draw one line on a reportlab canvas whose font is already the style's first font (at
    the canvas's size), at (x, y) aligned left, right or centre: in one run as always, or
    run by run through the style's chain (the canvas's font set back after)."""
    size = canvas._fontsize
    parts = pieces(text, style, size)
    if len(parts) == 1 and parts[0].font == canvas._fontname:
        how = {"left": canvas.drawString, "right": canvas.drawRightString}
        how.get(align, canvas.drawCentredString)(x, y, parts[0].text)
        return
    total = sum(p.width for p in parts)
    x -= total if align == "right" else total / 2 if align == "centre" else 0
    for piece in parts:
        canvas.setFont(piece.font, size)
        canvas.drawString(x, y, piece.text)
        x += piece.width
    canvas.setFont(FAMILY[style], size)


def overhang(text: str, style: str, size: float) -> tuple[float, float]:
    """How far the ink of `text` reaches past its advance box, in points: left of its start
    (the hook of a 'j', an italic 'A') and right of its end. Each is 0 or more."""
    if not text:
        return 0.0, 0.0
    key = (text[0], text[-1], style)
    edges = _EDGES.get(key)
    if edges is None:
        if len(_EDGES) >= 4096:
            _EDGES.clear()
        left, right = _ink(text[0], style)[0], _ink(text[-1], style)[1]
        edges = _EDGES[key] = (max(0.0, -left), max(0.0, right))
    return edges[0] * size, edges[1] * size


# (first character, last character, style) -> how far the ink reaches past the advance box
# on the left and on the right, per point of size (as `overhang` gives them)
_EDGES: dict[tuple[str, str, str], tuple[float, float]] = {}


@lru_cache(maxsize=4096)
def _ink(char: str, style: str) -> tuple[float, float]:
    """(the glyph's ink start, how far its ink ends past its advance), per point of size, from
    the font's glyf table; (0, 0) for a character the font lacks or an outline-less font."""
    from reportlab.pdfbase import pdfmetrics

    _register_bundled()
    name = _runs(char, style)[0][1] if len(CHAINS[style]) > 1 else FAMILY[style]
    face = pdfmetrics.getFont(name).face  # the font of the chain that draws the character
    glyph = face.charToGlyph.get(ord(char))
    glyf = face.table.get("glyf")
    if glyph is None or glyf is None or glyph + 1 >= len(face.glyphPos):
        return 0.0, 0.0
    if face.glyphPos[glyph + 1] - face.glyphPos[glyph] < 10:  # no outline (a space)
        return 0.0, 0.0
    _contours, x_min, _y_min, x_max, _y_max = struct.unpack(
        ">hhhhh", face.get_chunk(glyf["offset"] + face.glyphPos[glyph], 10)
    )
    advance = face.hmetrics[glyph][0]
    return x_min / face.unitsPerEm, (x_max - advance) / face.unitsPerEm


_TAG = re.compile(r"(<[^>]*>)")


def fallback_markup(markup: str, style: str) -> str:
    """Paragraph markup (reportlab's, as the booklet writes it) with each run that a
    fallback font of the style's chain draws wrapped in <font face="...">: a Latin word in a
    Devanagari rules text is set in Lato. Unchanged where the chain is the one font."""
    chain = CHAINS[style]
    if len(chain) == 1:
        return markup
    out = []
    for part in _TAG.split(markup):
        if not part or part.startswith("<"):
            out.append(part)
            continue
        for run, name in _runs(html.unescape(part), style):
            shown = html.escape(run, quote=False)
            out.append(shown if name == chain[0] else f'<font face="{name}">{shown}</font>')
    return "".join(out)


def font_for(text: str, style: str) -> str:
    """The first font of the style's chain that has every character of `text` (a list's
    bullet, its numbers), else the style's first font."""
    chain = CHAINS[style]
    found = (n for n in chain if all(ord(ch) in charmap(n) for ch in text if ch != " "))
    return next(found, chain[0])


def style_of(name: str) -> str:
    """The style whose first font is the registered font `name` (regular when none is)."""
    return next((style for style, font in FAMILY.items() if font == name), "regular")


def register_family() -> None:
    """Map <b> and <i> in paragraphs to the faces in use (bold italic: bold); the bundled
    Lato's faces too, for the runs a fallback chain sets in Lato."""
    from reportlab.lib.fonts import addMapping

    _register_bundled()
    for family in (BUNDLED, FAMILY):
        regular, bold, italic, black = (family[s] for s in ("regular", "bold", "italic", "black"))
        for face in {regular, bold, italic, black}:
            addMapping(face, 0, 0, face)
            addMapping(face, 1, 0, black if face == black else bold)
            addMapping(face, 0, 1, italic)
            addMapping(face, 1, 1, bold)
        addMapping(regular, 0, 0, regular)
