"""Shaping of complex scripts and right-to-left text, for measuring and drawing one line.

Text in a script that needs shaping (Devanagari, Arabic, Hebrew, Thai, ...) is shaped with
HarfBuzz through reportlab (reportlab >= 4.1 shapes TrueType text when `uharfbuzz` is
installed): the result is a reportlab `ShapedStr` whose glyphs and advances are HarfBuzz's,
which reportlab's text objects draw glyph by glyph. Words of a line are put in visual order
with the Unicode bidi algorithm (python-bidi), word by word: a right-to-left word is shaped
right to left by HarfBuzz, a left-to-right word (a name, a number) keeps its own order.

A line in several fonts (a deck's fallback chain: a Devanagari font, then Lato) is first
split into runs by font in `fonts.pieces`; each run that needs it is shaped here, in its
own font. Latin, Greek and Cyrillic text take the plain path (`needs_shaping` is False), so the
outputs of such decks stay byte for byte what they were. This module measures and prepares
strings; it never lays out and never draws.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

# scripts whose letters change shape or order: Hebrew up to Tibetan and Myanmar, Georgian
# excepted (U+0590-U+10FF), Khmer and Mongolian, the Indic extensions, the Arabic forms
_RANGES = (
    (0x0590, 0x109F),
    (0x1780, 0x18AF),
    (0x1900, 0x1CFF),
    (0xA800, 0xABFF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)


_SHAPED = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _RANGES) + "]")


def needs_shaping(text: str) -> bool:
    """True when `text` has a letter of a script that must be shaped (or is right to left).
    An ASCII text has none, known at once (`isascii` reads a flag of the string): the search
    looks at every character."""
    return not text.isascii() and _SHAPED.search(text) is not None


def _strong(text: str) -> str | None:
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return "R" if kind in ("R", "AL") else "L"
    return None


def is_rtl(text: str) -> bool:
    """True when the text's first strong letter is right to left (its base direction): not
    when it starts with an ASCII letter (strong, left to right), the commonest case."""
    first = text[:1]
    if first.isascii() and first.isalpha():
        return False
    return _strong(text) == "R"


# placeholders of one bidi class each, to let python-bidi order the words of a line
_RTL = [chr(c) for c in range(0x05D0, 0x05EB)] + [chr(c) for c in range(0x0620, 0x064B)]
_NUMBER = [chr(c) for c in range(0x30, 0x3A)] + [chr(c) for c in range(0xFF10, 0xFF1A)]
_NEUTRAL = list('!"#&*;=?@\\^_`|~¡¦§¨¬¯´¶¸¿×÷')


def _placeholder(word: str, i: int) -> str:
    kind = _strong(word)
    if kind == "R":
        return _RTL[i % len(_RTL)]
    if kind == "L":
        return chr(0x4E00 + i)  # CJK ideographs: left to right, as many as needed
    if any(unicodedata.bidirectional(ch) in ("EN", "AN") for ch in word):
        return _NUMBER[i % len(_NUMBER)]
    return _NEUTRAL[i % len(_NEUTRAL)]


def visual_words(words: list[str]) -> list[str]:
    """The words of one line in the order they are seen (bidi algorithm, word level)."""
    if not any(is_rtl(w) for w in words):
        return list(words)
    from bidi import get_display

    marks = [_placeholder(w, i) for i, w in enumerate(words)]
    base = "RTL" if is_rtl(" ".join(words)) else "LTR"
    seen = get_display(" ".join(marks), base_dir="R" if base == "RTL" else "L")
    order = {m: i for i, m in enumerate(marks)}
    if len(order) != len(marks):  # more words than placeholders: keep the base direction
        return list(reversed(words)) if base == "RTL" else list(words)
    return [words[order[m]] for m in seen.split(" ") if m]


@lru_cache(maxsize=1)
def standard_features() -> None:
    """reportlab shapes with HarfBuzz's discretionary ligatures on (`dlig`), which HarfBuzz,
    browsers and word processors leave off: Lato's "st" would become a ligature that
    reportlab draws as a wrong glyph in a shaped booklet paragraph. Its default features
    (one dict, shared by its paragraphs and `shapeStr`) are set to the usual ones."""
    from reportlab.pdfbase import ttfonts

    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None)
    if defaults and isinstance(defaults[0], dict):
        defaults[0].update(kern=True, liga=True, dlig=False)


class Held(Exception):
    """A word was to be shaped for the first time while shaping is held (see `held`)."""


_HELD = [False]


@contextmanager
def held() -> Iterator[None]:
    """Inside, a word that HarfBuzz has not shaped before raises `Held` instead of being
    shaped (a word shaped before comes from the cache, which changes nothing). reportlab
    numbers the glyphs that have no character of their own (Devanagari conjuncts, ...) in the
    order they are first shaped, and writes those numbers into the PDF: work that would shape
    in another order than a build always has (faces laid out as they are painted) holds
    shaping, and on `Held` is done the usual way."""
    before = _HELD[0]
    _HELD[0] = True
    try:
        yield
    finally:
        _HELD[0] = before


@lru_cache(maxsize=8192)
def _shaped_word(word: str, font_name: str, size: float) -> Any:
    from reportlab.pdfbase.ttfonts import shapeStr

    if _HELD[0]:
        raise Held(word)
    standard_features()
    return shapeStr(word, font_name, size, force=True)


def shaped(text: str, font_name: str, size: float) -> Any:
    """`text` (one line) shaped by HarfBuzz, its words in visual order: a reportlab
    ShapedStr that a text object draws as HarfBuzz placed it."""
    words = [w for w in text.split(" ") if w]
    result = None
    for word in visual_words(words):
        part = _shaped_word(word, font_name, size)
        result = part if result is None else result + _shaped_word(" ", font_name, size) + part
    return result if result is not None else text


def width(text: str, font_name: str, size: float) -> float:
    """The advance width of `text` as HarfBuzz shapes it, in points."""
    string = shaped(text, font_name, size)
    data = getattr(string, "__shapeData__", None)
    if data is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, font_name, size))
    return float(sum(d.x_advance for d in data) * size / 1000)
